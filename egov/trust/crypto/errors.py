"""Errors raised by the crypto layer (密码服务错误).

Every error names the input at fault (``field``) and says why (``reason``), so the
API layer can turn it into a 400 answer without guessing.
"""

from __future__ import annotations


class CryptoError(Exception):
    """Base class: something about a crypto input or operation is wrong."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class InvalidKeyError(CryptoError, ValueError):
    """A key could not be read, has the wrong algorithm, or the password is wrong."""


class InvalidInputError(CryptoError, ValueError):
    """An argument other than a key is malformed (empty ID, wrong key length...)."""


class DecryptionError(CryptoError):
    """A ciphertext is truncated, tampered with, or was made for another key."""


class UnsupportedOperationError(CryptoError):
    """The chosen suite does not offer this operation, or the suite name is unknown."""


class CryptoBackendError(CryptoError):
    """The system libcrypto is missing or failed in an unexpected way."""
