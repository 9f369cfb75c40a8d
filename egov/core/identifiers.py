"""Identity numbers (证件号码): resident ID (GB 11643) and USCC (GB 32100), no Django.

Check characters come from python-stdnum (``stdnum.cn.ric``, ``stdnum.cn.uscc``).
``ric.validate`` also checks the birth place against stdnum's own table, which
dates each area code from its creation and so refuses real IDs (a 道里区 resident
born in 1975); here only the form, the birth date and the check digit are
checked, and the caller checks the address code against the region table
(current and historical codes).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError


class IdentifierError(ValueError):
    """The number is not well-formed; the message says why."""


@dataclass(frozen=True)
class ResidentId:
    """A well-formed resident ID (公民身份号码) and its parts."""

    number: str
    address_code: str
    birth_date: datetime.date


def parse_resident_id(value: str, *, today: datetime.date | None = None) -> ResidentId:
    """Check form, birth date and check digit; the address code is left to the caller."""
    number = ric.compact(value or "").upper()
    if len(number) != 18 or not number[:17].isdigit():
        raise IdentifierError("must be 17 digits and a check character (0-9 or X)")
    try:
        birth = ric.get_birth_date(number)
    except StdnumError as exc:
        raise IdentifierError("the birth date (digits 7-14) is not a date") from exc
    if birth > (today or datetime.date.today()):
        raise IdentifierError("the birth date (digits 7-14) is in the future")
    if number[-1] != ric.calc_check_digit(number):
        raise IdentifierError("wrong check character")
    return ResidentId(number=number, address_code=number[:6], birth_date=birth)


def resident_id_with_check_digit(first17: str) -> str:
    """The 18-character resident ID for 17 digits (demo and test data)."""
    # stdnum's calc_check_digit takes the full number and ignores its last character.
    return first17 + ric.calc_check_digit(first17 + "0")


def parse_credit_code(value: str) -> str:
    """A well-formed unified social credit code (统一社会信用代码), compacted."""
    try:
        return uscc.validate((value or "").upper())
    except StdnumError as exc:
        raise IdentifierError(
            "must be 18 characters (digits and letters except I, O, S, V, Z) "
            "with a correct check character"
        ) from exc


def credit_code_with_check_digit(first17: str) -> str:
    """The 18-character USCC for its first 17 characters (demo and test data)."""
    return first17 + uscc.calc_check_digit(first17)
