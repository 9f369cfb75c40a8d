"""``verify_certificate`` (证书验证): chain to our CA, validity, revocation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from egov.trust import selectors, services
from egov.trust.crypto import suite
from egov.trust.errors import ErrorCode, TrustError
from egov.trust.models import Certificate, CertificateAuthority
from egov.trust.pki.certificates import build_certificate, end_entity_extensions, load_certificate
from egov.trust.pki.encoding import to_pem
from egov.trust.pki.names import parse_subject
from egov.trust.pki.profiles import Kind
from egov.trust.tests.conftest import ISSUING_SUBJECT, PASSPHRASE

pytestmark = pytest.mark.django_db


def issue(suite_name: str = "sm", days: int = 365) -> Certificate:
    return services.issue_certificate(
        actor="ra",
        suite_name=suite_name,
        kind="person",
        subject="CN=张三,C=CN",
        public_key_der=suite(suite_name).public_key_der(suite(suite_name).generate_key()),
        passphrase=PASSPHRASE,
        days=days,
    )


@pytest.mark.usefixtures("ca_sm", "ca_intl")
@pytest.mark.parametrize("suite_name", ["sm", "intl"])
def test_our_good_certificate_verifies(suite_name: str) -> None:
    record = issue(suite_name)
    assert selectors.verify_certificate(record.certificate_pem) == record


def impostor(ca: CertificateAuthority) -> str:
    """A certificate with our issuing CA's name and key identifiers, signed by another key."""
    crypto = suite("sm")
    other_key = crypto.generate_key()
    public = crypto.public_key_der(crypto.generate_key())
    # Clock read on purpose: an offset from the code's own now, true on any date.
    now = dt.datetime.now(dt.UTC)
    der = build_certificate(
        crypto,
        signing_key=other_key,
        serial=0x55,
        subject=parse_subject("CN=张三,C=CN"),
        issuer=parse_subject(ISSUING_SUBJECT),
        public_key_der=public,
        not_before=now,
        not_after=now + dt.timedelta(days=30),
        extensions=end_entity_extensions(
            crypto,
            kind=Kind.PERSON,
            public_key_der=public,
            issuer_key_der=load_certificate(ca.certificate_pem).public_key_der,
            crl_url="http://127.0.0.1:8000/trust/crl/sm.crl",
        ),
    )
    return to_pem(der, "CERTIFICATE")


def test_certificate_from_another_ca_is_refused(ca_sm: CertificateAuthority) -> None:
    with pytest.raises(TrustError) as caught:
        selectors.verify_certificate(impostor(ca_sm))
    assert caught.value.code == ErrorCode.UNKNOWN_ISSUER
    assert "not issued by this platform's CA" in caught.value.reason


def test_other_suite_and_our_own_ca_certificates_are_not_end_entities(
    ca_sm: CertificateAuthority,
) -> None:
    with pytest.raises(TrustError) as caught:
        selectors.verify_certificate(ca_sm.parent.certificate_pem)
    assert caught.value.code == ErrorCode.UNKNOWN_ISSUER


def test_revoked_certificate_is_refused(ca_sm: CertificateAuthority) -> None:
    record = issue()
    services.revoke_certificate(actor="ra", serial=record.serial, reason="keyCompromise")
    with pytest.raises(TrustError) as caught:
        selectors.verify_certificate(record.certificate_pem)
    assert caught.value.code == ErrorCode.REVOKED
    assert "keyCompromise" in caught.value.reason


def test_expired_and_not_yet_valid_are_refused(ca_sm: CertificateAuthority) -> None:
    record = issue(days=10)
    with pytest.raises(TrustError) as caught:
        selectors.verify_certificate(
            record.certificate_pem, at=record.not_after + dt.timedelta(seconds=1)
        )
    assert caught.value.code == ErrorCode.EXPIRED
    with pytest.raises(TrustError) as caught:
        selectors.verify_certificate(
            record.certificate_pem, at=record.not_before - dt.timedelta(days=1)
        )
    assert caught.value.code == ErrorCode.NOT_YET_VALID
    assert selectors.verify_certificate(record.certificate_pem, at=record.not_after) == record


@pytest.mark.parametrize(
    "data",
    ["", "hello", b"\x30\x82\x01", "-----BEGIN CERTIFICATE-----\n@@\n-----END CERTIFICATE-----"],
)
def test_malformed_input_is_refused(ca_sm: CertificateAuthority, data: str | bytes) -> None:
    with pytest.raises(TrustError) as caught:
        selectors.verify_certificate(data)
    assert (caught.value.code, caught.value.field) == (ErrorCode.MALFORMED, "certificate")


def test_command_verify(ca_sm: CertificateAuthority, tmp_path, capsys) -> None:
    record = issue()
    (tmp_path / "good.pem").write_text(record.certificate_pem)
    (tmp_path / "bad.pem").write_text(impostor(ca_sm))
    call_command("ca", "verify", str(tmp_path / "good.pem"))
    assert f"OK {record.serial}" in capsys.readouterr().out
    with pytest.raises(CommandError, match="certificate: not issued by this platform's CA"):
        call_command("ca", "verify", str(tmp_path / "bad.pem"))
