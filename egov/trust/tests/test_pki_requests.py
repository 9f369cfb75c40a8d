"""PKCS#10 requests (证书申请): ours and openssl's are read, bad signatures refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from asn1crypto import csr

from egov.trust.crypto import suite
from egov.trust.errors import ErrorCode, TrustError
from egov.trust.pki.encoding import to_pem
from egov.trust.pki.names import parse_subject
from egov.trust.pki.requests import build_request, load_request
from egov.trust.tests.conftest import DISTID, openssl


@pytest.mark.parametrize("suite_name", ["sm", "intl"])
def test_our_request_reads_back_with_subject_and_key(suite_name: str) -> None:
    crypto = suite(suite_name)
    key = crypto.generate_key()
    der = build_request(crypto, key, parse_subject("CN=李四,O=哈尔滨市人民政府,C=CN"))
    request = load_request(to_pem(der, "CERTIFICATE REQUEST"))
    assert request.subject == "CN=李四,O=哈尔滨市人民政府,C=CN"
    assert request.public_key_der == crypto.public_key_der(key)
    assert request.suite_name == suite_name


@pytest.mark.parametrize("suite_name", ["sm", "intl"])
def test_openssl_checks_our_request(tmp_path: Path, suite_name: str) -> None:
    crypto = suite(suite_name)
    der = build_request(crypto, crypto.generate_key(), parse_subject("CN=李四,C=CN"))
    (tmp_path / "r.pem").write_text(to_pem(der, "CERTIFICATE REQUEST"), encoding="ascii")
    extra = ["-vfyopt", DISTID] if suite_name == "sm" else []
    result = openssl("req", "-in", tmp_path / "r.pem", "-noout", "-verify", *extra)
    assert "verify OK" in result.stdout + result.stderr


def openssl_request(tmp_path: Path, suite_name: str, *, distid: bool) -> bytes:
    crypto = suite(suite_name)
    (tmp_path / "k.pem").write_bytes(crypto.private_key_to_pem(crypto.generate_key()))
    args = ["req", "-new", "-key", tmp_path / "k.pem", "-utf8", "-subj", "/C=CN/CN=王五"]
    args += ["-sm3"] if suite_name == "sm" else ["-sha256"]
    if distid:
        args += ["-sigopt", DISTID]
    result = openssl(*args, "-out", tmp_path / "r.csr")
    assert result.returncode == 0, result.stderr
    return (tmp_path / "r.csr").read_bytes()


@pytest.mark.parametrize("suite_name", ["sm", "intl"])
def test_openssl_requests_are_accepted(tmp_path: Path, suite_name: str) -> None:
    request = load_request(openssl_request(tmp_path, suite_name, distid=suite_name == "sm"))
    assert request.subject == "CN=王五,C=CN"


def test_sm2_request_signed_with_openssls_own_default_id_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TrustError) as caught:
        load_request(openssl_request(tmp_path, "sm", distid=False))
    assert caught.value.code == ErrorCode.BAD_SIGNATURE
    assert "1234567812345678" in caught.value.reason


@pytest.mark.parametrize("suite_name", ["sm", "intl"])
def test_request_with_a_swapped_key_is_refused(suite_name: str) -> None:
    crypto = suite(suite_name)
    request = csr.CertificationRequest.load(
        build_request(crypto, crypto.generate_key(), parse_subject("CN=李四,C=CN"))
    )
    other = build_request(crypto, crypto.generate_key(), parse_subject("CN=李四,C=CN"))
    request["signature"] = csr.CertificationRequest.load(other)["signature"].native
    with pytest.raises(TrustError) as caught:
        load_request(request.dump(), field="csr")
    assert (caught.value.field, caught.value.code) == ("csr", ErrorCode.BAD_SIGNATURE)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not a request",
        b"-----BEGIN CERTIFICATE REQUEST-----\n!!!!\n-----END CERTIFICATE REQUEST-----\n",
        b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        b"\x30\x03\x02\x01\x01",
    ],
)
def test_malformed_requests_are_refused(data: bytes) -> None:
    with pytest.raises(TrustError) as caught:
        load_request(data)
    assert caught.value.field == "csr"
    assert caught.value.code == ErrorCode.MALFORMED


def test_request_for_an_rsa_key_is_refused(tmp_path: Path) -> None:
    result = openssl(
        "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", tmp_path / "k.pem",
        "-subj", "/CN=rsa", "-out", tmp_path / "r.csr",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    with pytest.raises(TrustError) as caught:
        load_request((tmp_path / "r.csr").read_bytes())
    assert caught.value.field == "csr"
    assert "only SM2 and ECDSA P-256" in caught.value.reason
