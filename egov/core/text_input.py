"""Text typed by people (文本输入), pure: no Django import.

Every text a page or the API accepts passes :func:`check_text` (or
:func:`text_problems` for several fields at once) in the service that stores
it, so pages, the API and commands refuse the same input with the same reason:

* the value must be a string: a number, an object, a list or a boolean is
  refused, never stored as ``"{'a': 1}"`` or ``"True"``;
* characters that have no place in typed text are refused: NUL (PostgreSQL's
  JSON cannot hold it), the other C0 controls (except ``\\n``, ``\\r`` and
  ``\\t`` in a multi-line field), DEL, the C1 controls, the bidirectional
  overrides and isolates (U+202A–U+202E, U+2066–U+2069: they make text read
  differently from what is stored) and lone surrogates;
* the text, stripped of surrounding blanks, has at most ``max_length``
  characters, and is not empty when required.

The limits for the platform's common kinds of text are named here, so every
app bounds a name, a note or a licence number alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MULTI_LINE_CONTROLS = frozenset("\n\r\t")
BIDI_CONTROLS = frozenset(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])

# Limits (characters) of the platform's kinds of text.
CODE_MAX = 64  # licence numbers, receipt numbers, case and item codes
NAME_MAX = 100  # names of people, organisations, fees and materials
PHONE_MAX = 20  # a mobile number, or a landline with its extension
LINE_MAX = 200  # one line of text: a title, an address, a short reason
NOTE_MAX = 2000  # notes, reasons, remedies, instructions, responses
PEM_MAX = 64 * 1024  # a pasted certificate request


class TextInputError(ValueError):
    """Refused text; ``str(error)`` is the reason, for the person who typed it."""


@dataclass(frozen=True)
class TextLimit:
    """What one text field accepts: its length, whether it spans lines, whether required."""

    max_length: int
    multiline: bool = False
    required: bool = False


def character_name(char: str) -> str:
    """How a refused character is named in a reason: its code point."""
    return f"U+{ord(char):04X}"


def is_refused(char: str, *, multiline: bool) -> bool:
    """Is this character refused in typed text?"""
    point = ord(char)
    if point < 0x20:
        return not (multiline and char in MULTI_LINE_CONTROLS)
    return (
        0x7F <= point <= 0x9F  # DEL and the C1 controls
        or char in BIDI_CONTROLS
        or 0xD800 <= point <= 0xDFFF  # lone surrogates
    )


def refused_character(text: str, *, multiline: bool = False) -> str | None:
    """The first refused character of ``text``, or None."""
    return next((char for char in text if is_refused(char, multiline=multiline)), None)


def check_text(
    value: Any, *, max_length: int, multiline: bool = False, required: bool = False
) -> str:
    """The text stripped of surrounding blanks; TextInputError says why it is refused.

    ``None`` stands for an empty field.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise TextInputError(f"expected text, got {type(value).__name__}")
    char = refused_character(value, multiline=multiline)
    if char is not None:
        kind = "line break or tab" if char in MULTI_LINE_CONTROLS else "control character"
        raise TextInputError(f"{kind} {character_name(char)} is not allowed")
    text = value.strip()
    if required and not text:
        raise TextInputError("required")
    if len(text) > max_length:
        raise TextInputError(f"at most {max_length} characters, got {len(text)}")
    return text


def text_problems(
    fields: Mapping[str, tuple[Any, TextLimit]],
) -> tuple[dict[str, str], dict[str, str]]:
    """Check several fields at once: (cleaned texts, field -> reason for each refused one)."""
    cleaned: dict[str, str] = {}
    errors: dict[str, str] = {}
    for field, (value, limit) in fields.items():
        try:
            cleaned[field] = check_text(
                value,
                max_length=limit.max_length,
                multiline=limit.multiline,
                required=limit.required,
            )
        except TextInputError as exc:
            errors[field] = str(exc)
    return cleaned, errors
