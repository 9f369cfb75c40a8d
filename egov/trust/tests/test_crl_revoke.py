"""Revocation (吊销): effective at once, audited, a new CRL signed in the same transaction."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from egov.core.models import AuditEntry, Event
from egov.trust import selectors, services
from egov.trust.crypto import suite
from egov.trust.errors import ErrorCode, TrustError
from egov.trust.models import Certificate, CertificateAuthority, RevocationList
from egov.trust.pki.certificates import load_certificate
from egov.trust.pki.revocation import load_crl
from egov.trust.tests.conftest import PASSPHRASE, openssl

pytestmark = pytest.mark.django_db


def issue(suite_name: str = "sm") -> Certificate:
    return services.issue_certificate(
        actor="ra",
        suite_name=suite_name,
        kind="person",
        subject="CN=张三,C=CN",
        public_key_der=suite(suite_name).public_key_der(suite(suite_name).generate_key()),
        passphrase=PASSPHRASE,
    )


def test_revoke_with_passphrase_publishes_the_next_crl(ca_sm: CertificateAuthority) -> None:
    record, kept = issue(), issue()
    revoked = services.revoke_certificate(
        actor="ra", serial=record.serial, reason="keyCompromise", passphrase=PASSPHRASE
    )
    assert (revoked.status, revoked.revocation_reason) == ("revoked", "keyCompromise")
    latest = selectors.latest_crl("sm")
    assert latest.number == 2  # 1 was published by ca init
    parsed = load_crl(bytes(latest.der))
    assert parsed.revoked == {int(record.serial, 16): 1}
    assert int(kept.serial, 16) not in parsed.revoked
    assert parsed.signed_by(load_certificate(ca_sm.certificate_pem).public_key_der)
    assert parsed.number == 2
    entry = AuditEntry.objects.get(action="trust.certificate_revoked")
    assert (entry.object_id, entry.actor) == (record.serial, "ra")
    event = Event.objects.get(event_type="CertificateRevoked")
    assert event.aggregate == f"certificate:{record.serial}"
    assert event.payload["reason"] == "keyCompromise"


def test_revoke_without_passphrase_changes_status_only(ca_sm: CertificateAuthority) -> None:
    record = issue()
    services.revoke_certificate(actor="ra", serial=record.serial, reason="superseded")
    assert selectors.certificate_status(record.serial).status == "revoked"
    assert RevocationList.objects.count() == 1
    services.publish_crl(actor="ra", suite_name="sm", passphrase=PASSPHRASE)
    assert load_crl(bytes(selectors.latest_crl("sm").der)).revoked == {int(record.serial, 16): 4}
    assert AuditEntry.objects.filter(action="trust.crl_published").count() == 1


def test_openssl_lists_the_revoked_serial_and_reason(
    ca_intl: CertificateAuthority, tmp_path: Path
) -> None:
    record = issue("intl")
    services.revoke_certificate(
        actor="ra", serial=record.serial, reason="cessationOfOperation", passphrase=PASSPHRASE
    )
    (tmp_path / "x.crl").write_bytes(bytes(selectors.latest_crl("intl").der))
    (tmp_path / "ca.pem").write_text(ca_intl.certificate_pem)
    text = openssl("crl", "-inform", "DER", "-in", tmp_path / "x.crl", "-noout", "-text").stdout
    listed = {int(serial, 16) for serial in re.findall(r"Serial Number: ([0-9A-F]+)", text)}
    assert int(record.serial, 16) in listed  # openssl pads to whole bytes: compare numbers
    assert "Cessation Of Operation" in text
    verified = openssl(
        "crl", "-inform", "DER", "-in", tmp_path / "x.crl", "-noout", "-verify",
        "-CAfile", tmp_path / "ca.pem",
    )  # fmt: skip
    assert "verify OK" in verified.stdout + verified.stderr


@pytest.mark.parametrize(
    ("serial", "reason", "passphrase", "code", "field"),
    [
        ("zz", "keyCompromise", PASSPHRASE, ErrorCode.INVALID_INPUT, "serial"),
        ("abc123", "keyCompromise", PASSPHRASE, ErrorCode.NOT_FOUND, "serial"),
        (None, "removeFromCRL", PASSPHRASE, ErrorCode.INVALID_INPUT, "reason"),
        (None, "bored", PASSPHRASE, ErrorCode.INVALID_INPUT, "reason"),
        (None, "keyCompromise", "wrong passphrase", ErrorCode.WRONG_PASSPHRASE, "passphrase"),
    ],
)
def test_bad_revocations_are_refused_and_write_nothing(
    ca_sm: CertificateAuthority,
    serial: str | None,
    reason: str,
    passphrase: str,
    code: ErrorCode,
    field: str,
) -> None:
    record = issue()
    audit_before = AuditEntry.objects.count()
    with pytest.raises(TrustError) as caught:
        services.revoke_certificate(
            actor="ra", serial=serial or record.serial, reason=reason, passphrase=passphrase
        )
    assert (caught.value.code, caught.value.field) == (code, field)
    record.refresh_from_db()
    assert record.status == "good"
    assert record.revoked_at is None
    assert AuditEntry.objects.count() == audit_before
    assert RevocationList.objects.count() == 1
    assert not Event.objects.filter(event_type="CertificateRevoked").exists()


def test_second_revocation_is_refused(ca_sm: CertificateAuthority) -> None:
    record = issue()
    services.revoke_certificate(actor="ra", serial=record.serial, reason="superseded")
    first = Certificate.objects.get()
    with pytest.raises(TrustError) as caught:
        services.revoke_certificate(actor="ra", serial=record.serial, reason="keyCompromise")
    assert caught.value.code == ErrorCode.ALREADY_REVOKED
    again = Certificate.objects.get()
    assert (again.revocation_reason, again.revoked_at) == ("superseded", first.revoked_at)
    assert AuditEntry.objects.filter(action="trust.certificate_revoked").count() == 1


def test_command_revoke(ca_sm: CertificateAuthority, passphrase_file: Path, capsys) -> None:
    record = issue()
    call_command(
        "ca", "revoke", record.serial.upper(), "--reason", "affiliationChanged",
        "--passphrase-file", str(passphrase_file),
    )  # fmt: skip
    assert "CRL published" in capsys.readouterr().out
    assert selectors.certificate_status(record.serial).reason == "affiliationChanged"
    assert selectors.latest_crl("sm").revoked_count == 1


def test_command_revoke_checks_serial_before_passphrase(
    ca_sm: CertificateAuthority, monkeypatch
) -> None:
    monkeypatch.delenv("EGOV_CA_PASSPHRASE", raising=False)
    with pytest.raises(CommandError, match="serial: must be hexadecimal"):
        call_command("ca", "revoke", "not-hex", "--reason", "keyCompromise")
    with pytest.raises(CommandError, match="passphrase: required"):
        call_command("ca", "revoke", "abc", "--reason", "keyCompromise")
