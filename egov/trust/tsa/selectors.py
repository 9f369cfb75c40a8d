"""Reads of the time-stamping part: verify a logged entry (验证日志条目的时间戳)."""

from __future__ import annotations

from collections.abc import Sequence

from egov.trust.crypto import suite
from egov.trust.errors import ErrorCode, TrustError
from egov.trust.models import Certificate
from egov.trust.signing import compromised_since
from egov.trust.tsa.evidence import verify_entry
from egov.trust.tsa.merkle import InclusionProof
from egov.trust.tsa.protocol import VerifiedToken
from egov.trust.tsa.services import trusted_certificates


def verify_inclusion(
    *,
    entry_digest: bytes,
    proof: InclusionProof,
    root: bytes,
    token: bytes,
    suite_name: str | None = None,
    trusted: Sequence[bytes | str] | None = None,
) -> VerifiedToken:
    """Prove an entry was in a time-stamped batch; its ``gen_time`` is when, at the latest.

    ``trusted`` defaults to our CA chain plus ``EGOV_TSA_TRUSTED_CERTIFICATES``.
    Refuses with :class:`~egov.trust.errors.TrustError` (field ``proof`` or ``token``).
    """
    name = suite(suite_name).name
    verified = verify_entry(
        entry_digest=entry_digest,
        proof=proof,
        root=root,
        token=token,
        suite_name=name,
        trusted=trusted if trusted is not None else trusted_certificates(name),
    )
    check_not_revoked(verified)
    return verified


def check_not_revoked(verified: VerifiedToken) -> None:
    """Refuse a token of one of our TSA certificates revoked at or before its genTime.

    A token made before the revocation (or the invalidity date, when the key was
    compromised earlier) stays good; outside TSAs' certificates are not in our
    register and are judged by their chain only.
    """
    certificate = verified.tsa_certificate
    record = Certificate.objects.filter(
        serial=certificate.serial_hex,
        subject=certificate.subject,
        kind=Certificate.Kind.TIME_STAMPING,
    ).first()
    if record is None or record.status != Certificate.Status.REVOKED:
        return
    since = compromised_since(record)
    if since is not None and since <= verified.gen_time:
        raise TrustError(
            ErrorCode.REVOKED,
            "token",
            f"the TSA certificate was revoked ({record.revocation_reason}) before this token",
        )
