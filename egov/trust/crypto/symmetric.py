"""Symmetric primitives from the ``cryptography`` package (对称密码与杂凑).

SM3 (GB/T 32905), SM4 (GB/T 32907) in GCM and CBC/PKCS#7 modes, SHA-256 and
AES-256-GCM. The AEAD blob format is ``nonce(12) || ciphertext || tag(16)``;
the nonce is drawn at random for every message, which is safe for up to 2**32
messages under one key (NIST SP 800-38D, section 8.3).
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .base import check_bytes
from .errors import DecryptionError, InvalidInputError

NONCE_SIZE = 12
TAG_SIZE = 16
SM4_KEY_SIZE = 16
SM4_BLOCK_SIZE = 16
AES_KEY_SIZE = 32


def sm3(data: bytes) -> bytes:
    """SM3 digest (杂凑), 32 bytes."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(check_bytes("data", data))
    return digest.finalize()


def sha256(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SHA256())
    digest.update(check_bytes("data", data))
    return digest.finalize()


def _check_key(key: object, size: int) -> bytes:
    key = check_bytes("key", key)
    if len(key) != size:
        raise InvalidInputError("key", f"must be {size} bytes, got {len(key)}")
    return key


def _split_blob(blob: object) -> tuple[bytes, bytes, bytes]:
    blob = check_bytes("blob", blob)
    if len(blob) < NONCE_SIZE + TAG_SIZE:
        raise DecryptionError("blob", "truncated: shorter than nonce and tag")
    return blob[:NONCE_SIZE], blob[NONCE_SIZE:-TAG_SIZE], blob[-TAG_SIZE:]


def sm4_gcm_seal(key: bytes, data: bytes, aad: bytes = b"") -> bytes:
    """SM4-GCM encrypt with a fresh random nonce."""
    key = _check_key(key, SM4_KEY_SIZE)
    data, aad = check_bytes("data", data), check_bytes("aad", aad)
    nonce = os.urandom(NONCE_SIZE)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    body = encryptor.update(data) + encryptor.finalize()
    return nonce + body + encryptor.tag


def sm4_gcm_open(key: bytes, blob: bytes, aad: bytes = b"") -> bytes:
    """SM4-GCM decrypt; :class:`DecryptionError` if tampered, truncated or wrong key."""
    key = _check_key(key, SM4_KEY_SIZE)
    aad = check_bytes("aad", aad)
    nonce, body, tag = _split_blob(blob)
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(aad)
    try:
        return decryptor.update(body) + decryptor.finalize()
    except InvalidTag:
        raise DecryptionError("blob", "authentication failed (tampered or wrong key)") from None


def aes_gcm_seal(key: bytes, data: bytes, aad: bytes = b"") -> bytes:
    """AES-256-GCM encrypt with a fresh random nonce."""
    key = _check_key(key, AES_KEY_SIZE)
    data, aad = check_bytes("data", data), check_bytes("aad", aad)
    nonce = os.urandom(NONCE_SIZE)
    return nonce + AESGCM(key).encrypt(nonce, data, aad)


def aes_gcm_open(key: bytes, blob: bytes, aad: bytes = b"") -> bytes:
    """AES-256-GCM decrypt; :class:`DecryptionError` if tampered, truncated or wrong key."""
    key = _check_key(key, AES_KEY_SIZE)
    aad = check_bytes("aad", aad)
    nonce, body, tag = _split_blob(blob)
    try:
        return AESGCM(key).decrypt(nonce, body + tag, aad)
    except InvalidTag:
        raise DecryptionError("blob", "authentication failed (tampered or wrong key)") from None


def _check_iv(iv: object) -> bytes:
    iv = check_bytes("iv", iv)
    if len(iv) != SM4_BLOCK_SIZE:
        raise InvalidInputError("iv", f"must be {SM4_BLOCK_SIZE} bytes, got {len(iv)}")
    return iv


def sm4_cbc_encrypt(key: bytes, iv: bytes, plaintext: bytes) -> bytes:
    """SM4-CBC with PKCS#7 padding (as ``openssl enc -sm4-cbc``). No integrity: prefer GCM."""
    key, iv = _check_key(key, SM4_KEY_SIZE), _check_iv(iv)
    padder = padding.PKCS7(SM4_BLOCK_SIZE * 8).padder()
    padded = padder.update(check_bytes("plaintext", plaintext)) + padder.finalize()
    encryptor = Cipher(algorithms.SM4(key), modes.CBC(iv)).encryptor()
    return encryptor.update(padded) + encryptor.finalize()


def sm4_cbc_decrypt(key: bytes, iv: bytes, ciphertext: bytes) -> bytes:
    """Undo :func:`sm4_cbc_encrypt`; :class:`DecryptionError` on bad length or padding."""
    key, iv = _check_key(key, SM4_KEY_SIZE), _check_iv(iv)
    ciphertext = check_bytes("ciphertext", ciphertext)
    if not ciphertext or len(ciphertext) % SM4_BLOCK_SIZE:
        raise DecryptionError("ciphertext", "length must be a positive multiple of 16 bytes")
    decryptor = Cipher(algorithms.SM4(key), modes.CBC(iv)).decryptor()
    padded = decryptor.update(ciphertext) + decryptor.finalize()
    unpadder = padding.PKCS7(SM4_BLOCK_SIZE * 8).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError:
        raise DecryptionError("ciphertext", "bad padding (wrong key or corrupted)") from None
