"""``egov login-sign``: sign a certificate-login challenge with your key (证书登录签名).

    egov login-sign --key key.pem [--passphrase-file F] --nonce NONCE

Prints the signature in base64, to paste into the certificate login page. The
key's suite decides the algorithm: SM2 with the GM/T 0009 signer ID and SM3,
or ECDSA P-256 with SHA-256. The signed bytes are ``egov-login:`` followed by
the nonce the page shows. Needs no database and never prints the key.
"""

from __future__ import annotations

import base64
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from egov.trust.crypto import CryptoError, PrivateKey, suite
from egov.trust.login import challenge_bytes
from egov.trust.pki.encoding import suite_of_public_key

MAX_KEY_BYTES = 16_384
MAX_NONCE_CHARS = 512
SUITE_ORDER = ("sm", "intl")


def read_key(path: str, passphrase: bytes | None) -> PrivateKey:
    """The private key in ``path`` (PKCS#8 PEM, encrypted or not), of whichever suite it is."""
    try:
        pem = Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"--key: cannot read {path}: {exc.strerror}") from None
    if len(pem) > MAX_KEY_BYTES or b"PRIVATE KEY" not in pem:
        raise CommandError("--key: not a PEM private key")
    problems = []
    for name in SUITE_ORDER:
        try:
            key = suite(name).load_private_key_pem(pem, passphrase)
        except CryptoError as exc:
            problems.append(exc.reason)
            continue
        if suite_of_public_key(key.public_key().to_der()) == name:
            return key
    if any("password" in problem for problem in problems):
        raise CommandError("--key: encrypted key: give --passphrase-file, or a wrong passphrase")
    raise CommandError("--key: not an SM2 or ECDSA P-256 private key")


def read_passphrase(path: str | None) -> bytes | None:
    if not path:
        return None
    try:
        return Path(path).read_bytes().rstrip(b"\r\n")
    except OSError as exc:
        raise CommandError(f"--passphrase-file: cannot read {path}: {exc.strerror}") from None


class Command(BaseCommand):
    help = "Sign a certificate-login challenge; prints the base64 signature (证书登录签名)."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--key", required=True, help="your private key, PKCS#8 PEM")
        parser.add_argument("--passphrase-file", help="file holding the key's passphrase")
        parser.add_argument("--nonce", required=True, help="the challenge the login page shows")

    def handle(self, *args: Any, **options: Any) -> None:
        nonce = str(options["nonce"]).strip()
        if not nonce or len(nonce) > MAX_NONCE_CHARS:
            raise CommandError(f"--nonce: required, at most {MAX_NONCE_CHARS} characters")
        key = read_key(options["key"], read_passphrase(options.get("passphrase_file")))
        signature = suite(key.suite_name).sign(key, challenge_bytes(nonce))
        self.stdout.write(base64.b64encode(signature).decode("ascii"))
