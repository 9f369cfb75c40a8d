"""Verification verdicts for people and programs (验签结论): limits, uploads, the answer.

Shared by the verify API (``api.py``) and the verify page (``verify_views.py``):
both read the payload and the detached signature the same way and answer the
same fields, computed by :func:`egov.trust.signing.verify`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from egov.trust import signing
from egov.trust.errors import TrustError, invalid, too_large
from egov.trust.pki.encoding import MAX_INPUT
from egov.trust.pki.names import split_rdns

MAX_PAYLOAD_BYTES = 20 * 1024 * 1024
"""The largest file one verification or signature reads (20 MiB, held in memory)."""
MAX_SIGNATURE_BYTES = MAX_INPUT
"""A detached signature (.p7s) is a few kilobytes; the PEM/DER readers stop at 256 KiB."""


@dataclass(frozen=True)
class Verdict:
    """What a verifier is told (验签结论): the status and who signed, when."""

    status: str
    valid: bool
    reason: str
    serial: str
    subject: str
    signer: str
    signed_at: dt.datetime | None
    revoked_at: dt.datetime | None
    invalidity_date: dt.datetime | None
    revocation_reason: str
    revocation_timing: str
    key_compromised: bool


def signer_name(subject: str) -> str:
    """The common name of ``subject`` (``CN=张三,C=CN`` -> ``张三``), else the subject."""
    try:
        pairs = split_rdns(subject)
    except TrustError:
        return subject
    return next((value for key, value in pairs if key == "CN"), subject)


def verdict_of(result: signing.VerificationResult) -> Verdict:
    return Verdict(
        status=result.status,
        valid=result.is_valid,
        reason=result.reason,
        serial=result.serial,
        subject=result.subject,
        signer=signer_name(result.subject) if result.subject else "",
        signed_at=result.signed_at,
        revoked_at=result.revoked_at,
        invalidity_date=result.invalidity_date,
        revocation_reason=result.revocation_reason,
        revocation_timing=result.revocation_timing,
        key_compromised=result.key_compromised,
    )


def read_upload(upload: Any, field: str, limit: int) -> bytes:
    """The bytes of an uploaded file, refused naming ``field`` when missing, empty or too large."""
    if upload is None:
        raise invalid(field, "required")
    if upload.size is not None and upload.size > limit:
        raise too_large(field, limit)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_large(field, limit)
    if not data:
        raise invalid(field, "empty")
    return bytes(data)


def check_sizes(payload: bytes, signature: bytes) -> None:
    """Refuse a payload or signature over the limits (the API's decoded base64)."""
    if not payload:
        raise invalid("payload", "empty")
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise too_large("payload", MAX_PAYLOAD_BYTES)
    if not signature:
        raise invalid("signature", "empty")
    if len(signature) > MAX_SIGNATURE_BYTES:
        raise too_large("signature", MAX_SIGNATURE_BYTES)


def verify(payload: bytes, signature: bytes) -> Verdict:
    """The verdict on ``signature`` (DER or PEM) over ``payload``, as of now."""
    check_sizes(payload, signature)
    return verdict_of(signing.verify(payload=payload, signature_der=signature))
