"""``egov ca init`` (建立CA): a root and an issuing CA per suite, keys encrypted, audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from egov.core.models import AuditEntry
from egov.trust import services
from egov.trust.crypto import InvalidKeyError, suite
from egov.trust.errors import ErrorCode, TrustError
from egov.trust.models import CertificateAuthority, RevocationList
from egov.trust.pki.certificates import load_certificate
from egov.trust.tests.conftest import ISSUING_SUBJECT, PASSPHRASE, ROOT_SUBJECT, openssl_accepts

pytestmark = pytest.mark.django_db


def nothing_written() -> bool:
    return not (
        CertificateAuthority.objects.exists()
        or RevocationList.objects.exists()
        or AuditEntry.objects.exists()
    )


@pytest.mark.parametrize("suite_name", ["sm", "intl"])
def test_init_creates_root_and_issuing_ca(suite_name: str, tmp_path: Path) -> None:
    root, issuing = services.initialise_ca(
        actor="ca-officer",
        suite_name=suite_name,
        passphrase=PASSPHRASE,
        root_subject=ROOT_SUBJECT,
        issuing_subject=ISSUING_SUBJECT,
    )
    assert (root.role, issuing.role) == ("root", "issuing")
    assert issuing.parent == root
    assert root.subject == ROOT_SUBJECT
    parsed_root = load_certificate(root.certificate_pem)
    parsed_issuing = load_certificate(issuing.certificate_pem)
    assert parsed_root.issuer == parsed_root.subject == ROOT_SUBJECT
    assert parsed_issuing.issuer == ROOT_SUBJECT
    assert parsed_issuing.signed_by(parsed_root.public_key_der)
    assert parsed_root.signed_by(parsed_root.public_key_der)
    assert parsed_issuing.not_after <= parsed_root.not_after
    assert root.serial == parsed_root.serial_hex
    # the issuing CA checks out under the root with openssl (cert = the issuing CA itself)
    chain = issuing.certificate_pem + root.certificate_pem
    assert openssl_accepts(tmp_path, issuing.certificate_pem, chain, suite_name)


def test_ca_keys_are_stored_encrypted_with_the_passphrase(ca_sm: CertificateAuthority) -> None:
    for authority in (ca_sm, ca_sm.parent):
        assert "BEGIN ENCRYPTED PRIVATE KEY" in authority.private_key_pem
        with pytest.raises(InvalidKeyError):
            suite("sm").load_private_key_pem(authority.private_key_pem.encode())
        with pytest.raises(InvalidKeyError):
            suite("sm").load_private_key_pem(authority.private_key_pem.encode(), b"wrong-pass")
        key = suite("sm").load_private_key_pem(
            authority.private_key_pem.encode(), PASSPHRASE.encode()
        )
        public = load_certificate(authority.certificate_pem).public_key_der
        assert suite("sm").public_key_der(key) == public


def test_init_is_audited_and_publishes_an_empty_crl(ca_sm: CertificateAuthority) -> None:
    entries = AuditEntry.objects.filter(action="trust.ca_initialised")
    assert [e.object_type for e in entries] == ["certificate_authority"] * 2
    assert {e.actor for e in entries} == {"ca-officer"}
    assert f"sm:issuing:{ca_sm.serial}" in {e.object_id for e in entries}
    assert not AuditEntry.objects.filter(summary__contains="PRIVATE KEY").exists()
    crl = RevocationList.objects.get()
    assert (crl.authority, crl.number, crl.revoked_count) == (ca_sm, 1, 0)


def test_second_init_is_refused_and_writes_nothing(ca_sm: CertificateAuthority) -> None:
    before = (CertificateAuthority.objects.count(), AuditEntry.objects.count())
    with pytest.raises(TrustError) as caught:
        services.initialise_ca(actor="ca-officer", suite_name="sm", passphrase=PASSPHRASE)
    assert caught.value.code == ErrorCode.CA_EXISTS
    assert "--force" in caught.value.reason
    assert (CertificateAuthority.objects.count(), AuditEntry.objects.count()) == before


def test_force_retires_the_old_pair(ca_sm: CertificateAuthority) -> None:
    root, issuing = services.initialise_ca(
        actor="ca-officer", suite_name="sm", passphrase=PASSPHRASE, force=True
    )
    ca_sm.refresh_from_db()
    assert not ca_sm.is_active
    assert issuing.is_active
    active = CertificateAuthority.objects.filter(suite="sm", is_active=True)
    assert set(active) == {root, issuing}


def test_each_suite_has_its_own_pair(ca_sm: CertificateAuthority) -> None:
    services.initialise_ca(actor="ca-officer", suite_name="intl", passphrase=PASSPHRASE)
    assert CertificateAuthority.objects.filter(is_active=True).count() == 4


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"passphrase": None}, "passphrase"),
        ({"passphrase": ""}, "passphrase"),
        ({"passphrase": "short"}, "passphrase"),
        ({"suite_name": "rsa"}, "suite"),
        ({"root_subject": "O=no common name"}, "root_subject"),
        ({"issuing_subject": "CN=x,C=China"}, "issuing_subject"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(arguments: dict, field: str) -> None:
    values = {"actor": "ca-officer", "suite_name": "sm", "passphrase": PASSPHRASE} | arguments
    with pytest.raises(TrustError) as caught:
        services.initialise_ca(**values)
    assert caught.value.field == field
    assert nothing_written()


def test_command_reads_the_passphrase_file(passphrase_file: Path, capsys) -> None:
    call_command("ca", "init", "--passphrase-file", str(passphrase_file), "--suite", "intl")
    issuing = CertificateAuthority.objects.get(role="issuing")
    assert issuing.suite == "intl"
    key_pem = issuing.private_key_pem.encode()
    assert suite("intl").load_private_key_pem(key_pem, PASSPHRASE.encode())  # no newline
    assert "issuing CA" in capsys.readouterr().out


def test_command_reads_the_passphrase_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("EGOV_CA_PASSPHRASE", PASSPHRASE)
    call_command("ca", "init", "--root-subject", "CN=黑龙江省电子政务根CA,C=CN")
    assert CertificateAuthority.objects.get(role="root").subject == "CN=黑龙江省电子政务根CA,C=CN"


def test_command_without_a_passphrase_fails_cleanly(monkeypatch) -> None:
    monkeypatch.delenv("EGOV_CA_PASSPHRASE", raising=False)
    monkeypatch.delenv("EGOV_CA_PASSPHRASE_FILE", raising=False)
    with pytest.raises(CommandError, match="passphrase: required"):
        call_command("ca", "init")
    assert nothing_written()


def test_command_refuses_reinit_without_force(passphrase_file: Path) -> None:
    call_command("ca", "init", "--passphrase-file", str(passphrase_file))
    with pytest.raises(CommandError, match="already has a CA"):
        call_command("ca", "init", "--passphrase-file", str(passphrase_file))
    call_command("ca", "init", "--passphrase-file", str(passphrase_file), "--force")
    assert CertificateAuthority.objects.filter(is_active=False).count() == 2
