"""PKCS#12 building (PFX 文件格式), pure: OpenSSL and cryptography read it; bad input refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from asn1crypto import pem
from cryptography.hazmat.primitives.serialization import pkcs12

from egov.trust.crypto import PrivateKey, suite
from egov.trust.errors import TrustError
from egov.trust.pki.pkcs12 import build_pfx, pkcs12_kdf
from egov.trust.tests.conftest import DISTID, openssl


def self_signed(tmp_path: Path, key: PrivateKey, suite_name: str) -> bytes:
    """A throw-away self-signed certificate for ``key``, made by openssl."""
    key_file, cert_file = tmp_path / "k.pem", tmp_path / "c.pem"
    key_file.write_bytes(key.to_pem(None))
    extra = ["-sm3", "-sigopt", DISTID] if suite_name == "sm" else []
    made = openssl(
        "req", "-new", "-x509", "-key", key_file, "-subj", "/CN=test", "-out", cert_file, *extra
    )
    assert made.returncode == 0, made.stderr
    return pem.unarmor(cert_file.read_bytes())[2]


def encrypted(key: PrivateKey, password: str) -> bytes:
    return pem.unarmor(key.to_pem(password.encode("utf-8")))[2]


@pytest.mark.parametrize("suite_name", ["sm", "intl"])
@pytest.mark.parametrize("password", ["p12-password-2026", "证书口令-2026"])
def test_openssl_reads_the_key_back(tmp_path: Path, suite_name: str, password: str):
    key = suite(suite_name).generate_key()
    pfx = build_pfx(
        encrypted_key_der=encrypted(key, password),
        certificate_ders=[self_signed(tmp_path, key, suite_name)],
        password=password,
        friendly_name="张三",
    )
    path = tmp_path / "x.p12"
    path.write_bytes(pfx)

    out = openssl("pkcs12", "-in", path, "-nocerts", "-nodes", "-passin", f"pass:{password}")

    assert out.returncode == 0, out.stderr
    key_pem = out.stdout[out.stdout.index("-----BEGIN PRIVATE KEY-----") :].encode()
    assert suite(suite_name).load_private_key_pem(key_pem).public_key() == key.public_key()
    wrong = openssl("pkcs12", "-in", path, "-nokeys", "-passin", "pass:wrong-password")
    assert wrong.returncode != 0


def test_cryptography_reads_the_international_pfx_with_its_chain(tmp_path: Path):
    key = suite("intl").generate_key()
    cert = self_signed(tmp_path, key, "intl")
    pfx = build_pfx(
        encrypted_key_der=encrypted(key, "p12-password-2026"),
        certificate_ders=[cert, cert],
        password="p12-password-2026",
    )
    loaded_key, loaded_cert, chain = pkcs12.load_key_and_certificates(pfx, b"p12-password-2026")
    assert loaded_cert is not None
    assert len(chain) == 1
    assert loaded_key is not None


def test_the_kdf_is_deterministic_and_separates_purposes():
    salt = bytes(range(16))
    mac = pkcs12_kdf("password", salt, 3, 2048, 32)
    assert mac == pkcs12_kdf("password", salt, 3, 2048, 32)
    assert mac != pkcs12_kdf("password", salt, 1, 2048, 32)
    assert mac != pkcs12_kdf("passwore", salt, 3, 2048, 32)
    assert len(pkcs12_kdf("password", salt, 1, 1, 70)) == 70


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"encrypted_key_der": b"\x30\x03\x02\x01\x00"}, "private_key"),
        ({"encrypted_key_der": b"garbage"}, "private_key"),
        ({"certificate_ders": [b"garbage"]}, "private_key"),
        ({"certificate_ders": []}, "certificate"),
        ({"password": ""}, "password"),
    ],
)
def test_bad_input_is_refused_naming_the_field(tmp_path: Path, kwargs, field):
    key = suite("sm").generate_key()
    values = {
        "encrypted_key_der": encrypted(key, "p12-password-2026"),
        "certificate_ders": [self_signed(tmp_path, key, "sm")],
        "password": "p12-password-2026",
    } | kwargs
    with pytest.raises(TrustError) as caught:
        build_pfx(**values)
    assert caught.value.field == field
