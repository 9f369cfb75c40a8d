"""A small ctypes binding of the system OpenSSL 3 libcrypto, for SM2 only.

The ``cryptography`` wheels bundle their own OpenSSL and expose no SM2, so SM2
signatures (GB/T 32918.2), SM2 encryption (GB/T 32918.4, GM/T 0009 ASN.1
C1C3C2) and SM2 key (de)serialisation go through the EVP interface of the
system's ``libcrypto.so.3`` (see docs/adr/0010-sm2-implementation.md).

Rules kept throughout:

* every EVP/BIO object is freed in a ``finally`` block, keys by a finaliser;
* every return code is checked, and a failure becomes :class:`CryptoBackendError`
  (or the caller's more specific error) carrying OpenSSL's own error text;
* nothing here is shared between calls except immutable function pointers, so
  calls from several threads are safe (OpenSSL 3 is thread-safe and ctypes
  releases the GIL during each call; the per-thread OpenSSL error queue is
  drained by the thread that filled it).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading
import weakref
from collections.abc import Callable
from ctypes import POINTER, byref, c_char_p, c_int, c_long, c_size_t, c_ulong, c_void_p
from typing import Any

from .errors import CryptoBackendError, DecryptionError, InvalidKeyError

_DEBIAN_PATHS = (
    "/usr/lib/x86_64-linux-gnu/libcrypto.so.3",
    "/usr/lib/aarch64-linux-gnu/libcrypto.so.3",
    "/usr/lib64/libcrypto.so.3",
    "/usr/lib/libcrypto.so.3",
)
_OPENSSL_3 = 0x30000000
_BIO_CTRL_INFO = 3  # BIO_get_mem_data() is the macro BIO_ctrl(b, BIO_CTRL_INFO, 0, &p)

_PEM_PASSWORD_CB = ctypes.CFUNCTYPE(c_int, c_void_p, c_int, c_int, c_void_p)

# name -> (restype, argtypes). Pointers are c_void_p; input byte strings c_char_p.
_PROTOTYPES: dict[str, tuple[Any, list[Any]]] = {
    "OpenSSL_version_num": (c_ulong, []),
    "ERR_get_error": (c_ulong, []),
    "ERR_error_string_n": (None, [c_ulong, c_void_p, c_size_t]),
    "ERR_clear_error": (None, []),
    "EVP_sm3": (c_void_p, []),
    "EVP_sm4_cbc": (c_void_p, []),
    "EVP_PKEY_free": (None, [c_void_p]),
    "EVP_PKEY_is_a": (c_int, [c_void_p, c_char_p]),
    "EVP_PKEY_CTX_new_from_name": (c_void_p, [c_void_p, c_char_p, c_char_p]),
    "EVP_PKEY_CTX_new_from_pkey": (c_void_p, [c_void_p, c_void_p, c_char_p]),
    "EVP_PKEY_CTX_free": (None, [c_void_p]),
    "EVP_PKEY_CTX_set1_id": (c_int, [c_void_p, c_char_p, c_int]),
    "EVP_PKEY_keygen_init": (c_int, [c_void_p]),
    "EVP_PKEY_generate": (c_int, [c_void_p, POINTER(c_void_p)]),
    "EVP_PKEY_encrypt_init": (c_int, [c_void_p]),
    "EVP_PKEY_encrypt": (c_int, [c_void_p, c_void_p, POINTER(c_size_t), c_char_p, c_size_t]),
    "EVP_PKEY_decrypt_init": (c_int, [c_void_p]),
    "EVP_PKEY_decrypt": (c_int, [c_void_p, c_void_p, POINTER(c_size_t), c_char_p, c_size_t]),
    "EVP_MD_CTX_new": (c_void_p, []),
    "EVP_MD_CTX_free": (None, [c_void_p]),
    "EVP_MD_CTX_set_pkey_ctx": (None, [c_void_p, c_void_p]),
    "EVP_DigestSignInit": (c_int, [c_void_p, c_void_p, c_void_p, c_void_p, c_void_p]),
    "EVP_DigestSign": (c_int, [c_void_p, c_void_p, POINTER(c_size_t), c_char_p, c_size_t]),
    "EVP_DigestVerifyInit": (c_int, [c_void_p, c_void_p, c_void_p, c_void_p, c_void_p]),
    "EVP_DigestVerify": (c_int, [c_void_p, c_char_p, c_size_t, c_char_p, c_size_t]),
    "BIO_s_mem": (c_void_p, []),
    "BIO_new": (c_void_p, [c_void_p]),
    "BIO_new_mem_buf": (c_void_p, [c_char_p, c_int]),
    "BIO_free": (c_int, [c_void_p]),
    "BIO_ctrl": (c_long, [c_void_p, c_int, c_long, c_void_p]),
    "PEM_read_bio_PrivateKey": (c_void_p, [c_void_p, c_void_p, _PEM_PASSWORD_CB, c_void_p]),
    "PEM_read_bio_PUBKEY": (c_void_p, [c_void_p, c_void_p, _PEM_PASSWORD_CB, c_void_p]),
    "PEM_write_bio_PUBKEY": (c_int, [c_void_p, c_void_p]),
    "PEM_write_bio_PKCS8PrivateKey": (
        c_int,
        [c_void_p, c_void_p, c_void_p, c_char_p, c_int, c_void_p, c_void_p],
    ),
    "i2d_PKCS8PrivateKey_bio": (
        c_int,
        [c_void_p, c_void_p, c_void_p, c_char_p, c_int, c_void_p, c_void_p],
    ),
    "d2i_AutoPrivateKey": (c_void_p, [c_void_p, POINTER(c_char_p), c_long]),
    "d2i_PUBKEY": (c_void_p, [c_void_p, POINTER(c_char_p), c_long]),
    "i2d_PUBKEY": (c_int, [c_void_p, POINTER(c_void_p)]),
}


def _pem_password(buf: int, size: int, _rwflag: int, userdata: int | None) -> int:
    """PEM password callback: copy the NUL-terminated password in ``userdata``.

    Without a password it answers -1 (refuse), so OpenSSL never prompts on a
    terminal the way its default callback would.
    """
    if not userdata:
        return -1
    password = ctypes.string_at(userdata)
    if len(password) > size:
        return -1
    ctypes.memmove(buf, password, len(password))
    return len(password)


_PASSWORD_CALLBACK = _PEM_PASSWORD_CB(_pem_password)


class _Library:
    """The loaded libcrypto with typed functions as attributes."""

    def __init__(self, cdll: ctypes.CDLL) -> None:
        self._functions: dict[str, Callable[..., Any]] = {}
        for name, (restype, argtypes) in _PROTOTYPES.items():
            function = getattr(cdll, name)
            function.restype = restype
            function.argtypes = argtypes
            self._functions[name] = function

    def __getattr__(self, name: str) -> Callable[..., Any]:
        try:
            return self._functions[name]
        except KeyError:
            raise AttributeError(name) from None


_lock = threading.Lock()
_library: _Library | None = None


def _candidate_paths() -> list[str]:
    paths = []
    configured = os.environ.get("EGOV_LIBCRYPTO")
    if configured:
        paths.append(configured)
    paths.append("libcrypto.so.3")
    found = ctypes.util.find_library("crypto")
    if found:
        paths.append(found)
    paths.extend(_DEBIAN_PATHS)
    return paths


def _load() -> _Library:
    errors = []
    for path in _candidate_paths():
        try:
            cdll = ctypes.CDLL(path)
        except OSError as exc:
            errors.append(f"{path}: {exc}")
            continue
        version = cdll.OpenSSL_version_num
        version.restype = c_ulong
        if version() < _OPENSSL_3:
            errors.append(f"{path}: OpenSSL older than 3.0")
            continue
        return _Library(cdll)
    raise CryptoBackendError(
        "libcrypto", "no OpenSSL 3 libcrypto found (" + "; ".join(errors) + ")"
    )


def library() -> _Library:
    """The system libcrypto, loaded once on first use (thread-safe)."""
    global _library  # one process-wide handle to an immutable library
    if _library is None:
        with _lock:
            if _library is None:
                _library = _load()
    return _library


def openssl_errors() -> str:
    """Drain this thread's OpenSSL error queue into one readable string."""
    lib = library()
    messages = []
    buffer = ctypes.create_string_buffer(256)
    while code := lib.ERR_get_error():
        lib.ERR_error_string_n(code, buffer, len(buffer))
        messages.append(buffer.value.decode("ascii", "replace"))
    return "; ".join(messages) or "unknown OpenSSL error"


def _check(ok: bool, what: str) -> None:
    if not ok:
        raise CryptoBackendError("libcrypto", f"{what} failed: {openssl_errors()}")


class Pkey:
    """Owns one ``EVP_PKEY*``; freed when the Python object is collected.

    OpenSSL 3 keys made by a provider (generated or decoded here) are read-only
    during sign/verify/encrypt/decrypt, so one key may serve several threads.
    """

    __slots__ = ("__weakref__", "_finalizer", "pointer")

    def __init__(self, pointer: int) -> None:
        if not pointer:
            raise CryptoBackendError("libcrypto", "null EVP_PKEY")
        self.pointer = pointer
        self._finalizer = weakref.finalize(self, library().EVP_PKEY_free, pointer)

    def is_a(self, name: bytes) -> bool:
        return int(library().EVP_PKEY_is_a(self.pointer, name)) == 1


# --- keys -------------------------------------------------------------------


def generate(algorithm: bytes) -> Pkey:
    """Generate a key of the named type (``b"SM2"``)."""
    lib = library()
    ctx = lib.EVP_PKEY_CTX_new_from_name(None, algorithm, None)
    _check(bool(ctx), "EVP_PKEY_CTX_new_from_name")
    try:
        _check(lib.EVP_PKEY_keygen_init(ctx) == 1, "EVP_PKEY_keygen_init")
        out = c_void_p()
        _check(lib.EVP_PKEY_generate(ctx, byref(out)) == 1, "EVP_PKEY_generate")
        return Pkey(out.value or 0)
    finally:
        lib.EVP_PKEY_CTX_free(ctx)


def _bio_contents(bio: int) -> bytes:
    data = c_char_p()
    length = library().BIO_ctrl(bio, _BIO_CTRL_INFO, 0, byref(data))
    return ctypes.string_at(data, length) if length > 0 else b""


def _write_with_bio(write: Callable[[int], int], what: str) -> bytes:
    lib = library()
    bio = lib.BIO_new(lib.BIO_s_mem())
    _check(bool(bio), "BIO_new")
    try:
        _check(write(bio) == 1, what)
        return _bio_contents(bio)
    finally:
        lib.BIO_free(bio)


def private_key_pem(key: Pkey, password: bytes | None) -> bytes:
    """PKCS#8 PEM; encrypted (PBES2, SM4-CBC) when a password is given."""
    lib = library()
    cipher = lib.EVP_sm4_cbc() if password else None
    secret = password or None
    size = len(password) if password else 0
    return _write_with_bio(
        lambda bio: lib.PEM_write_bio_PKCS8PrivateKey(
            bio, key.pointer, cipher, secret, size, None, None
        ),
        "PEM_write_bio_PKCS8PrivateKey",
    )


def private_key_der(key: Pkey) -> bytes:
    """Unencrypted PKCS#8 DER."""
    lib = library()
    return _write_with_bio(
        lambda bio: lib.i2d_PKCS8PrivateKey_bio(bio, key.pointer, None, None, 0, None, None),
        "i2d_PKCS8PrivateKey_bio",
    )


def public_key_pem(key: Pkey) -> bytes:
    """SubjectPublicKeyInfo PEM."""
    lib = library()
    return _write_with_bio(
        lambda bio: lib.PEM_write_bio_PUBKEY(bio, key.pointer), "PEM_write_bio_PUBKEY"
    )


def public_key_der(key: Pkey) -> bytes:
    """SubjectPublicKeyInfo DER."""
    lib = library()
    length = lib.i2d_PUBKEY(key.pointer, None)
    _check(length > 0, "i2d_PUBKEY")
    buffer = ctypes.create_string_buffer(length)
    cursor = c_void_p(ctypes.addressof(buffer))  # i2d advances the cursor, not the buffer
    _check(lib.i2d_PUBKEY(key.pointer, byref(cursor)) == length, "i2d_PUBKEY")
    return buffer.raw


def _read_pem(reader: Callable[..., int], pem: bytes, password: bytes | None, field: str) -> Pkey:
    lib = library()
    bio = lib.BIO_new_mem_buf(pem, len(pem))
    _check(bool(bio), "BIO_new_mem_buf")
    secret = ctypes.create_string_buffer(password) if password is not None else None
    try:
        pointer = reader(bio, None, _PASSWORD_CALLBACK, secret)
    finally:
        lib.BIO_free(bio)
    if not pointer:
        raise InvalidKeyError(field, f"not a readable key ({openssl_errors()})")
    lib.ERR_clear_error()  # decoders leave notes from the formats they tried first
    return Pkey(pointer)


def load_private_pem(pem: bytes, password: bytes | None) -> Pkey:
    return _read_pem(library().PEM_read_bio_PrivateKey, pem, password, "private_key")


def load_public_pem(pem: bytes) -> Pkey:
    return _read_pem(library().PEM_read_bio_PUBKEY, pem, None, "public_key")


def _read_der(reader: Callable[..., int], der: bytes, field: str) -> Pkey:
    lib = library()
    cursor = c_char_p(der)
    pointer = reader(None, byref(cursor), len(der))
    if not pointer:
        raise InvalidKeyError(field, f"not a readable key ({openssl_errors()})")
    lib.ERR_clear_error()
    return Pkey(pointer)


def load_private_der(der: bytes) -> Pkey:
    return _read_der(library().d2i_AutoPrivateKey, der, "private_key")


def load_public_der(der: bytes) -> Pkey:
    return _read_der(library().d2i_PUBKEY, der, "public_key")


# --- SM2 signatures ----------------------------------------------------------


def _digest_context(key: Pkey, signer_id: bytes) -> tuple[int, int]:
    """An EVP_MD_CTX whose EVP_PKEY_CTX carries the signer ID (for the Z value)."""
    lib = library()
    mctx = lib.EVP_MD_CTX_new()
    _check(bool(mctx), "EVP_MD_CTX_new")
    pctx = lib.EVP_PKEY_CTX_new_from_pkey(None, key.pointer, None)
    if not pctx:
        lib.EVP_MD_CTX_free(mctx)
        _check(False, "EVP_PKEY_CTX_new_from_pkey")
    if lib.EVP_PKEY_CTX_set1_id(pctx, signer_id, len(signer_id)) != 1:
        _free_digest_context(mctx, pctx)
        _check(False, "EVP_PKEY_CTX_set1_id")
    lib.EVP_MD_CTX_set_pkey_ctx(mctx, pctx)  # mctx borrows pctx: we free both
    return mctx, pctx


def _free_digest_context(mctx: int, pctx: int) -> None:
    lib = library()
    lib.EVP_MD_CTX_free(mctx)
    lib.EVP_PKEY_CTX_free(pctx)


def sm2_sign(key: Pkey, data: bytes, signer_id: bytes) -> bytes:
    """SM2 signature with SM3 over Z(ID, public key) || data; DER SEQUENCE {r, s}."""
    lib = library()
    mctx, pctx = _digest_context(key, signer_id)
    try:
        init = lib.EVP_DigestSignInit(mctx, None, lib.EVP_sm3(), None, key.pointer)
        _check(init == 1, "EVP_DigestSignInit")
        size = c_size_t(0)
        _check(lib.EVP_DigestSign(mctx, None, byref(size), data, len(data)) == 1, "size")
        buffer = ctypes.create_string_buffer(size.value)
        _check(lib.EVP_DigestSign(mctx, buffer, byref(size), data, len(data)) == 1, "sign")
        return buffer.raw[: size.value]
    finally:
        _free_digest_context(mctx, pctx)


def sm2_verify(key: Pkey, data: bytes, signature: bytes, signer_id: bytes) -> bool:
    """True only for a valid signature; malformed signatures are simply False."""
    lib = library()
    mctx, pctx = _digest_context(key, signer_id)
    try:
        init = lib.EVP_DigestVerifyInit(mctx, None, lib.EVP_sm3(), None, key.pointer)
        _check(init == 1, "EVP_DigestVerifyInit")
        result = lib.EVP_DigestVerify(mctx, signature, len(signature), data, len(data))
        lib.ERR_clear_error()  # a bad signature is an answer, not an error
        return int(result) == 1
    finally:
        _free_digest_context(mctx, pctx)


# --- SM2 encryption -----------------------------------------------------------


def _pkey_crypt(key: Pkey, data: bytes, *, encrypt: bool) -> bytes:
    lib = library()
    init = lib.EVP_PKEY_encrypt_init if encrypt else lib.EVP_PKEY_decrypt_init
    run = lib.EVP_PKEY_encrypt if encrypt else lib.EVP_PKEY_decrypt
    ctx = lib.EVP_PKEY_CTX_new_from_pkey(None, key.pointer, None)
    _check(bool(ctx), "EVP_PKEY_CTX_new_from_pkey")
    try:
        _check(init(ctx) == 1, "EVP_PKEY_encrypt_init" if encrypt else "EVP_PKEY_decrypt_init")
        size = c_size_t(0)
        buffer = ctypes.create_string_buffer(0)
        ok = run(ctx, None, byref(size), data, len(data)) == 1
        if ok:
            buffer = ctypes.create_string_buffer(size.value)
            ok = run(ctx, buffer, byref(size), data, len(data)) == 1
        if not ok and not encrypt:
            raise DecryptionError("ciphertext", f"SM2 decryption failed ({openssl_errors()})")
        _check(ok, "EVP_PKEY_encrypt")
        return buffer.raw[: size.value]
    finally:
        lib.EVP_PKEY_CTX_free(ctx)


def sm2_encrypt(key: Pkey, plaintext: bytes) -> bytes:
    """SM2 public-key encryption (SM3 KDF and MAC), ASN.1 C1C3C2 (GM/T 0009)."""
    return _pkey_crypt(key, plaintext, encrypt=True)


def sm2_decrypt(key: Pkey, ciphertext: bytes) -> bytes:
    return _pkey_crypt(key, ciphertext, encrypt=False)
