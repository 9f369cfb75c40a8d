"""Trust API (/api/v1/trust): certificate status (证书状态查询) and signature verification (验签).

Verification only: signing needs the holder's private key, which must not travel
to the server through an API (ADR 0020); people sign on the page ``/trust/sign/``.
Refusals answer ``{"code", "errors": [{"field", "reason"}]}`` with a code of
:class:`egov.trust.errors.ErrorCode`: 400 bad input, 413 too large, 404 unknown.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt

from django.http import HttpRequest
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from egov.core.api_errors import ErrorOut
from egov.trust import selectors, verdicts
from egov.trust.errors import ErrorCode, TrustError, invalid

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


class UnknownCertificateOut(ErrorOut):
    """A 404 of the status query: no certificate of ours has this serial."""

    status: str = Field(description="always ``unknown``")


@router.get(
    "/certificates/{serial}",
    response={200: CertificateStatusOut, 400: ErrorOut, 404: UnknownCertificateOut},
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


# --- Signature verification (验签) -----------------------------------------------

STATUS_OF: dict[ErrorCode, int] = {ErrorCode.TOO_LARGE: 413, ErrorCode.NOT_FOUND: 404}
VERIFY_ERRORS = {400: ErrorOut, 413: ErrorOut}


class VerifyIn(Schema):
    # minLength is declared, not validated here: the verifier refuses an empty field itself.
    payload: str = Field(description="the signed bytes, base64", json_schema_extra={"minLength": 1})
    signature: str = Field(
        description="the detached CMS SignedData (.p7s), base64 of DER",
        json_schema_extra={"minLength": 1},
    )


class VerdictOut(Schema):
    status: str = Field(description="valid, invalid, signed_by_revoked, expired or unknown_signer")
    valid: bool
    reason: str
    serial: str
    subject: str
    signer: str = Field(description="the common name in the signer's certificate")
    signed_at: dt.datetime | None
    revoked_at: dt.datetime | None
    invalidity_date: dt.datetime | None = Field(
        description="since when the key is known or suspected compromised (RFC 5280)"
    )
    revocation_reason: str
    revocation_timing: str = Field(
        description="revoked_before_signing or revoked_after_signing when signed_by_revoked"
    )
    key_compromised: bool


def decoded(text: str, field: str) -> bytes:
    """Strict base64 (whitespace allowed); refuses anything else naming ``field``."""
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise invalid(field, "not base64") from None


def refusal(exc: TrustError) -> Status:
    return Status(STATUS_OF.get(exc.code, 400), exc.as_dict())


@router.post(
    "/signatures/verify",
    response={200: VerdictOut, **VERIFY_ERRORS},
    summary="Verify a detached signature (验签), base64 in JSON",
)
def verify_signature(request: HttpRequest, body: VerifyIn) -> Status:
    """The verdict on a detached CMS signature over a payload; public, like the CRL.

    A signature that cannot be read is a verdict (``invalid``, reason
    ``signature: …``); only input that is not base64, empty or too large is refused.
    """
    try:
        payload = decoded(body.payload, "payload")
        signature = decoded(body.signature, "signature")
        return Status(200, verdicts.verify(payload, signature))
    except TrustError as exc:
        return refusal(exc)


@router.post(
    "/signatures/verify-files",
    response={200: VerdictOut, **VERIFY_ERRORS},
    summary="Verify a detached signature (验签), the file and its .p7s as multipart",
)
def verify_signature_files(
    request: HttpRequest, payload: File[UploadedFile], signature: File[UploadedFile]
) -> Status:
    """As ``/signatures/verify``, with the signed file and its .p7s (DER or PEM) uploaded."""
    try:
        data = verdicts.read_upload(payload, "payload", verdicts.MAX_PAYLOAD_BYTES)
        signed = verdicts.read_upload(signature, "signature", verdicts.MAX_SIGNATURE_BYTES)
        return Status(200, verdicts.verify(data, signed))
    except TrustError as exc:
        return refusal(exc)
