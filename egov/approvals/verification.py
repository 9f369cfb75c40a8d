"""Decision verification codes (决定书核验码), no Django import.

A code is drawn at random when a case is decided and stored on the case
(ADR 0046): 20 characters of Crockford's base-32 alphabet, 100 bits, so it
can be neither guessed nor enumerated, and it can be read aloud or typed
from paper (no I, L, O or U). Anyone holding the document may check it at
the public URL; the page shows what the document itself shows, with a
person's name masked.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32
CODE_LENGTH = 20  # 100 bits
VERIFY_PATH = "/approvals/verify/{code}/"


def new_code() -> str:
    """A fresh random verification code."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalised(text: str) -> str:
    """A typed code as stored: upper case, without spaces or hyphens; "" if malformed."""
    code = text.strip().upper().replace("-", "").replace(" ", "")
    if len(code) != CODE_LENGTH or any(char not in ALPHABET for char in code):
        return ""
    return code


def verification_url(base: str, code: str) -> str:
    """The public URL that checks a decision: ``<base>/approvals/verify/<code>/``."""
    return base.rstrip("/") + VERIFY_PATH.format(code=code)


def masked_name(name: str) -> str:
    """A person's name as the public page shows it: the surname, then one * a character."""
    return name[:1] + "*" * (len(name) - 1) if name else ""
