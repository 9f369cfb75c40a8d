"""``egov login-sign`` (证书登录签名工具): signs the challenge with the key's suite, no database.

These tests have no database access (pytest-django refuses any query), which
is what "needs no database" means for the holder's machine.
"""

from __future__ import annotations

import base64
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from egov.trust.crypto import suite
from egov.trust.login import challenge_bytes
from egov.trust.tests.conftest import DISTID, openssl

NONCE = "0123456789abcdef0123456789abcdef@egov.example.gov.cn"


def run(*args: str) -> str:
    out = StringIO()
    call_command("login_sign", *args, stdout=out)
    return out.getvalue().strip()


@pytest.mark.parametrize("suite_name", ["sm", "intl"])
def test_signature_verifies_over_the_prefixed_nonce(suite_name: str, tmp_path: Path) -> None:
    crypto = suite(suite_name)
    key = crypto.generate_key()
    (tmp_path / "key.pem").write_bytes(key.to_pem(b"holder-passphrase"))
    (tmp_path / "pass").write_text("holder-passphrase\n")

    printed = run(
        "--key", str(tmp_path / "key.pem"), "--passphrase-file", str(tmp_path / "pass"),
        "--nonce", NONCE,
    )  # fmt: skip

    signature = base64.b64decode(printed, validate=True)
    assert crypto.verify(key.public_key(), b"egov-login:" + NONCE.encode(), signature)
    assert not crypto.verify(key.public_key(), NONCE.encode(), signature)
    assert "PRIVATE" not in printed


def test_openssl_accepts_the_sm2_signature_with_the_gmt_0009_id(tmp_path: Path) -> None:
    key = suite("sm").generate_key()
    (tmp_path / "key.pem").write_bytes(key.to_pem())
    (tmp_path / "pub.pem").write_bytes(key.public_key().to_pem())
    (tmp_path / "msg").write_bytes(challenge_bytes(NONCE))
    signature = base64.b64decode(run("--key", str(tmp_path / "key.pem"), "--nonce", NONCE))
    (tmp_path / "sig").write_bytes(signature)

    result = openssl(
        "pkeyutl", "-verify", "-pubin", "-inkey", tmp_path / "pub.pem", "-rawin",
        "-digest", "sm3", "-pkeyopt", DISTID, "-in", tmp_path / "msg",
        "-sigfile", tmp_path / "sig",
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert "Signature Verified Successfully" in result.stdout


def test_an_encrypted_key_without_its_passphrase_is_refused(tmp_path: Path) -> None:
    (tmp_path / "key.pem").write_bytes(suite("sm").generate_key().to_pem(b"secret-pass"))

    with pytest.raises(CommandError, match="--key: encrypted key"):
        run("--key", str(tmp_path / "key.pem"), "--nonce", NONCE)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        (
            b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
            "not a PEM private key",
        ),
        (b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "not an SM2 or ECDSA"),
    ],
)
def test_bad_key_files_are_refused(tmp_path: Path, content: bytes | None, message: str) -> None:
    if content is not None:
        (tmp_path / "key.pem").write_bytes(content)

    with pytest.raises(CommandError, match=message):
        run("--key", str(tmp_path / "key.pem"), "--nonce", NONCE)


def test_an_empty_nonce_is_refused(tmp_path: Path) -> None:
    (tmp_path / "key.pem").write_bytes(suite("sm").generate_key().to_pem())

    with pytest.raises(CommandError, match="--nonce"):
        run("--key", str(tmp_path / "key.pem"), "--nonce", " ")


def test_the_egov_command_spells_it_with_a_hyphen(tmp_path: Path) -> None:
    key = suite("intl").generate_key()
    (tmp_path / "key.pem").write_bytes(key.to_pem())
    egov = Path(sys.executable).with_name("egov")

    result = subprocess.run(  # noqa: S603 - our own command
        [egov, "login-sign", "--key", tmp_path / "key.pem", "--nonce", NONCE],
        capture_output=True, text=True, check=False, timeout=120,
        env={"EGOV_VAR_DIR": str(tmp_path / "var"), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    signature = base64.b64decode(result.stdout.strip())
    assert suite("intl").verify(key.public_key(), challenge_bytes(NONCE), signature)
    assert not (tmp_path / "var" / "egov.sqlite3").exists()
