"""Case and licence numbers (办件编号/证照编号), pure: no Django import.

A case number is 21 characters: the 6-digit GB/T 2260 code of the region whose
department received the case, the 8-digit local date of receipt, a 6-digit
sequence within that region and day, and one ISO 7064 MOD 11-2 check
character (the same scheme as the resident ID's last character), so a number
typed by hand with one wrong digit or two swapped digits is refused rather
than finding another person's case::

    230102 20260315 000123 7
    region date     seq    check

A licence number is ``<item code>-<year>-<6-digit sequence>``.
"""

from __future__ import annotations

import datetime as dt
import re

from stdnum.iso7064 import mod_11_2

CASE_NUMBER_LENGTH = 21
SEQUENCE_MAX = 999_999
CASE_NUMBER_PATTERN = re.compile(r"^(\d{6})(\d{8})(\d{6})([0-9X])$")


class NumberingError(ValueError):
    """A number that cannot be made or read."""


def case_number(region_code: str, day: dt.date, sequence: int) -> str:
    """The case number for the ``sequence``-th case of a region on a day."""
    if not re.fullmatch(r"\d{6}", region_code or ""):
        raise NumberingError(f"region_code: expected 6 digits, got {region_code!r}")
    if not 1 <= sequence <= SEQUENCE_MAX:
        raise NumberingError(f"sequence: expected 1..{SEQUENCE_MAX}, got {sequence}")
    body = f"{region_code}{day:%Y%m%d}{sequence:06d}"
    return body + mod_11_2.calc_check_digit(body)


def parse_case_number(number: str) -> tuple[str, dt.date, int]:
    """The region code, date and sequence of a case number; NumberingError if invalid."""
    text = (number or "").strip().upper()
    match = CASE_NUMBER_PATTERN.fullmatch(text)
    if match is None:
        raise NumberingError("case number: expected 20 digits and a check character")
    region, date_text, sequence, check = match.groups()
    if mod_11_2.calc_check_digit(text[:-1]) != check:
        raise NumberingError("case number: the check character does not match")
    try:
        day = dt.datetime.strptime(date_text, "%Y%m%d").date()
    except ValueError:
        raise NumberingError("case number: the date part is not a date") from None
    return region, day, int(sequence)


def is_case_number(number: str) -> bool:
    """Is this a well-formed case number with a matching check character?"""
    try:
        parse_case_number(number)
    except NumberingError:
        return False
    return True


def licence_number(item_code: str, year: int, sequence: int) -> str:
    """The number of a licence issued under an item: ``<item>-<year>-<seq>``."""
    if not 1 <= sequence <= SEQUENCE_MAX:
        raise NumberingError(f"sequence: expected 1..{SEQUENCE_MAX}, got {sequence}")
    return f"{item_code}-{year:04d}-{sequence:06d}"
