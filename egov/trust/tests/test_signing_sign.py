"""Signing as a person (责任认定): the key must match the holder's current certificate."""

from __future__ import annotations

import pytest

from egov.core.models import AuditEntry
from egov.core.testing import make_citizen
from egov.trust import services, signing
from egov.trust.crypto import suite
from egov.trust.errors import ErrorCode, TrustError
from egov.trust.models import CertificateAuthority, SignatureRecord
from egov.trust.pki.cms import parse_signed_data
from egov.trust.tests.conftest import PASSPHRASE

PAYLOAD = "受理决定书 2026-001".encode()


def holder_with_key(suite_name: str, username: str = "citizen_zhang") -> tuple:
    """A citizen holding a person certificate of ``suite_name``, and the key PEM."""
    user = make_citizen(username)
    crypto = suite(suite_name)
    key = crypto.generate_key()
    certificate = services.issue_certificate(
        actor="ca-officer",
        suite_name=suite_name,
        kind="person",
        subject=f"CN={username},C=CN",
        public_key_der=crypto.public_key_der(key),
        passphrase=PASSPHRASE,
        holder=user,
    )
    return user, key.to_pem(b"holder-pass"), certificate


def signed_entries() -> int:
    """Audit entries and signature records of signing: both or neither are written."""
    return (
        AuditEntry.objects.filter(action="trust.signed").count() + SignatureRecord.objects.count()
    )


@pytest.mark.parametrize("suite_name", ["sm", "intl"])
def test_sign_makes_detached_cms_and_audits_serial_and_digest(
    suite_name: str, ca_sm: CertificateAuthority, ca_intl: CertificateAuthority
) -> None:
    user, pem, certificate = holder_with_key(suite_name)
    document = signing.sign(
        user=user,
        payload=PAYLOAD,
        private_key_pem=pem,
        passphrase="holder-pass",
        object_type="case",
        object_id="2026-001",
    )
    parsed = parse_signed_data(document.signature_der)
    assert parsed.certificate.serial_hex == certificate.serial == document.serial
    assert parsed.message_digest == suite(suite_name).digest(PAYLOAD)
    entry = AuditEntry.objects.get(action="trust.signed")
    digest_label = {"sm": "sm3", "intl": "sha256"}[suite_name]
    assert entry.summary == f"serial {certificate.serial} {digest_label} {document.digest_hex}"
    assert (entry.object_type, entry.object_id) == ("case", "2026-001")
    assert "PRIVATE" not in entry.summary
    record = SignatureRecord.objects.get()
    assert (record.signer, record.certificate, record.digest) == (
        user,
        certificate,
        document.digest_hex,
    )
    assert (record.object_type, record.object_id) == ("case", "2026-001")
    assert bytes(record.signature_der) == document.signature_der


def test_key_of_someone_else_is_refused_and_nothing_written(ca_sm: CertificateAuthority) -> None:
    user, _pem, _cert = holder_with_key("sm")
    stranger_pem = suite("sm").generate_key().to_pem()
    with pytest.raises(TrustError) as error:
        signing.sign(user=user, payload=PAYLOAD, private_key_pem=stranger_pem)
    assert error.value.field == "private_key"
    assert signed_entries() == 0


def test_wrong_key_passphrase_is_refused_and_nothing_written(ca_sm: CertificateAuthority) -> None:
    user, pem, _cert = holder_with_key("sm")
    with pytest.raises(TrustError) as error:
        signing.sign(user=user, payload=PAYLOAD, private_key_pem=pem, passphrase="wrong")
    assert error.value.field == "private_key"
    assert signed_entries() == 0


def test_revoked_certificate_cannot_sign_and_nothing_written(ca_sm: CertificateAuthority) -> None:
    user, pem, certificate = holder_with_key("sm")
    services.revoke_certificate(actor="ca-officer", serial=certificate.serial, reason="superseded")
    with pytest.raises(TrustError) as error:
        signing.sign(user=user, payload=PAYLOAD, private_key_pem=pem, passphrase="holder-pass")
    assert (error.value.code, error.value.field) == (ErrorCode.NOT_FOUND, "user")
    assert signed_entries() == 0


def test_user_without_certificate_is_refused_and_nothing_written(
    ca_sm: CertificateAuthority,
) -> None:
    _holder, pem, _cert = holder_with_key("sm")
    other = make_citizen("citizen_li")
    with pytest.raises(TrustError) as error:
        signing.sign(user=other, payload=PAYLOAD, private_key_pem=pem, passphrase="holder-pass")
    assert (error.value.code, error.value.field) == (ErrorCode.NOT_FOUND, "user")
    assert signed_entries() == 0


def test_payload_must_be_bytes(ca_sm: CertificateAuthority) -> None:
    user, pem, _cert = holder_with_key("sm")
    with pytest.raises(TrustError) as error:
        signing.sign(user=user, payload="text", private_key_pem=pem, passphrase="holder-pass")
    assert error.value.field == "payload"
    assert signed_entries() == 0
