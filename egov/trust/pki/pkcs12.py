"""PKCS#12 files (个人信息交换文件 .p12/.pfx) for keys of both suites, no Django.

``cryptography`` cannot serialise SM2 keys, so the PFX is built here with
asn1crypto (RFC 7292): one SafeContents holding a ``pkcs8ShroudedKeyBag`` (the
key's PKCS#8 ``EncryptedPrivateKeyInfo`` exactly as the crypto layer wrote it:
PBES2/PBKDF2 with SM4-CBC for SM2, AES-256-CBC for P-256) and a ``certBag`` for
the certificate and each chain certificate, the holder's with the same
``localKeyId`` as the key; integrity by HMAC-SHA-256 under a key from the
PKCS#12 key derivation (RFC 7292 appendix B, ID 3). ``openssl pkcs12`` and
``cryptography``'s ``pkcs12.load_key_and_certificates`` read the result.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from typing import Any

from asn1crypto import algos, cms, core, keys, pkcs12, x509

from egov.trust.errors import invalid
from egov.trust.pki.encoding import PARSE_ERRORS

MAC_ITERATIONS = 2048
MAC_SALT_SIZE = 16
_HASH = hashlib.sha256
_U, _V = 32, 64  # SHA-256 output and block size in bytes


def pkcs12_kdf(password: str, salt: bytes, purpose: int, iterations: int, size: int) -> bytes:
    """RFC 7292 B.2 key derivation (``purpose`` 1 key, 2 IV, 3 MAC) with SHA-256."""
    bmp = password.encode("utf-16-be") + b"\0\0"
    diversifier = bytes([purpose]) * _V

    def stretch(data: bytes) -> bytes:
        length = _V * -(-len(data) // _V)
        return (data * (length // len(data) + 1))[:length] if data else b""

    block = stretch(salt) + stretch(bmp)
    output = b""
    while len(output) < size:
        digest = _HASH(diversifier + block).digest()
        for _ in range(iterations - 1):
            digest = _HASH(digest).digest()
        output += digest
        increment = int.from_bytes(stretch(digest)[:_V], "big") + 1
        block = b"".join(
            ((int.from_bytes(block[i : i + _V], "big") + increment) % (1 << (8 * _V))).to_bytes(
                _V, "big"
            )
            for i in range(0, len(block), _V)
        )
    return output[:size]


def _attributes(local_key_id: bytes | None, friendly_name: str) -> pkcs12.Attributes | None:
    values = []
    if friendly_name:
        values.append({"type": "friendly_name", "values": [core.BMPString(friendly_name)]})
    if local_key_id is not None:
        values.append({"type": "local_key_id", "values": [core.OctetString(local_key_id)]})
    return pkcs12.Attributes(values) if values else None


def _bag(
    bag_id: str, value: core.Asn1Value, attributes: pkcs12.Attributes | None
) -> dict[str, Any]:
    bag: dict[str, Any] = {"bag_id": bag_id, "bag_value": value}
    if attributes is not None:
        bag["bag_attributes"] = attributes
    return bag


def build_pfx(
    *,
    encrypted_key_der: bytes,
    certificate_ders: Sequence[bytes],
    password: str,
    friendly_name: str = "",
) -> bytes:
    """A DER PFX: the encrypted key, the holder's certificate first, then the chain.

    ``encrypted_key_der`` is a PKCS#8 EncryptedPrivateKeyInfo under ``password``
    (the caller has checked that the password opens it); the MAC uses the same password.
    """
    if not password:
        raise invalid("password", "required")
    if not certificate_ders:
        raise invalid("certificate", "at least the holder's certificate is required")
    try:
        shrouded = keys.EncryptedPrivateKeyInfo.load(encrypted_key_der, strict=True)
        certificates = [x509.Certificate.load(der, strict=True) for der in certificate_ders]
        shrouded.native  # noqa: B018 - parse it all now, so bad input fails here
    except PARSE_ERRORS:
        raise invalid("private_key", "not a PKCS#8 EncryptedPrivateKeyInfo") from None
    local_key_id = hashlib.sha1(certificates[0].dump(), usedforsecurity=False).digest()
    bags = [
        _bag("pkcs8_shrouded_key_bag", shrouded, _attributes(local_key_id, friendly_name)),
    ]
    for index, certificate in enumerate(certificates):
        value = pkcs12.CertBag({"cert_id": "x509", "cert_value": certificate})
        attributes = _attributes(local_key_id, friendly_name) if index == 0 else None
        bags.append(_bag("cert_bag", value, attributes))
    safe_contents = pkcs12.SafeContents([pkcs12.SafeBag(bag) for bag in bags]).dump()
    authenticated_safe = pkcs12.AuthenticatedSafe(
        [cms.ContentInfo({"content_type": "data", "content": safe_contents})]
    ).dump()
    salt = secrets.token_bytes(MAC_SALT_SIZE)
    mac_key = pkcs12_kdf(password, salt, 3, MAC_ITERATIONS, _U)
    mac = hmac.new(mac_key, authenticated_safe, _HASH).digest()
    pfx = pkcs12.Pfx(
        {
            "version": "v3",
            "auth_safe": {"content_type": "data", "content": authenticated_safe},
            "mac_data": {
                "mac": algos.DigestInfo(
                    {"digest_algorithm": {"algorithm": "sha256"}, "digest": mac}
                ),
                "mac_salt": salt,
                "iterations": MAC_ITERATIONS,
            },
        }
    )
    der: bytes = pfx.dump()  # asn1crypto has no type hints
    return der
