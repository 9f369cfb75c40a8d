"""Application forms (申请表) and uploaded files, pure: no Django import.

An item's form is a list of typed fields. :func:`check_form_spec` checks the
spec an administrator writes; :func:`validate_form` checks what an applicant
enters, returning the cleaned values or every field at fault with the reason.

Field types: ``text``, ``number``, ``date``, ``resident_id`` (公民身份号码,
GB 11643), ``credit_code`` (统一社会信用代码, GB 32100), ``phone``, ``region``
(a GB/T 2260 code) and ``choice``. A ``text`` field holds at most its
``max_length`` characters (default 200, at most 2000) on one line, unless
``multiline`` is true.

Every value must be text (a ``number`` field also takes a JSON number): an
object, a list or a boolean is refused, and so are control characters and
bidirectional overrides (:mod:`egov.core.text_input`).

Resident IDs: the check character is computed by ``stdnum.cn.ric`` (GB 11643),
the birth date must be a real past date, and the 6-digit address code is looked
up in the platform's own region table, current and historical codes alike, by
the ``region_lookup`` the caller passes. ``ric.is_valid`` is deliberately not
used: it also dates each area code from its creation and so refuses real IDs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

from egov.core.text_input import LINE_MAX, NOTE_MAX, check_text

FIELD_TYPES = frozenset(
    {"text", "number", "date", "resident_id", "credit_code", "phone", "region", "choice"}
)
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
TEXT_MAX_DEFAULT = 200
TEXT_MAX_LIMIT = NOTE_MAX  # the most an administrator may allow in one text field
FORM_FIELDS_MAX = 100
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")

# region_lookup(code) -> None if unknown, else whether the code is current.
RegionLookup = Callable[[str], bool | None]
Errors = dict[str, str]


class SpecError(ValueError):
    """A malformed catalogue spec; ``errors`` maps each path to the reason."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{path}: {why}" for path, why in self.errors.items()))


# --- The spec -----------------------------------------------------------------


def field_spec_problems(index: int, spec: Any, seen: set[str]) -> Errors:
    """What is wrong with one field of a form spec."""
    where = f"form_fields[{index}]"
    if not isinstance(spec, Mapping):
        return {where: "expected an object with name, label and type"}
    errors: Errors = {}
    name = spec.get("name")
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        errors[f"{where}.name"] = "lower-case letters, digits and _, starting with a letter"
    elif name in seen:
        errors[f"{where}.name"] = f"duplicate field name {name!r}"
    else:
        seen.add(name)
    try:
        check_text(spec.get("label"), max_length=LINE_MAX, required=True)
    except ValueError as exc:
        errors[f"{where}.label"] = f"the label the applicant sees: {exc}"
    if spec.get("type") not in FIELD_TYPES:
        errors[f"{where}.type"] = f"one of {', '.join(sorted(FIELD_TYPES))}"
    choices = spec.get("choices")
    if spec.get("type") == "choice" and (
        not isinstance(choices, list) or not choices or not all(map(is_choice_text, choices))
    ):
        errors[f"{where}.choices"] = (
            f"a choice field needs a non-empty list of texts of at most {LINE_MAX} characters"
        )
    return errors | text_spec_problems(where, spec)


def text_spec_problems(where: str, spec: Mapping[str, Any]) -> Errors:
    """What is wrong with a field's ``max_length`` and ``multiline``."""
    errors: Errors = {}
    limit = spec.get("max_length", TEXT_MAX_DEFAULT)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= TEXT_MAX_LIMIT:
        errors[f"{where}.max_length"] = f"a whole number from 1 to {TEXT_MAX_LIMIT}"
    if not isinstance(spec.get("multiline", False), bool):
        errors[f"{where}.multiline"] = "true or false"
    return errors


def is_choice_text(choice: Any) -> bool:
    """Is this a choice an applicant can pick: typed text, one line, bounded, as given?"""
    try:
        return bool(check_text(choice, max_length=LINE_MAX, required=True) == choice)
    except ValueError:
        return False


def check_form_spec(fields: Any) -> list[dict[str, Any]]:
    """Check a form spec (a list of field objects); SpecError names every problem."""
    if not isinstance(fields, list):
        raise SpecError({"form_fields": "expected a list of fields"})
    if len(fields) > FORM_FIELDS_MAX:
        raise SpecError({"form_fields": f"at most {FORM_FIELDS_MAX} fields, got {len(fields)}"})
    errors: Errors = {}
    seen: set[str] = set()
    for index, spec in enumerate(fields):
        errors |= field_spec_problems(index, spec, seen)
    if errors:
        raise SpecError(errors)
    return [dict(spec) for spec in fields]


# --- Single values ---------------------------------------------------------------


def clean_text(value: Any, spec: Mapping[str, Any], lookup: RegionLookup) -> str:
    text = str(value).strip()
    limit = int(spec.get("max_length", TEXT_MAX_DEFAULT))
    if len(text) > limit:
        raise ValueError(f"at most {limit} characters, got {len(text)}")
    return text


def clean_number(value: Any, spec: Mapping[str, Any], lookup: RegionLookup) -> str:
    if isinstance(value, bool):
        raise ValueError("not a number")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    if not number.is_finite():
        raise ValueError("not a finite number")
    if "min" in spec and number < Decimal(str(spec["min"])):
        raise ValueError(f"must be at least {spec['min']}")
    if "max" in spec and number > Decimal(str(spec["max"])):
        raise ValueError(f"must be at most {spec['max']}")
    return str(number)


def clean_date(value: Any, spec: Mapping[str, Any], lookup: RegionLookup) -> str:
    try:
        day = dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"not a date in YYYY-MM-DD form: {value!r}") from None
    if "min" in spec and day < dt.date.fromisoformat(spec["min"]):
        raise ValueError(f"must not be before {spec['min']}")
    if "max" in spec and day > dt.date.fromisoformat(spec["max"]):
        raise ValueError(f"must not be after {spec['max']}")
    return day.isoformat()


def check_resident_id(value: Any, lookup: RegionLookup, today: dt.date | None = None) -> str:
    """A resident ID number (公民身份号码): format, check digit, birth date, address code."""
    number = str(value).strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValueError("expected 18 characters: 17 digits and a digit or X")
    if ric.calc_check_digit(number) != number[17]:  # stdnum ignores the last character
        raise ValueError("the check digit (GB 11643) does not match")
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValueError("the birth date part is not a real date") from None
    if born > (today or dt.date.today()) or born.year < 1880:
        raise ValueError("the birth date part is not a possible birth date")
    if lookup(number[:6]) is None:
        raise ValueError(f"the address code {number[:6]} is not a known region code")
    return number


def clean_resident_id(value: Any, spec: Mapping[str, Any], lookup: RegionLookup) -> str:
    return check_resident_id(value, lookup)


def check_credit_code(value: Any) -> str:
    """A unified social credit code (统一社会信用代码): format and check character."""
    try:
        return str(uscc.validate(str(value)))
    except StdnumError as exc:
        reason = "the check character (GB 32100) does not match"
        if "checksum" not in type(exc).__name__.lower():
            reason = "expected 18 characters: 8 digits then 10 code characters"
        raise ValueError(reason) from None


def clean_credit_code(value: Any, spec: Mapping[str, Any], lookup: RegionLookup) -> str:
    return check_credit_code(value)


def clean_phone(value: Any, spec: Mapping[str, Any], lookup: RegionLookup) -> str:
    text = re.sub(r"[\s()]", "", str(value))
    if MOBILE.match(text) or LANDLINE.match(text):
        return text
    raise ValueError("expected a mobile number (11 digits) or a landline such as 0451-86201234")


def clean_region(value: Any, spec: Mapping[str, Any], lookup: RegionLookup) -> str:
    code = str(value).strip()
    if not re.fullmatch(r"\d{6}", code):
        raise ValueError("expected a 6-digit region code (GB/T 2260)")
    if lookup(code) is not True:
        raise ValueError(f"{code} is not a current region code")
    return code


def clean_choice(value: Any, spec: Mapping[str, Any], lookup: RegionLookup) -> str:
    text = str(value).strip()
    if text not in spec.get("choices", []):
        raise ValueError(f"must be one of: {', '.join(spec.get('choices', []))}")
    return text


CLEANERS: dict[str, Callable[[Any, Mapping[str, Any], RegionLookup], str]] = {
    "text": clean_text,
    "number": clean_number,
    "date": clean_date,
    "resident_id": clean_resident_id,
    "credit_code": clean_credit_code,
    "phone": clean_phone,
    "region": clean_region,
    "choice": clean_choice,
}


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def typed_value(value: Any, spec: Mapping[str, Any]) -> Any:
    """The value if its type and characters fit the field; ValueError says why not.

    A number field also takes a JSON number; every other value must be text
    without control characters, of a bounded length.
    """
    if spec["type"] == "number" and isinstance(value, int | float) and not isinstance(value, bool):
        return value
    limit = int(spec.get("max_length", TEXT_MAX_DEFAULT)) if spec["type"] == "text" else LINE_MAX
    return check_text(value, max_length=limit, multiline=spec.get("multiline") is True)


def validate_form(
    fields: Sequence[Mapping[str, Any]], values: Mapping[str, Any], lookup: RegionLookup
) -> tuple[dict[str, str], Errors]:
    """Clean an applicant's form values: (cleaned values, field -> reason)."""
    cleaned: dict[str, str] = {}
    errors: Errors = {}
    known = {spec["name"] for spec in fields}
    for name in values:
        if name not in known:
            errors[name] = "not a field of this form"
    for spec in fields:
        name = spec["name"]
        value = values.get(name)
        if is_blank(value):
            if spec.get("required", True):
                errors[name] = "required"
            continue
        try:
            cleaned[name] = CLEANERS[spec["type"]](typed_value(value, spec), spec, lookup)
        except ValueError as exc:
            errors[name] = str(exc)
    return cleaned, errors


# --- Uploaded files ----------------------------------------------------------------

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
FILE_NAME_MAX = 200  # as stored with the material
# Extension -> the magic bytes its content must start with.
FILE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "ofd": (b"PK\x03\x04",),
}


def check_upload(name: str, size: int, head: bytes, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """Check an uploaded file's type and size; returns its kind or raises ValueError.

    The type is taken from the name and must agree with the content's first
    bytes, so a renamed executable is refused.
    """
    try:
        check_text(name, max_length=FILE_NAME_MAX)
    except ValueError as exc:
        raise ValueError(f"file name: {exc}") from None
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    signatures = FILE_SIGNATURES.get(extension)
    if signatures is None:
        raise ValueError(f"file type not allowed: {name!r}; allowed: PDF, JPG, PNG, OFD")
    if size <= 0:
        raise ValueError("the file is empty")
    if size > max_bytes:
        raise ValueError(f"the file is {size} bytes; at most {max_bytes} bytes are allowed")
    if not head.startswith(signatures):
        raise ValueError(f"the content of {name!r} is not a {extension.upper()} file")
    return "jpg" if extension == "jpeg" else extension
