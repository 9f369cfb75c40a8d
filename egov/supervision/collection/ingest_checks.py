"""Checks of one incoming case event (采集校验), pure: no Django import.

The supervision engine judges other systems' data, so it re-implements the
case-number rule itself rather than trusting (or importing) the approvals
app's numbering: 6-digit GB/T 2260 region code, 8-digit local date of
receipt, 6-digit sequence, and one ISO 7064 MOD 11-2 check character over
the first 20 digits (the resident ID's scheme, ``0``-``9`` or ``X``).

:func:`check_event` returns the first problem of an event as a
:class:`Problem` (code, field, reason) or None; the checks that need the
database (is the region known, is the event before its case's receipt) are
done by :mod:`egov.supervision.collection.ingest` with the values it reads here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from stdnum.iso7064 import mod_11_2

from egov.core.text_input import character_name, refused_character

SHANGHAI = ZoneInfo("Asia/Shanghai")
CASE_NUMBER_PATTERN = re.compile(r"^(\d{6})(\d{8})(\d{6})([0-9X])$")
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
DEFAULT_SKEW = dt.timedelta(minutes=5)


def check_character(digits: str) -> str:
    """The ISO 7064 MOD 11-2 check character of a string of digits (python-stdnum's)."""
    return mod_11_2.calc_check_digit(digits)


def make_case_number(region_code: str, day: dt.date, sequence: int) -> str:
    """The case number of the ``sequence``-th case of a region on a day (for tests, bench)."""
    if not re.fullmatch(r"\d{6}", region_code) or not 1 <= sequence <= 999_999:
        raise ValueError("region_code: 6 digits; sequence: 1..999999")
    body = f"{region_code}{day:%Y%m%d}{sequence:06d}"
    return body + check_character(body)


@dataclass(frozen=True)
class CaseNumber:
    """The parts of a well-formed case number."""

    region_code: str
    day: dt.date
    sequence: int


def parse_case_number(number: Any) -> CaseNumber | str:
    """The parts of a case number, or the reason it is not one."""
    if not isinstance(number, str):
        return "应为字符串"
    match = CASE_NUMBER_PATTERN.fullmatch(number)
    if match is None:
        return "应为20位数字加1位校验码（共21位）"
    region, date_text, sequence, check = match.groups()
    if check_character(number[:-1]) != check:
        return "校验码不符（ISO 7064 MOD 11-2）"
    try:
        # Eight digits by the pattern; date() refuses what strptime("%Y%m%d") would.
        day = dt.date(int(date_text[:4]), int(date_text[4:6]), int(date_text[6:]))
    except ValueError:
        return "日期部分不是有效日期"
    if int(sequence) == 0:
        return "序号不能为0"
    return CaseNumber(region, day, int(sequence))


@dataclass(frozen=True)
class Problem:
    """Why one event is rejected: an error code (egov.supervision.errors), a field, a reason."""

    code: str
    field: str
    reason: str


def parse_instant(value: Any) -> dt.datetime | None:
    """An aware datetime from RFC 3339 text, or None."""
    if not isinstance(value, str):
        return None
    try:
        instant = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return instant if instant.tzinfo is not None else None


# The data fields that carry an instant, by event type: each must be a possible time too.
TIME_FIELDS: Mapping[str, tuple[str, ...]] = {
    "ApplicationSubmitted": ("received_at",),
    "CaseAccepted": ("accepted_at",),
    "SupplementRequested": ("suspension_start",),
    "SupplementReceived": ("suspension_start", "suspension_end"),
    "SpecialProcedureStarted": ("suspension_start",),
    "SpecialProcedureEnded": ("suspension_start", "suspension_end"),
    "CaseDecided": ("decided_at",),
    "CaseConcluded": ("concluded_at",),
    "CaseDelivered": ("delivered_at",),
    "FeePaid": ("paid_at",),
}


def time_problem(instant: dt.datetime, now: dt.datetime, skew: dt.timedelta) -> str:
    """Why an instant is impossible, or ''."""
    if instant < EARLIEST:
        return "早于2000年"
    if instant > now + skew:
        return "晚于当前时间"
    return ""


def check_times(event: Mapping[str, Any], now: dt.datetime, skew: dt.timedelta) -> Problem | None:
    """The occurred_at and data instants: none before 2000, none in the future."""
    occurred = parse_instant(event.get("occurred_at"))
    if occurred is None:
        return Problem("impossible_time", "occurred_at", "不是带时区的时间")
    reason = time_problem(occurred, now, skew)
    if reason:
        return Problem("impossible_time", "occurred_at", reason)
    data = event.get("data") or {}
    for name in TIME_FIELDS.get(event.get("type", ""), ()):
        if name not in data:
            continue
        instant = parse_instant(data[name])
        if instant is None:
            return Problem("impossible_time", f"data.{name}", "不是带时区的时间")
        reason = time_problem(instant, now, skew)
        if reason:
            return Problem("impossible_time", f"data.{name}", reason)
    return None


def check_case_number(event: Mapping[str, Any]) -> Problem | None:
    """The case number is well formed, and its date is not after the event."""
    parsed = parse_case_number(event.get("case_number"))
    if isinstance(parsed, str):
        return Problem("bad_case_number", "case_number", parsed)
    occurred = parse_instant(event.get("occurred_at"))
    if occurred is not None and occurred.astimezone(SHANGHAI).date() < parsed.day:
        return Problem("impossible_time", "occurred_at", "早于办件编号中的收件日期")
    return None


def receipt_problem(event: Mapping[str, Any], received: dt.datetime | None) -> Problem | None:
    """An event of a case that happened before the case was received."""
    occurred = parse_instant(event.get("occurred_at"))
    if received is None or occurred is None or event.get("type") == "ApplicationSubmitted":
        return None
    if occurred < received:
        return Problem("impossible_time", "occurred_at", "早于该办件的收件时间")
    return None


DAYS_MAX = 999  # a limit, extension or procedure of more working days is a data error
COUNT_MAX = 9_999
FEN_MAX = 100_000_000_000  # 10 亿元
# (type, path inside data, maximum); "[]" walks a list
NUMBER_LIMITS: tuple[tuple[str, str, int], ...] = (
    ("ApplicationSubmitted", "statutory_limit_days", DAYS_MAX),
    ("ApplicationSubmitted", "promised_limit_days", DAYS_MAX),
    ("ApplicationSubmitted", "fees[].amount_fen", FEN_MAX),
    ("CaseAccepted", "limit_days", DAYS_MAX),
    ("SupplementRequested", "sequence", COUNT_MAX),
    ("SupplementReceived", "sequence", COUNT_MAX),
    ("SpecialProcedureStarted", "limit_days", DAYS_MAX),
    ("CaseExtended", "days", DAYS_MAX),
    ("CaseExtended", "total_extension_days", DAYS_MAX),
    ("CaseDecided", "working_days_used", COUNT_MAX),
    ("CaseConcluded", "working_days_used", COUNT_MAX),
    ("FeePaid", "amount_fen", FEN_MAX),
    ("ItemPublished", "statutory_limit_days", DAYS_MAX),
    ("ItemPublished", "promised_limit_days", DAYS_MAX),
    ("ItemPublished", "fees[].amount_fen", FEN_MAX),
)


def values_at(data: Any, path: str) -> list[tuple[str, Any]]:
    """(field, value) pairs at a path such as ``fees[].amount_fen``."""
    head, _, rest = path.partition(".")
    if head.endswith("[]"):
        items = data.get(head[:-2]) if isinstance(data, Mapping) else None
        if not isinstance(items, list):
            return []
        found = []
        for index, item in enumerate(items):
            for name, value in values_at(item, rest):
                found.append((f"{head[:-2]}[{index}].{name}", value))
        return found
    if not isinstance(data, Mapping) or head not in data:
        return []
    return [(head, data[head])]


def strings_in(value: Any, path: str) -> list[tuple[str, str]]:
    """Every (path, string) of a JSON value, keys of objects included."""
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, Mapping):
        found: list[tuple[str, str]] = []
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            found += strings_in(key, where) + strings_in(item, where)
        return found
    if isinstance(value, list):
        return [
            pair
            for index, item in enumerate(value)
            for pair in strings_in(item, f"{path}[{index}]")
        ]
    return []


# In the compact JSON text of an event (ensure_ascii off), what a refused character
# looks like: an escape (controls below U+0020 are written \n, \u0001, ...; a literal
# backslash, written \\, may match too, which only costs the closer look) or the
# character itself (DEL, C1 controls, bidi controls, lone surrogates).
SUSPECT = re.compile('\\\\[^"]|[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]')


def has_suspect(value: Any) -> bool:
    """May any text of a JSON value (keys included) hold a refused character?

    False only when surely not; True sends the event to the exact check.
    """
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):
        return True
    return SUSPECT.search(text) is not None


def check_characters(event: Mapping[str, Any]) -> Problem | None:
    """Control characters and bidi overrides (egov.core.text_input) in any text of the event.

    NUL cannot be stored in PostgreSQL's JSON; line breaks and tabs are allowed.
    Most events have none: one regular-expression pass per text finds that out.
    """
    if not has_suspect(event):
        return None
    for field, text in strings_in(event, ""):
        char = refused_character(text, multiline=True)
        if char is not None:
            return Problem("schema_invalid", field, f"含不允许的控制字符 {character_name(char)}")
    return None


def check_numbers(event: Mapping[str, Any]) -> Problem | None:
    """Counts and amounts beyond any real case (they would overflow the projection)."""
    kind, data = event.get("type"), event.get("data")
    for owner, path, maximum in NUMBER_LIMITS:
        if owner != kind:
            continue
        for name, value in values_at(data, path):
            if isinstance(value, float):  # JSON Schema counts 5.0 as an integer; we do not
                return Problem("schema_invalid", f"data.{name}", "应为整数")
            if isinstance(value, int) and value > maximum:
                return Problem("out_of_range", f"data.{name}", f"超出合理范围（最大 {maximum}）")
    return None
