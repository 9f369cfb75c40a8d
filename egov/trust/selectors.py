"""Reads of the trust app: CAs, certificate status, CRLs, verification (证书查询与验证)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from egov.trust.errors import ErrorCode, TrustError
from egov.trust.models import Certificate, CertificateAuthority, RevocationList
from egov.trust.pki.certificates import ParsedCertificate, normalise_serial
from egov.trust.pki.certificates import load_certificate as load_certificate  # re-exported
from egov.trust.pki.memo import issued_by, parsed_certificate


def active_authority(suite_name: str, role: str) -> CertificateAuthority | None:
    """The active root or issuing CA of ``suite_name``, or None before ``egov ca init``."""
    return CertificateAuthority.objects.filter(suite=suite_name, role=role, is_active=True).first()


def chain_pem(suite_name: str) -> str:
    """The issuing CA certificate then the root's, PEM (``chain.pem``)."""
    issuing = active_authority(suite_name, CertificateAuthority.Role.ISSUING)
    if issuing is None or issuing.parent is None:
        raise TrustError(
            ErrorCode.NO_CA, "suite", f"no CA for suite {suite_name!r}: run egov ca init"
        )
    return issuing.certificate_pem + issuing.parent.certificate_pem


def latest_crl(suite_name: str) -> RevocationList | None:
    """The newest CRL of the active issuing CA of ``suite_name``."""
    return (
        RevocationList.objects.filter(
            authority__suite=suite_name,
            authority__role=CertificateAuthority.Role.ISSUING,
            authority__is_active=True,
        )
        .order_by("-number")
        .first()
    )


@dataclass(frozen=True)
class CertificateStatus:
    """What the status endpoint answers (证书状态): good, revoked, expired or unknown."""

    serial: str
    subject: str
    kind: str
    suite: str
    not_before: dt.datetime
    not_after: dt.datetime
    status: str
    revoked_at: dt.datetime | None
    reason: str


def status_of(certificate: Certificate, at: dt.datetime | None = None) -> str:
    """``revoked`` first, then ``expired`` after notAfter, else ``good``."""
    if certificate.status == Certificate.Status.REVOKED:
        return "revoked"
    if (at or timezone.now()) > certificate.not_after:
        return "expired"
    return "good"


def certificate_status(serial: str, at: dt.datetime | None = None) -> CertificateStatus:
    """The status of the certificate with ``serial`` (hex); refuses bad or unknown serials."""
    normalised = normalise_serial(serial)
    certificate = Certificate.objects.filter(serial=normalised).first()
    if certificate is None:
        raise TrustError(ErrorCode.NOT_FOUND, "serial", "no certificate with this serial")
    return CertificateStatus(
        serial=certificate.serial,
        subject=certificate.subject,
        kind=certificate.kind,
        suite=certificate.suite,
        not_before=certificate.not_before,
        not_after=certificate.not_after,
        status=status_of(certificate, at),
        revoked_at=certificate.revoked_at,
        reason=certificate.revocation_reason,
    )


def _issuing_ca_of(parsed: ParsedCertificate) -> CertificateAuthority:
    candidates = CertificateAuthority.objects.filter(
        suite=parsed.suite_name, role=CertificateAuthority.Role.ISSUING, subject=parsed.issuer
    )
    for authority in candidates:
        ca = parsed_certificate(authority.certificate_pem)
        if issued_by(parsed.der, ca.public_key_der):
            return authority
    raise TrustError(
        ErrorCode.UNKNOWN_ISSUER,
        "certificate",
        "not issued by this platform's CA (no issuing CA of ours signed it)",
    )


def verify_certificate(certificate: bytes | str, at: dt.datetime | None = None) -> Certificate:
    """Check a certificate (证书验证): our CA signed it, it is in date, not revoked.

    Returns our record of it; refuses with :class:`TrustError` saying why
    (``malformed``, ``unknown_issuer``, ``not_yet_valid``, ``expired``, ``revoked``).
    Parsing and the CA's signature are memoised per process by the bytes
    (:mod:`egov.trust.pki.memo`); the dates are checked against ``at`` and the
    register (revocation) is read on every call, so a revocation counts at once
    in every process (ADR 0067).
    """
    moment = at or timezone.now()
    parsed = parsed_certificate(certificate)
    authority = _issuing_ca_of(parsed)
    parsed_certificate(authority.certificate_pem).check_validity(moment)
    parsed.check_validity(moment)
    record = Certificate.objects.filter(serial=parsed.serial_hex, issuer=authority).first()
    if record is None:
        raise TrustError(
            ErrorCode.UNKNOWN_ISSUER, "certificate", "signed by our CA but not in its register"
        )
    if record.status == Certificate.Status.REVOKED:
        raise TrustError(
            ErrorCode.REVOKED,
            "certificate",
            f"revoked at {record.revoked_at:%Y-%m-%dT%H:%M:%SZ} ({record.revocation_reason})",
        )
    return record
