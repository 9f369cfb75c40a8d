"""v2 CRLs (证书吊销列表) built with asn1crypto, read by ``openssl crl``. No database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from egov.trust.crypto import suite
from egov.trust.pki.certificates import build_certificate, ca_extensions
from egov.trust.pki.encoding import key_identifier, to_pem
from egov.trust.pki.names import parse_subject
from egov.trust.pki.revocation import RevokedEntry, build_crl, load_crl
from egov.trust.tests.conftest import DISTID, openssl

# Clock read on purpose: certificates and CRLs valid from the moment the tests run
# (EGOV_TEST_TODAY included); openssl checks them at that moment too (-attime).
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
ISSUER = parse_subject("CN=黑龙江省电子政务签发CA,O=黑龙江省人民政府,C=CN")
REVOKED = [
    RevokedEntry(0xABCDEF, NOW - dt.timedelta(hours=1), 1),  # keyCompromise
    RevokedEntry(0x3039, NOW, 0),  # unspecified: no reason extension
    RevokedEntry(0x1F, NOW, 6),  # certificateHold
]


def signed_crl(suite_name: str, tmp_path: Path) -> tuple[bytes, bytes]:
    """A CRL and the DER SubjectPublicKeyInfo of the key that signed it; CA cert in ca.pem."""
    crypto = suite(suite_name)
    key = crypto.generate_key()
    public = crypto.public_key_der(key)
    ca = build_certificate(
        crypto,
        signing_key=key,
        serial=7,
        subject=ISSUER,
        issuer=ISSUER,
        public_key_der=public,
        not_before=NOW - dt.timedelta(days=1),
        not_after=NOW + dt.timedelta(days=365),
        extensions=ca_extensions(
            crypto, public_key_der=public, issuer_key_der=public, path_length=0
        ),
    )
    (tmp_path / "ca.pem").write_text(to_pem(ca, "CERTIFICATE"), encoding="ascii")
    (tmp_path / "ca-pub.pem").write_bytes(crypto.public_key_pem(key))
    der = build_crl(
        crypto,
        signing_key=key,
        issuer=ISSUER,
        issuer_key_id=key_identifier(crypto, public),
        number=42,
        this_update=NOW,
        next_update=NOW + dt.timedelta(days=7),
        revoked=REVOKED,
    )
    (tmp_path / "x.crl").write_bytes(der)
    return der, public


@pytest.mark.parametrize("suite_name", ["sm", "intl"])
def test_openssl_lists_serials_reasons_number_and_dates(tmp_path: Path, suite_name: str) -> None:
    signed_crl(suite_name, tmp_path)
    result = openssl("crl", "-inform", "DER", "-in", tmp_path / "x.crl", "-noout", "-text")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "Version 2 (0x1)" in text
    assert "X509v3 CRL Number: \n                42" in text
    assert "X509v3 Authority Key Identifier" in text
    assert "Next Update:" in text
    assert "Serial Number: ABCDEF" in text
    assert "Serial Number: 3039" in text
    assert "Key Compromise" in text
    assert "Certificate Hold" in text
    assert text.count("X509v3 CRL Reason Code") == 2  # none for "unspecified"


def test_openssl_verifies_the_intl_crl_signature(tmp_path: Path) -> None:
    signed_crl("intl", tmp_path)
    args = ["crl", "-inform", "DER", "-in", tmp_path / "x.crl", "-noout", "-verify"]
    result = openssl(*args, "-CAfile", tmp_path / "ca.pem")
    assert "verify OK" in result.stderr + result.stdout


def test_sm2_crl_signature_verifies_with_pkeyutl_and_our_layer(tmp_path: Path) -> None:
    """``openssl crl -verify`` (3.0) has no distid option and reports "verify failure"
    for SM2 CRLs, so the signature is checked over the TBS with ``pkeyutl``."""
    der, public = signed_crl("sm", tmp_path)
    parsed = load_crl(der)
    (tmp_path / "tbs.der").write_bytes(parsed.tbs_der)
    (tmp_path / "sig.der").write_bytes(parsed.signature)
    result = openssl(
        "pkeyutl", "-verify", "-pubin", "-inkey", tmp_path / "ca-pub.pem", "-rawin",
        "-digest", "sm3", "-pkeyopt", DISTID, "-in", tmp_path / "tbs.der",
        "-sigfile", tmp_path / "sig.der",
    )  # fmt: skip
    assert "Signature Verified Successfully" in result.stdout, result.stderr
    assert parsed.signed_by(public)
    other = suite("sm").public_key_der(suite("sm").generate_key())
    assert not parsed.signed_by(other)


def test_crl_reads_back() -> None:
    crypto = suite("sm")
    key = crypto.generate_key()
    der = build_crl(
        crypto,
        signing_key=key,
        issuer=ISSUER,
        issuer_key_id=b"\x01" * 20,
        number=1,
        this_update=NOW,
        next_update=NOW + dt.timedelta(days=7),
        revoked=REVOKED,
    )
    parsed = load_crl(to_pem(der, "X509 CRL"))
    assert parsed.number == 1
    assert parsed.revoked == {0xABCDEF: 1, 0x3039: 0, 0x1F: 6}
    assert parsed.issuer == "CN=黑龙江省电子政务签发CA,O=黑龙江省人民政府,C=CN"
    assert parsed.next_update == NOW + dt.timedelta(days=7)


def test_empty_crl_is_valid_for_openssl(tmp_path: Path) -> None:
    crypto = suite("intl")
    der = build_crl(
        crypto,
        signing_key=crypto.generate_key(),
        issuer=ISSUER,
        issuer_key_id=b"\x02" * 20,
        number=1,
        this_update=NOW,
        next_update=NOW + dt.timedelta(days=7),
        revoked=[],
    )
    (tmp_path / "e.crl").write_bytes(der)
    result = openssl("crl", "-inform", "DER", "-in", tmp_path / "e.crl", "-noout", "-text")
    assert "No Revoked Certificates." in result.stdout
    assert load_crl(der).revoked == {}
