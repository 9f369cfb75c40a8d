"""Issuing from a PKCS#10 request (按证书申请签发): signature checked, suite from the key."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from egov.core.models import AuditEntry
from egov.trust import services
from egov.trust.crypto import suite
from egov.trust.errors import ErrorCode, TrustError
from egov.trust.models import Certificate, CertificateAuthority
from egov.trust.pki.certificates import load_certificate
from egov.trust.pki.encoding import to_pem
from egov.trust.pki.names import parse_subject
from egov.trust.pki.requests import build_request
from egov.trust.tests.conftest import DISTID, PASSPHRASE, openssl, openssl_accepts

pytestmark = pytest.mark.django_db


def openssl_csr(tmp_path: Path, *, distid: bool) -> Path:
    (tmp_path / "k.pem").write_bytes(suite("sm").private_key_to_pem(suite("sm").generate_key()))
    args = ["req", "-new", "-key", tmp_path / "k.pem", "-utf8", "-sm3"]
    args += ["-subj", "/C=CN/O=哈尔滨市人民政府/CN=www.harbin.gov.cn"]
    if distid:
        args += ["-sigopt", DISTID]
    assert openssl(*args, "-out", tmp_path / "r.csr").returncode == 0
    return tmp_path / "r.csr"


def test_openssl_request_is_issued_and_verifies(
    ca_sm: CertificateAuthority, tmp_path: Path, passphrase_file: Path
) -> None:
    csr = openssl_csr(tmp_path, distid=True)
    out = tmp_path / "out"
    call_command(
        "ca", "issue", "--kind", "server", "--csr", str(csr), "--san", "dns:www.harbin.gov.cn",
        "--out", str(out), "--passphrase-file", str(passphrase_file),
    )  # fmt: skip
    assert not (out / "key.pem").exists()  # the key stays with whoever made the request
    cert_pem = (out / "cert.pem").read_text()
    assert openssl_accepts(tmp_path, cert_pem, (out / "chain.pem").read_text(), "sm")
    parsed = load_certificate(cert_pem)
    assert parsed.subject == "CN=www.harbin.gov.cn,O=哈尔滨市人民政府,C=CN"
    record = Certificate.objects.get()
    assert (record.kind, record.suite) == ("server", "sm")


@pytest.mark.parametrize("suite_name", ["sm", "intl"])
def test_suite_follows_the_request_key(
    ca_sm: CertificateAuthority, ca_intl: CertificateAuthority, suite_name: str
) -> None:
    crypto = suite(suite_name)
    key = crypto.generate_key()
    csr = build_request(crypto, key, parse_subject("CN=李四,C=CN"))
    record = services.issue_from_request(
        actor="ra", csr=to_pem(csr, "CERTIFICATE REQUEST"), kind="person", passphrase=PASSPHRASE
    )
    assert record.suite == suite_name
    assert load_certificate(record.certificate_pem).public_key_der == crypto.public_key_der(key)
    assert AuditEntry.objects.filter(action="trust.certificate_issued").count() == 1


def test_request_with_another_signer_id_is_refused_and_nothing_written(
    ca_sm: CertificateAuthority, tmp_path: Path
) -> None:
    audit_before = AuditEntry.objects.count()
    with pytest.raises(TrustError) as caught:
        services.issue_from_request(
            actor="ra",
            csr=openssl_csr(tmp_path, distid=False).read_bytes(),
            kind="person",
            passphrase=PASSPHRASE,
        )
    assert (caught.value.code, caught.value.field) == (ErrorCode.BAD_SIGNATURE, "csr")
    assert not Certificate.objects.exists()
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.parametrize(
    "data", [b"garbage", b"", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"]
)
def test_malformed_request_is_refused(ca_sm: CertificateAuthority, data: bytes | str) -> None:
    with pytest.raises(TrustError) as caught:
        services.issue_from_request(actor="ra", csr=data, kind="person", passphrase=PASSPHRASE)
    assert (caught.value.code, caught.value.field) == (ErrorCode.MALFORMED, "csr")
    assert not Certificate.objects.exists()


def test_request_with_an_unsupported_subject_attribute_is_refused(
    ca_sm: CertificateAuthority, tmp_path: Path
) -> None:
    (tmp_path / "k.pem").write_bytes(suite("sm").private_key_to_pem(suite("sm").generate_key()))
    result = openssl(
        "req", "-new", "-key", tmp_path / "k.pem", "-sm3", "-sigopt", DISTID,
        "-subj", "/CN=x/title=处长", "-utf8", "-out", tmp_path / "r.csr",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    with pytest.raises(TrustError) as caught:
        services.issue_from_request(
            actor="ra", csr=(tmp_path / "r.csr").read_bytes(), kind="person", passphrase=PASSPHRASE
        )
    assert caught.value.field == "subject"
    assert not Certificate.objects.exists()


def test_command_refuses_subject_with_csr(
    ca_sm: CertificateAuthority, tmp_path: Path, passphrase_file: Path
) -> None:
    csr = openssl_csr(tmp_path, distid=True)
    with pytest.raises(CommandError, match="subject: comes from the request"):
        call_command(
            "ca", "issue", "--kind", "person", "--csr", str(csr), "--subject", "CN=x",
            "--out", str(tmp_path / "o"), "--passphrase-file", str(passphrase_file),
        )  # fmt: skip
    assert not Certificate.objects.exists()
