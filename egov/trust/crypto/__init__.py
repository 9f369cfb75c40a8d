"""Crypto suites behind one interface (密码套件): national SM2/SM3/SM4, default,
and international ECDSA P-256/SHA-256/AES-256-GCM.

No Django import anywhere in this package. Usage::

    from egov.trust.crypto import suite

    s = suite()                      # the deployment's suite ("sm" unless configured)
    key = s.generate_key()
    sig = s.sign(key, b"message")    # SM2 with ID 1234567812345678
    assert s.verify(key.public_key(), b"message", sig)

The deployment chooses its suite with the environment variable
``EGOV_CRYPTO_SUITE`` (``sm`` or ``intl``); code that must use one suite names it.
See docs/crypto.md.
"""

from __future__ import annotations

import os

from .base import DEFAULT_SIGNER_ID, CryptoSuite, PrivateKey, PublicKey
from .errors import (
    CryptoBackendError,
    CryptoError,
    DecryptionError,
    InvalidInputError,
    InvalidKeyError,
    UnsupportedOperationError,
)
from .international import InternationalSuite
from .national import NationalSuite
from .symmetric import sm4_cbc_decrypt, sm4_cbc_encrypt

DEFAULT_SUITE = "sm"
SUITE_ENVIRONMENT_VARIABLE = "EGOV_CRYPTO_SUITE"

_SUITES: dict[str, CryptoSuite] = {"sm": NationalSuite(), "intl": InternationalSuite()}
SUITE_NAMES = tuple(_SUITES)


def suite(name: str | None = None) -> CryptoSuite:
    """The suite called ``name``; without a name, the deployment's (default ``"sm"``)."""
    if name is None:
        name = os.environ.get(SUITE_ENVIRONMENT_VARIABLE) or DEFAULT_SUITE
    try:
        return _SUITES[name]
    except KeyError:
        raise UnsupportedOperationError(
            "suite", f"unknown crypto suite {name!r}; choose one of {', '.join(SUITE_NAMES)}"
        ) from None


__all__ = [
    "DEFAULT_SIGNER_ID",
    "DEFAULT_SUITE",
    "SUITE_NAMES",
    "CryptoBackendError",
    "CryptoError",
    "CryptoSuite",
    "DecryptionError",
    "InternationalSuite",
    "InvalidInputError",
    "InvalidKeyError",
    "NationalSuite",
    "PrivateKey",
    "PublicKey",
    "UnsupportedOperationError",
    "sm4_cbc_decrypt",
    "sm4_cbc_encrypt",
    "suite",
]
