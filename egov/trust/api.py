"""Trust API (/api/v1/trust): certificate status (证书状态查询)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from egov.trust import selectors
from egov.trust.errors import ErrorCode, TrustError

router = Router(tags=["trust"])


class CertificateStatusOut(Schema):
    serial: str
    subject: str
    kind: str
    suite: str
    not_before: dt.datetime
    not_after: dt.datetime
    status: str
    revoked_at: dt.datetime | None
    reason: str


class ErrorItem(Schema):
    field: str | None
    reason: str


class ErrorOut(Schema):
    code: str
    errors: list[ErrorItem]
    status: str | None = None


@router.get(
    "/certificates/{serial}",
    response={200: CertificateStatusOut, 400: ErrorOut, 404: ErrorOut},
    summary="Certificate status (证书状态): good, revoked, expired or unknown",
)
def certificate_status(request: HttpRequest, serial: str) -> Status:
    """Status of the certificate with hexadecimal ``serial``; public, like a CRL."""
    try:
        return Status(200, selectors.certificate_status(serial))
    except TrustError as exc:
        if exc.code == ErrorCode.NOT_FOUND:
            return Status(404, {**exc.as_dict(), "status": "unknown"})
        return Status(400, exc.as_dict())
