"""``egov login-sign``: sign a certificate-login challenge with your key (证书登录签名).

    egov login-sign --key key.pem [--passphrase-file F] --nonce NONCE
    egov login-sign --p12 mine.p12 --passphrase-file F --nonce NONCE [--cert-out cert.pem]

Prints the signature in base64, to paste into the certificate login page. A
PKCS#12 file (the RA's download, 证书文件) gives the key, and with
``--cert-out`` the certificate to upload as well. The
key's suite decides the algorithm: SM2 with the GM/T 0009 signer ID and SM3,
or ECDSA P-256 with SHA-256. The signed bytes are ``egov-login:`` followed by
the nonce the page shows. Needs no database and never prints the key.
"""

from __future__ import annotations

import base64
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from asn1crypto import pem, pkcs12
from django.core.management.base import BaseCommand, CommandError

from egov.trust.crypto import CryptoError, PrivateKey, suite
from egov.trust.login import challenge_bytes
from egov.trust.pki.encoding import suite_of_public_key

MAX_KEY_BYTES = 16_384
MAX_PKCS12_BYTES = 65_536
MAX_NONCE_CHARS = 512
SUITE_ORDER = ("sm", "intl")


def read_file(option: str, path: str, limit: int) -> bytes:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"{option}: cannot read {path}: {exc.strerror}") from None
    if len(data) > limit:
        raise CommandError(f"{option}: larger than {limit} bytes")
    return data


def pkcs12_bags(data: bytes) -> list[Any]:
    """The safe bags of a PFX whose contents are not encrypted (keys are shrouded inside)."""
    try:
        pfx = pkcs12.Pfx.load(data, strict=True)
        bags = []
        for info in pfx.authenticated_safe:
            if info["content_type"].native != "data":
                raise CommandError(
                    "--p12: encrypted contents; extract the key with "
                    "openssl pkcs12 -nocerts and use --key"
                )
            bags.extend(pkcs12.SafeContents.load(info["content"].native))
        return bags
    except (ValueError, TypeError, KeyError):
        raise CommandError("--p12: not a PKCS#12 file") from None


def read_pkcs12(path: str) -> tuple[bytes, str]:
    """The encrypted key (PEM) and the holder's certificate (PEM) in a PKCS#12 file."""
    key_pem, certificate_pem = b"", ""
    for bag in pkcs12_bags(read_file("--p12", path, MAX_PKCS12_BYTES)):
        kind = bag["bag_id"].native
        if kind == "pkcs8_shrouded_key_bag" and not key_pem:
            key_pem = pem.armor("ENCRYPTED PRIVATE KEY", bag["bag_value"].untag().dump())
        elif kind == "cert_bag" and not certificate_pem:
            der = bag["bag_value"]["cert_value"].parsed.dump()
            certificate_pem = pem.armor("CERTIFICATE", der).decode("ascii")
    if not key_pem or not certificate_pem:
        raise CommandError("--p12: no key or no certificate in it")
    return key_pem, certificate_pem


def read_key(path: str, passphrase: bytes | None) -> PrivateKey:
    """The private key in ``path`` (PKCS#8 PEM, encrypted or not), of whichever suite it is."""
    return load_key(read_file("--key", path, MAX_KEY_BYTES), passphrase, "--key")


def load_key(data: bytes, passphrase: bytes | None, option: str) -> PrivateKey:
    if b"PRIVATE KEY" not in data:
        raise CommandError(f"{option}: not a PEM private key")
    problems = []
    for name in SUITE_ORDER:
        try:
            key = suite(name).load_private_key_pem(data, passphrase)
        except CryptoError as exc:
            problems.append(exc.reason)
            continue
        if suite_of_public_key(key.public_key().to_der()) == name:
            return key
    if any("password" in problem for problem in problems):
        raise CommandError(
            f"{option}: encrypted key: give --passphrase-file, or a wrong passphrase"
        )
    raise CommandError(f"{option}: not an SM2 or ECDSA P-256 private key")


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
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--key", help="your private key, PKCS#8 PEM")
        source.add_argument("--p12", help="your PKCS#12 file (.p12) from the RA")
        parser.add_argument("--passphrase-file", help="file holding the key's passphrase")
        parser.add_argument("--nonce", required=True, help="the challenge the login page shows")
        parser.add_argument("--cert-out", help="with --p12: write the certificate PEM here")

    def handle(self, *args: Any, **options: Any) -> None:
        nonce = str(options["nonce"]).strip()
        if not nonce or len(nonce) > MAX_NONCE_CHARS:
            raise CommandError(f"--nonce: required, at most {MAX_NONCE_CHARS} characters")
        passphrase = read_passphrase(options.get("passphrase_file"))
        if options.get("p12"):
            key_pem, certificate_pem = read_pkcs12(options["p12"])
            key = load_key(key_pem, passphrase, "--p12")
            if options.get("cert_out"):
                Path(options["cert_out"]).write_text(certificate_pem, encoding="ascii")
        else:
            key = read_key(options["key"], passphrase)
        signature = suite(key.suite_name).sign(key, challenge_bytes(nonce))
        self.stdout.write(base64.b64encode(signature).decode("ascii"))
