"""The international suite: ECDSA P-256 with SHA-256, AES-256-GCM, SHA-256.

Everything comes from ``cryptography``. ECDSA has no signer identity, so the
``signer_id`` argument of :meth:`InternationalSuite.sign` and ``verify`` is
accepted for a uniform interface and ignored.

Public-key encryption is ECIES-style (own format, not a standard container):
``ephemeral P-256 point (65, uncompressed) || AES-256-GCM blob``, the AES key
derived by HKDF-SHA256 from the ECDH secret, with both points in the info.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes, PublicKeyTypes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from . import symmetric
from .base import (
    DEFAULT_SIGNER_ID,
    CryptoSuite,
    PrivateKey,
    PublicKey,
    check_bytes,
)
from .errors import DecryptionError, InvalidInputError, InvalidKeyError

ECDSA_WITH_SHA256_OID = "1.2.840.10045.4.3.2"
P256_CURVE_OID = "1.2.840.10045.3.1.7"
_POINT_SIZE = 65
_ECIES_INFO = b"egov-ecies-p256-hkdf-sha256-aes256gcm-v1"


class P256PublicKey(PublicKey):
    suite_name = "intl"

    def __init__(self, key: ec.EllipticCurvePublicKey) -> None:
        self.key = key

    def to_der(self) -> bytes:
        return self.key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def to_pem(self) -> bytes:
        return self.key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def point(self) -> bytes:
        return self.key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )


class P256PrivateKey(PrivateKey):
    suite_name = "intl"

    def __init__(self, key: ec.EllipticCurvePrivateKey) -> None:
        self.key = key

    def public_key(self) -> P256PublicKey:
        return P256PublicKey(self.key.public_key())

    def to_pem(self, password: bytes | None = None) -> bytes:
        if password is None:
            encryption: serialization.KeySerializationEncryption = serialization.NoEncryption()
        else:
            password = check_bytes("password", password)
            if not password:
                raise InvalidInputError("password", "must be non-empty")
            encryption = serialization.BestAvailableEncryption(password)
        return self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )

    def to_der(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


def _load_private(
    load: Callable[[bytes, bytes | None], PrivateKeyTypes], data: bytes, password: bytes | None
) -> P256PrivateKey:
    try:
        key = load(data, password)
    except TypeError as exc:  # password missing for an encrypted key, or given for a plain one
        raise InvalidKeyError("password", str(exc)) from None
    except (ValueError, UnsupportedAlgorithm) as exc:
        field = "password" if password is not None else "private_key"
        raise InvalidKeyError(field, f"not a readable key ({exc})") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise InvalidKeyError("private_key", "not an ECDSA P-256 key")
    return P256PrivateKey(key)


def _load_public(load: Callable[[bytes], PublicKeyTypes], data: bytes) -> P256PublicKey:
    try:
        key = load(data)
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise InvalidKeyError("public_key", f"not a readable key ({exc})") from None
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP256R1):
        raise InvalidKeyError("public_key", "not an ECDSA P-256 key")
    return P256PublicKey(key)


def _ecies_key(shared: bytes, ephemeral_point: bytes, recipient_point: bytes) -> bytes:
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=symmetric.AES_KEY_SIZE,
        salt=None,
        info=_ECIES_INFO + ephemeral_point + recipient_point,
    )
    return hkdf.derive(shared)


class InternationalSuite(CryptoSuite):
    """ECDSA P-256 / SHA-256 / AES-256-GCM."""

    name = "intl"
    signature_algorithm_oid = ECDSA_WITH_SHA256_OID
    signature_algorithm_name = "ecdsa-with-SHA256"
    digest_name = "SHA-256"
    digest_size = 32
    symmetric_key_size = symmetric.AES_KEY_SIZE
    _private_type = P256PrivateKey
    _public_type = P256PublicKey

    # keys
    def generate_key(self) -> P256PrivateKey:
        return P256PrivateKey(ec.generate_private_key(ec.SECP256R1()))

    def load_private_key_pem(self, pem: bytes, password: bytes | None = None) -> P256PrivateKey:
        pem = check_bytes("pem", pem)
        return _load_private(serialization.load_pem_private_key, pem, password)

    def load_private_key_der(self, der: bytes) -> P256PrivateKey:
        der = check_bytes("der", der)
        return _load_private(serialization.load_der_private_key, der, None)

    def load_public_key_pem(self, pem: bytes) -> P256PublicKey:
        return _load_public(serialization.load_pem_public_key, check_bytes("pem", pem))

    def load_public_key_der(self, der: bytes) -> P256PublicKey:
        return _load_public(serialization.load_der_public_key, check_bytes("der", der))

    # signatures
    def sign(
        self, private_key: PrivateKey, data: bytes, signer_id: bytes = DEFAULT_SIGNER_ID
    ) -> bytes:
        key = self._own_private(private_key)
        assert isinstance(key, P256PrivateKey)
        return key.key.sign(check_bytes("data", data), ec.ECDSA(hashes.SHA256()))

    def verify(
        self,
        public_key: PublicKey | PrivateKey,
        data: bytes,
        signature: bytes,
        signer_id: bytes = DEFAULT_SIGNER_ID,
    ) -> bool:
        key = self._public_of(public_key)
        assert isinstance(key, P256PublicKey)
        data, signature = check_bytes("data", data), check_bytes("signature", signature)
        try:
            key.key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        except (InvalidSignature, ValueError):
            return False
        return True

    # public-key encryption (ECIES-style)
    def encrypt(self, public_key: PublicKey | PrivateKey, plaintext: bytes) -> bytes:
        recipient = self._public_of(public_key)
        assert isinstance(recipient, P256PublicKey)
        ephemeral = ec.generate_private_key(ec.SECP256R1())
        ephemeral_point = P256PrivateKey(ephemeral).public_key().point()
        shared = ephemeral.exchange(ec.ECDH(), recipient.key)
        key = _ecies_key(shared, ephemeral_point, recipient.point())
        return ephemeral_point + symmetric.aes_gcm_seal(key, check_bytes("plaintext", plaintext))

    def decrypt(self, private_key: PrivateKey, ciphertext: bytes) -> bytes:
        own = self._own_private(private_key)
        assert isinstance(own, P256PrivateKey)
        ciphertext = check_bytes("ciphertext", ciphertext)
        if len(ciphertext) < _POINT_SIZE + symmetric.NONCE_SIZE + symmetric.TAG_SIZE:
            raise DecryptionError("ciphertext", "truncated")
        ephemeral_point = ciphertext[:_POINT_SIZE]
        try:
            ephemeral = ec.EllipticCurvePublicKey.from_encoded_point(
                ec.SECP256R1(), ephemeral_point
            )
        except ValueError:
            raise DecryptionError("ciphertext", "ephemeral point is not on P-256") from None
        shared = own.key.exchange(ec.ECDH(), ephemeral)
        key = _ecies_key(shared, ephemeral_point, own.public_key().point())
        try:
            return symmetric.aes_gcm_open(key, ciphertext[_POINT_SIZE:])
        except DecryptionError:
            raise DecryptionError("ciphertext", "authentication failed") from None

    # digest and symmetric
    def digest(self, data: bytes) -> bytes:
        return symmetric.sha256(data)

    def generate_symmetric_key(self) -> bytes:
        return os.urandom(symmetric.AES_KEY_SIZE)

    def seal(self, key: bytes, data: bytes, aad: bytes = b"") -> bytes:
        return symmetric.aes_gcm_seal(key, data, aad)

    def open(self, key: bytes, blob: bytes, aad: bytes = b"") -> bytes:
        return symmetric.aes_gcm_open(key, blob, aad)
