"""Verifying a person's signature (验签): valid, invalid, revoked, expired, unknown signer."""

from __future__ import annotations

import datetime as dt

import pytest
from asn1crypto import x509
from django.utils import timezone

from egov.core.models import AuditEntry
from egov.trust import services, signing
from egov.trust.crypto import suite
from egov.trust.models import Certificate, CertificateAuthority
from egov.trust.pki.certificates import build_certificate, load_certificate
from egov.trust.pki.cms import build_signed_data
from egov.trust.tests.test_signing_sign import PAYLOAD, holder_with_key


def signed(suite_name: str) -> tuple[bytes, Certificate]:
    user, pem, certificate = holder_with_key(suite_name)
    document = signing.sign(
        user=user, payload=PAYLOAD, private_key_pem=pem, passphrase="holder-pass"
    )
    return document.signature_der, certificate


@pytest.mark.parametrize("suite_name", ["sm", "intl"])
def test_own_signature_is_valid_and_names_the_signer(
    suite_name: str, ca_sm: CertificateAuthority, ca_intl: CertificateAuthority
) -> None:
    der, certificate = signed(suite_name)
    result = signing.verify(payload=PAYLOAD, signature_der=der)
    assert result.status == "valid", result.reason
    assert (result.serial, result.subject) == (certificate.serial, certificate.subject)


def test_changed_payload_is_invalid(ca_sm: CertificateAuthority) -> None:
    der, _certificate = signed("sm")
    result = signing.verify(payload=PAYLOAD + b"!", signature_der=der)
    assert (result.status, result.reason) == (
        "invalid",
        "message digest does not match the payload",
    )


def test_changed_signature_bytes_are_invalid(ca_sm: CertificateAuthority) -> None:
    der = bytearray(signed("sm")[0])
    der[-5] ^= 0x01  # inside the SM2 signature value, the last element
    result = signing.verify(payload=PAYLOAD, signature_der=bytes(der))
    assert result.status == "invalid"


@pytest.mark.parametrize("garbage", [b"", b"\x30\x03\x02\x01\x01", b"not a signature", "text"])
def test_malformed_input_is_invalid_not_a_traceback(garbage: object, db: None) -> None:
    result = signing.verify(payload=PAYLOAD, signature_der=garbage)
    assert result.status == "invalid"
    assert result.reason.startswith("signature:")


@pytest.mark.parametrize(
    ("reason", "compromised"), [("keyCompromise", True), ("affiliationChanged", False)]
)
def test_revoked_after_signing_is_flagged(
    reason: str, compromised: bool, ca_sm: CertificateAuthority
) -> None:
    der, certificate = signed("sm")
    # Clock read on purpose: an offset from the code's own now, true on any date.
    later = timezone.now() + dt.timedelta(seconds=5)
    services.revoke_certificate(actor="ca-officer", serial=certificate.serial, reason=reason)
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=later)
    result = signing.verify(payload=PAYLOAD, signature_der=der)
    assert (result.status, result.revocation_timing) == (
        "signed_by_revoked",
        "revoked_after_signing",
    )
    assert result.key_compromised is compromised


def test_revoked_before_signing_is_flagged(ca_sm: CertificateAuthority) -> None:
    der, certificate = signed("sm")
    services.revoke_certificate(
        actor="ca-officer", serial=certificate.serial, reason="keyCompromise"
    )
    # Clock read on purpose: an offset from the code's own now, true on any date.
    earlier = timezone.now() - dt.timedelta(minutes=1)
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=earlier)
    result = signing.verify(payload=PAYLOAD, signature_der=der)
    assert (result.status, result.revocation_timing) == (
        "signed_by_revoked",
        "revoked_before_signing",
    )


def test_signature_after_certificate_expiry_is_expired(ca_sm: CertificateAuthority) -> None:
    der, certificate = signed("sm")
    later = certificate.not_after + dt.timedelta(days=1)
    result = signing.verify(payload=PAYLOAD, signature_der=der, at=later)
    assert (result.status, result.reason) == ("expired", "certificate not valid now")


def test_signer_from_another_ca_is_unknown(ca_sm: CertificateAuthority) -> None:
    crypto = suite("sm")
    other_ca = crypto.generate_key()
    _user, _pem, certificate = holder_with_key("sm")
    # a look-alike certificate: same subject, issuer name and serial, foreign signer
    parsed = load_certificate(certificate.certificate_pem)
    foreign_key = crypto.generate_key()
    foreign = build_certificate(
        crypto,
        signing_key=other_ca,
        serial=parsed.serial,
        subject=x509.Name.load(parsed.subject_der),
        issuer=x509.Name.load(parsed.issuer_der),
        public_key_der=crypto.public_key_der(foreign_key),
        not_before=parsed.not_before,
        not_after=parsed.not_after,
        extensions=[],
    )
    der = build_signed_data(
        crypto,
        signing_key=foreign_key,
        certificate_der=foreign,
        payload=PAYLOAD,
        # Clock read on purpose: an offset from the code's own now, true on any date.
        signing_time=timezone.now(),
    )
    before = AuditEntry.objects.count()
    result = signing.verify(payload=PAYLOAD, signature_der=der)
    assert result.status == "unknown_signer"
    assert AuditEntry.objects.count() == before
