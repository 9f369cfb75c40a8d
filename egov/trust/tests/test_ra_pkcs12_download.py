"""The PKCS#12 of a generated key (证书文件下载): read by OpenSSL, delivered once, never logged."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import pkcs12

from egov.core.models import AuditEntry, Event
from egov.trust import registration
from egov.trust.errors import ErrorCode, TrustError
from egov.trust.pki.certificates import load_certificate
from egov.trust.tests.conftest import openssl
from egov.trust.tests.ra_support import P12_PASSWORD, issued_for, ra_officer, written

__all__ = ["ra_officer"]


def download(user, application, password=P12_PASSWORD) -> bytes:
    return registration.download_pkcs12(actor=user, number=application.number, password=password)


def test_openssl_reads_the_sm2_pkcs12_and_its_key_matches(
    ca_sm, citizen, ra_officer, tmp_path: Path, caplog
):
    caplog.set_level(logging.DEBUG)
    application = issued_for(citizen, ra_officer)
    pfx = download(citizen, application)
    path = tmp_path / "holder.p12"
    path.write_bytes(pfx)

    info = openssl("pkcs12", "-info", "-nokeys", "-in", path, "-passin", f"pass:{P12_PASSWORD}")
    assert info.returncode == 0, info.stderr
    assert "MAC: sha256" in info.stderr
    assert "Shrouded Keybag: PBES2, PBKDF2, SM4-CBC" in info.stderr
    assert info.stdout.count("BEGIN CERTIFICATE") == 3  # holder, issuing CA, root
    assert application.certificate.certificate_pem.strip() in info.stdout

    keys = openssl("pkcs12", "-in", path, "-nocerts", "-nodes", "-passin", f"pass:{P12_PASSWORD}")
    assert keys.returncode == 0, keys.stderr
    key_file = tmp_path / "key.pem"
    key_file.write_text(keys.stdout[keys.stdout.index("-----BEGIN PRIVATE KEY-----") :])
    public = openssl("pkey", "-in", key_file, "-pubout", "-outform", "DER")
    cert = load_certificate(application.certificate.certificate_pem)
    assert openssl("pkey", "-in", key_file, "-noout").returncode == 0
    from egov.trust.crypto import suite

    key = suite("sm").load_private_key_pem(key_file.read_bytes())
    assert key.public_key().to_der() == cert.public_key_der
    assert public.returncode == 0

    wrong = openssl("pkcs12", "-info", "-nokeys", "-in", path, "-passin", "pass:not-the-password")
    assert wrong.returncode != 0
    assert "PRIVATE KEY" not in caplog.text


def test_cryptography_reads_the_international_pkcs12(ca_intl, enterprise, ra_officer):
    application = issued_for(enterprise, ra_officer, "org-seal", "intl")

    key, certificate, chain = pkcs12.load_key_and_certificates(
        download(enterprise, application), P12_PASSWORD.encode()
    )

    assert certificate.serial_number == int(application.certificate.serial, 16)
    assert len(chain) == 2
    from cryptography.hazmat.primitives import serialization

    spki = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert spki == bytes(application.public_key_der)


def test_the_key_is_delivered_once_then_erased(ca_sm, citizen, ra_officer):
    application = issued_for(citizen, ra_officer)
    download(citizen, application)

    application.refresh_from_db()
    assert application.sealed_private_key is None
    assert application.key_delivered_at is not None
    entry = AuditEntry.objects.get(action="trust.pkcs12_delivered")
    assert entry.object_id == application.number
    before = written()
    with pytest.raises(TrustError) as caught:
        download(citizen, application)
    assert (caught.value.code, caught.value.field) == (ErrorCode.ALREADY_DELIVERED, "number")
    assert written() == before


def test_a_wrong_password_keeps_the_key_and_writes_nothing(ca_sm, citizen, ra_officer):
    application = issued_for(citizen, ra_officer)
    before = written()

    with pytest.raises(TrustError) as caught:
        download(citizen, application, password="not-the-password")

    assert (caught.value.code, caught.value.field) == (ErrorCode.WRONG_PASSWORD, "password")
    assert written() == before
    application.refresh_from_db()
    assert application.sealed_private_key is not None
    assert download(citizen, application)  # the right password still works


def test_only_the_applicant_downloads_and_only_once_issued(ca_sm, citizen, ra_officer):
    pending = registration.apply_for_certificate(
        actor=citizen, kind="person", pkcs12_password=P12_PASSWORD
    )
    before = written()
    with pytest.raises(TrustError) as caught:
        download(citizen, pending)
    assert caught.value.field == "number"
    with pytest.raises(TrustError) as caught:
        download(ra_officer, pending)
    assert caught.value.code == ErrorCode.NOT_FOUND
    assert written() == before


def test_no_private_key_in_the_audit_chain_or_events(ca_sm, citizen, ra_officer):
    application = issued_for(citizen, ra_officer)
    download(citizen, application)

    texts = [str(row) for row in AuditEntry.objects.values_list("summary", "object_id")]
    texts += [str(payload) for payload in Event.objects.values_list("payload", flat=True)]
    assert texts
    for text in texts:
        assert "PRIVATE KEY" not in text
        assert P12_PASSWORD not in text
