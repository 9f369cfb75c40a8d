"""The national suite (国密): SM2 signatures and encryption, SM3, SM4-GCM.

SM2 runs on the system OpenSSL 3 libcrypto through :mod:`.libcrypto`; SM3 and
SM4 come from ``cryptography``. Signatures are DER ``SEQUENCE {r, s}`` over
SM3(Z || M), Z computed from the signer's ID (GB/T 32918.2); ciphertexts are
GM/T 0009 ASN.1 ``SEQUENCE {x, y, hash, ciphertext}`` (C1C3C2), as OpenSSL 3
writes and reads them.
"""

from __future__ import annotations

import os

from . import libcrypto, symmetric
from .base import (
    DEFAULT_SIGNER_ID,
    CryptoSuite,
    PrivateKey,
    PublicKey,
    check_bytes,
    check_signer_id,
)
from .errors import DecryptionError, InvalidInputError, InvalidKeyError

SM2_WITH_SM3_OID = "1.2.156.10197.1.501"
SM2_CURVE_OID = "1.2.156.10197.1.301"


class SM2PublicKey(PublicKey):
    suite_name = "sm"

    def __init__(self, pkey: libcrypto.Pkey) -> None:
        self._pkey = pkey

    def to_der(self) -> bytes:
        return libcrypto.public_key_der(self._pkey)

    def to_pem(self) -> bytes:
        return libcrypto.public_key_pem(self._pkey)


class SM2PrivateKey(PrivateKey):
    suite_name = "sm"

    def __init__(self, pkey: libcrypto.Pkey) -> None:
        self._pkey = pkey
        self._public: SM2PublicKey | None = None

    def public_key(self) -> SM2PublicKey:
        if self._public is None:
            # Rebuild from the SubjectPublicKeyInfo: the copy holds no secret.
            der = libcrypto.public_key_der(self._pkey)
            self._public = SM2PublicKey(libcrypto.load_public_der(der))
        return self._public

    def to_pem(self, password: bytes | None = None) -> bytes:
        if password is not None:
            password = _check_password(password)
        return libcrypto.private_key_pem(self._pkey, password)

    def to_der(self) -> bytes:
        return libcrypto.private_key_der(self._pkey)


def _check_password(password: object) -> bytes:
    password = check_bytes("password", password)
    if not password or b"\0" in password:
        raise InvalidInputError("password", "must be non-empty and contain no NUL byte")
    return password


def _require_sm2(pkey: libcrypto.Pkey, field: str) -> libcrypto.Pkey:
    if not pkey.is_a(b"SM2"):
        raise InvalidKeyError(field, "not an SM2 key (curve 1.2.156.10197.1.301)")
    return pkey


def _pem_is_encrypted(pem: bytes) -> bool:
    return b"ENCRYPTED" in pem


class NationalSuite(CryptoSuite):
    """SM2 / SM3 / SM4 (GB/T 32918, 32905, 32907)."""

    name = "sm"
    signature_algorithm_oid = SM2_WITH_SM3_OID
    signature_algorithm_name = "SM2-with-SM3"
    digest_name = "SM3"
    digest_size = 32
    symmetric_key_size = symmetric.SM4_KEY_SIZE
    _private_type = SM2PrivateKey
    _public_type = SM2PublicKey

    # keys
    def generate_key(self) -> SM2PrivateKey:
        return SM2PrivateKey(libcrypto.generate(b"SM2"))

    def load_private_key_pem(self, pem: bytes, password: bytes | None = None) -> SM2PrivateKey:
        pem = check_bytes("pem", pem)
        if password is not None:
            password = _check_password(password)
        elif _pem_is_encrypted(pem):
            raise InvalidKeyError("password", "the private key is encrypted: password required")
        try:
            pkey = libcrypto.load_private_pem(pem, password)
        except InvalidKeyError:
            if password is not None and _pem_is_encrypted(pem):
                raise InvalidKeyError("password", "wrong password for the private key") from None
            raise
        return SM2PrivateKey(_require_sm2(pkey, "private_key"))

    def load_private_key_der(self, der: bytes) -> SM2PrivateKey:
        pkey = libcrypto.load_private_der(check_bytes("der", der))
        return SM2PrivateKey(_require_sm2(pkey, "private_key"))

    def load_public_key_pem(self, pem: bytes) -> SM2PublicKey:
        pkey = libcrypto.load_public_pem(check_bytes("pem", pem))
        return SM2PublicKey(_require_sm2(pkey, "public_key"))

    def load_public_key_der(self, der: bytes) -> SM2PublicKey:
        pkey = libcrypto.load_public_der(check_bytes("der", der))
        return SM2PublicKey(_require_sm2(pkey, "public_key"))

    # signatures
    def sign(
        self, private_key: PrivateKey, data: bytes, signer_id: bytes = DEFAULT_SIGNER_ID
    ) -> bytes:
        key = self._own_private(private_key)
        assert isinstance(key, SM2PrivateKey)
        return libcrypto.sm2_sign(key._pkey, check_bytes("data", data), check_signer_id(signer_id))

    def verify(
        self,
        public_key: PublicKey | PrivateKey,
        data: bytes,
        signature: bytes,
        signer_id: bytes = DEFAULT_SIGNER_ID,
    ) -> bool:
        key = self._public_of(public_key)
        assert isinstance(key, SM2PublicKey)
        return libcrypto.sm2_verify(
            key._pkey,
            check_bytes("data", data),
            check_bytes("signature", signature),
            check_signer_id(signer_id),
        )

    # public-key encryption
    def encrypt(self, public_key: PublicKey | PrivateKey, plaintext: bytes) -> bytes:
        key = self._public_of(public_key)
        assert isinstance(key, SM2PublicKey)
        plaintext = check_bytes("plaintext", plaintext)
        if not plaintext:
            raise InvalidInputError("plaintext", "SM2 cannot encrypt an empty message")
        return libcrypto.sm2_encrypt(key._pkey, plaintext)

    def decrypt(self, private_key: PrivateKey, ciphertext: bytes) -> bytes:
        key = self._own_private(private_key)
        assert isinstance(key, SM2PrivateKey)
        ciphertext = check_bytes("ciphertext", ciphertext)
        if not ciphertext:
            raise DecryptionError("ciphertext", "empty")
        return libcrypto.sm2_decrypt(key._pkey, ciphertext)

    # digest and symmetric
    def digest(self, data: bytes) -> bytes:
        return symmetric.sm3(data)

    def generate_symmetric_key(self) -> bytes:
        return os.urandom(symmetric.SM4_KEY_SIZE)

    def seal(self, key: bytes, data: bytes, aad: bytes = b"") -> bytes:
        return symmetric.sm4_gcm_seal(key, data, aad)

    def open(self, key: bytes, blob: bytes, aad: bytes = b"") -> bytes:
        return symmetric.sm4_gcm_open(key, blob, aad)
