"""Signatures bound to people (责任认定): sign with the holder's key, verify later.

The platform never stores end-entity keys: the holder brings the key to
:func:`sign`, which checks it belongs to the holder's current certificate,
makes a detached CMS SignedData and records the certificate serial and the
payload digest in the audit chain. :func:`verify` answers ``valid``,
``invalid``, ``signed_by_revoked``, ``expired`` or ``unknown_signer``.

``expired`` means the signer's certificate is not valid now, or was not valid
at the signing time the signature claims. The signing time is asserted by the
signer (no time-stamp authority), so after the certificate's notAfter it can no
longer be trusted and the signature is reported ``expired``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypedDict

from django.db import transaction
from django.utils import timezone

from egov.core.services.audit import record_audit
from egov.trust.crypto import CryptoError, CryptoSuite, PrivateKey
from egov.trust.errors import ErrorCode, TrustError, invalid
from egov.trust.models import Certificate, CertificateAuthority, SignatureRecord
from egov.trust.pki.certificates import ParsedCertificate, load_certificate
from egov.trust.pki.cms import (
    ParsedSignature,
    build_signed_data,
    check_digest,
    parse_signed_data,
)
from egov.trust.pki.profiles import Reason
from egov.trust.services import crypto_suite

CLOCK_SKEW = dt.timedelta(minutes=5)
DIGEST_LABELS = {"sm": "sm3", "intl": "sha256"}


@dataclass(frozen=True)
class SignedDocument:
    """A detached signature and what the audit chain recorded of it (签名结果)."""

    signature_der: bytes
    serial: str
    suite: str
    digest_hex: str
    signed_at: dt.datetime


@dataclass(frozen=True)
class VerificationResult:
    """The answer of :func:`verify` (验签结果)."""

    status: str
    reason: str = ""
    serial: str = ""
    subject: str = ""
    signed_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None
    invalidity_date: dt.datetime | None = None
    """Since when the key is known or suspected compromised, if the revocation said so."""
    revocation_reason: str = ""
    revocation_timing: str = ""
    """``revoked_before_signing`` or ``revoked_after_signing`` for ``signed_by_revoked``:
    the signing time compared with the revocation, or with the invalidity date if earlier."""
    key_compromised: bool = False
    """True when revoked for keyCompromise: even signatures dated earlier are suspect."""

    @property
    def is_valid(self) -> bool:
        return self.status == "valid"


def current_certificates(user: Any, at: dt.datetime) -> list[Certificate]:
    """The user's good certificates valid at ``at`` (当前有效证书), newest first."""
    return list(
        Certificate.objects.filter(
            holder=user, status=Certificate.Status.GOOD, not_before__lte=at, not_after__gte=at
        ).order_by("-not_before")
    )


def _load_key(suite_name: str, pem: bytes, passphrase: bytes | str | None) -> PrivateKey | None:
    password = passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase
    try:
        return crypto_suite(suite_name).load_private_key_pem(pem, password)
    except CryptoError:
        return None


def _matching_certificate(
    user: Any, private_key_pem: bytes, passphrase: bytes | str | None, at: dt.datetime
) -> tuple[Certificate, PrivateKey]:
    certificates = current_certificates(user, at)
    if not certificates:
        raise TrustError(ErrorCode.NOT_FOUND, "user", "has no valid certificate to sign with")
    for certificate in certificates:
        key = _load_key(certificate.suite, private_key_pem, passphrase)
        parsed = load_certificate(certificate.certificate_pem)
        if key is not None and key.public_key().to_der() == parsed.public_key_der:
            return certificate, key
    raise invalid("private_key", "does not match the user's current certificate (or passphrase)")


def sign(
    *,
    user: Any,
    payload: bytes,
    private_key_pem: bytes,
    passphrase: bytes | str | None = None,
    object_type: str = "",
    object_id: str = "",
) -> SignedDocument:
    """Sign ``payload`` as ``user`` (签名): detached CMS, audited with serial and digest."""
    if not isinstance(payload, bytes | bytearray):
        raise invalid("payload", "must be bytes")
    if not isinstance(private_key_pem, bytes | bytearray) or not private_key_pem.strip():
        raise invalid("private_key", "must be PEM bytes")
    now = timezone.now().replace(microsecond=0)
    certificate, key = _matching_certificate(user, bytes(private_key_pem), passphrase, now)
    crypto = crypto_suite(certificate.suite)
    digest_hex = crypto.digest(bytes(payload)).hex()
    der = build_signed_data(
        crypto,
        signing_key=key,
        certificate_der=load_certificate(certificate.certificate_pem).der,
        payload=bytes(payload),
        signing_time=now,
    )
    with transaction.atomic():
        SignatureRecord.objects.create(
            signer=user,
            certificate=certificate,
            serial=certificate.serial,
            suite=certificate.suite,
            digest=digest_hex,
            signed_at=now,
            object_type=object_type,
            object_id=str(object_id),
            signature_der=der,
        )
        record_audit(
            actor=user,
            action="trust.signed",
            object_type=object_type,
            object_id=str(object_id),
            summary=f"serial {certificate.serial} {DIGEST_LABELS[crypto.name]} {digest_hex}",
        )
    return SignedDocument(
        signature_der=der,
        serial=certificate.serial,
        suite=certificate.suite,
        digest_hex=digest_hex,
        signed_at=now,
    )


def _issuing_ca(parsed: ParsedCertificate) -> CertificateAuthority | None:
    candidates = CertificateAuthority.objects.filter(
        suite=parsed.suite_name, role=CertificateAuthority.Role.ISSUING, subject=parsed.issuer
    )
    for authority in candidates:
        if parsed.signed_by(load_certificate(authority.certificate_pem).public_key_der):
            return authority
    return None


def compromised_since(record: Certificate) -> dt.datetime | None:
    """From when signatures count as made after revocation: the invalidity date if earlier."""
    moments = [m for m in (record.revoked_at, record.invalidity_date) if m is not None]
    return min(moments) if moments else None


class _Signer(TypedDict):
    """What every verdict of one signature says of its signer."""

    serial: str
    subject: str
    signed_at: dt.datetime


def _revoked(record: Certificate, signature: ParsedSignature, base: _Signer) -> VerificationResult:
    since = compromised_since(record)
    before = since is not None and since <= signature.signing_time
    return VerificationResult(
        status="signed_by_revoked",
        reason=f"certificate revoked ({record.revocation_reason})",
        revoked_at=record.revoked_at,
        invalidity_date=record.invalidity_date,
        revocation_reason=record.revocation_reason,
        revocation_timing="revoked_before_signing" if before else "revoked_after_signing",
        key_compromised=record.revocation_reason == Reason.KEY_COMPROMISE,
        **base,
    )


def _judge(signature: ParsedSignature, now: dt.datetime) -> VerificationResult:
    parsed = signature.certificate
    base: _Signer = {
        "serial": parsed.serial_hex,
        "subject": parsed.subject,
        "signed_at": signature.signing_time,
    }
    authority = _issuing_ca(parsed)
    record = (
        Certificate.objects.filter(serial=parsed.serial_hex, issuer=authority).first()
        if authority is not None
        else None
    )
    if record is None:
        return VerificationResult(
            status="unknown_signer", reason="certificate not issued by our CA", **base
        )
    if signature.signing_time > now + CLOCK_SKEW:
        return VerificationResult(status="invalid", reason="signing time is in the future", **base)
    if record.status == Certificate.Status.REVOKED:
        return _revoked(record, signature, base)
    for moment, label in ((signature.signing_time, "at signing time"), (now, "now")):
        if not parsed.not_before <= moment <= parsed.not_after:
            return VerificationResult(
                status="expired", reason=f"certificate not valid {label}", **base
            )
    return VerificationResult(status="valid", **base)


def _check(
    signature_der: bytes, digest: Callable[[CryptoSuite], bytes], at: dt.datetime | None
) -> VerificationResult:
    try:
        signature = parse_signed_data(signature_der)
        crypto = crypto_suite(signature.suite_name)
        problem = check_digest(crypto, signature, digest(crypto))
    except TrustError as exc:
        return VerificationResult(status="invalid", reason=f"{exc.field}: {exc.reason}")
    if problem:
        return VerificationResult(
            status="invalid",
            reason=problem,
            serial=signature.certificate.serial_hex,
            subject=signature.certificate.subject,
        )
    return _judge(signature, at or timezone.now())


def verify(
    *, payload: bytes, signature_der: bytes, at: dt.datetime | None = None
) -> VerificationResult:
    """Check a detached signature over ``payload`` (验签) as of ``at`` (default now).

    Never raises on bad input: malformed signatures are ``invalid`` with a reason.
    """
    if not isinstance(payload, bytes | bytearray):
        return VerificationResult(status="invalid", reason="payload: must be bytes")
    return _check(signature_der, lambda crypto: crypto.digest(bytes(payload)), at)


def recheck(record: SignatureRecord, at: dt.datetime | None = None) -> VerificationResult:
    """Re-verify a stored signature (复核) against the payload digest recorded at signing."""
    try:
        digest = bytes.fromhex(record.digest)
    except ValueError:
        return VerificationResult(status="invalid", reason="digest: not hexadecimal")
    return _check(bytes(record.signature_der), lambda _crypto: digest, at)
