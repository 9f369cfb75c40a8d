"""Our detached signatures are read by ``openssl cms -verify`` (互操作)."""

from __future__ import annotations

from pathlib import Path

from egov.trust import selectors, signing
from egov.trust.models import CertificateAuthority
from egov.trust.pki.cms import parse_signed_data
from egov.trust.pki.encoding import to_pem
from egov.trust.tests.conftest import DISTID, openssl
from egov.trust.tests.test_signing_sign import PAYLOAD, holder_with_key


def openssl_cms_verify(directory: Path, suite_name: str, payload: bytes) -> tuple[int, str]:
    user, pem, _certificate = holder_with_key(suite_name)
    document = signing.sign(
        user=user, payload=PAYLOAD, private_key_pem=pem, passphrase="holder-pass"
    )
    (directory / "sig.der").write_bytes(document.signature_der)
    (directory / "payload").write_bytes(payload)
    (directory / "chain.pem").write_text(selectors.chain_pem(suite_name), encoding="ascii")
    result = openssl(
        "cms",
        "-verify",
        "-binary",
        "-inform",
        "DER",
        "-in",
        directory / "sig.der",
        "-content",
        directory / "payload",
        "-CAfile",
        directory / "chain.pem",
        "-purpose",
        "any",
        "-out",
        directory / "out",
    )
    return result.returncode, result.stderr


def test_openssl_accepts_intl_signature(tmp_path: Path, ca_intl: CertificateAuthority) -> None:
    code, stderr = openssl_cms_verify(tmp_path, "intl", PAYLOAD)
    assert code == 0, stderr
    assert "Verification successful" in stderr


def test_openssl_rejects_intl_signature_over_other_payload(
    tmp_path: Path, ca_intl: CertificateAuthority
) -> None:
    code, stderr = openssl_cms_verify(tmp_path, "intl", PAYLOAD + b"!")
    assert code != 0
    assert "Verification successful" not in stderr


def test_openssl_checks_sm2_signer_info_piece_by_piece(
    tmp_path: Path, ca_sm: CertificateAuthority
) -> None:
    """OpenSSL 3.0 ``cms`` cannot take the SM2 distid (docs/trust.md), so check the parts.

    ``pkeyutl`` verifies the SM2-with-SM3 signature over the signed attributes with
    the GM/T 0009 default ID, and ``dgst -sm3`` recomputes the message digest.
    """
    user, pem, _certificate = holder_with_key("sm")
    document = signing.sign(
        user=user, payload=PAYLOAD, private_key_pem=pem, passphrase="holder-pass"
    )
    parsed = parse_signed_data(document.signature_der)
    (tmp_path / "attrs.der").write_bytes(parsed.signed_attrs_der)
    (tmp_path / "sig.bin").write_bytes(parsed.signature)
    (tmp_path / "payload").write_bytes(PAYLOAD)
    (tmp_path / "pub.pem").write_text(
        to_pem(parsed.certificate.public_key_der, "PUBLIC KEY"), encoding="ascii"
    )
    verified = openssl(
        "pkeyutl",
        "-verify",
        "-pubin",
        "-inkey",
        tmp_path / "pub.pem",
        "-rawin",
        "-digest",
        "sm3",
        "-pkeyopt",
        DISTID,
        "-in",
        tmp_path / "attrs.der",
        "-sigfile",
        tmp_path / "sig.bin",
    )
    assert verified.returncode == 0, verified.stderr
    digest = openssl("dgst", "-sm3", "-r", tmp_path / "payload")
    assert digest.stdout.split()[0] == parsed.message_digest.hex()
