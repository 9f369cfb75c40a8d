"""The intake's own case-number check (ISO 7064 MOD 11-2) and time checks, pure."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.iso7064 import mod_11_2

from egov.supervision.collection.ingest_checks import (
    CaseNumber,
    check_character,
    check_times,
    make_case_number,
    parse_case_number,
)

NOW = dt.datetime(2026, 11, 27, 4, tzinfo=dt.UTC)
SKEW = dt.timedelta(minutes=5)
digits = st.text(alphabet="0123456789", min_size=20, max_size=20)


@settings(deadline=None)
@given(digits)
def test_the_check_character_is_iso_7064_mod_11_2(body):
    assert check_character(body) == mod_11_2.calc_check_digit(body)


def test_a_documented_number_parses():
    assert parse_case_number("230102202603020000010") == CaseNumber(
        "230102", dt.date(2026, 3, 2), 1
    )
    assert make_case_number("230102", dt.date(2026, 3, 2), 1) == "230102202603020000010"


@settings(deadline=None)
@given(st.integers(0, 19), st.integers(1, 9))
def test_one_wrong_digit_is_caught(position, shift):
    number = make_case_number("230102", dt.date(2026, 3, 2), 123)
    changed = str((int(number[position]) + shift) % 10)
    typo = number[:position] + changed + number[position + 1 :]
    assert isinstance(parse_case_number(typo), str)


@settings(deadline=None)
@given(st.integers(0, 18))
def test_two_swapped_digits_are_caught(position):
    number = make_case_number("230102", dt.date(2026, 3, 2), 4567)
    if number[position] == number[position + 1]:
        return
    swapped = number[:position] + number[position + 1] + number[position] + number[position + 2 :]
    assert isinstance(parse_case_number(swapped), str)


def test_reasons_for_malformed_numbers():
    assert parse_case_number(None) == "应为字符串"
    assert "21位" in parse_case_number("2301022026")
    body = "23010220261340000001"  # month 13
    assert parse_case_number(body + check_character(body)) == "日期部分不是有效日期"
    body = "23010220260302000000"
    assert parse_case_number(body + check_character(body)) == "序号不能为0"


def event(occurred: str, **data) -> dict:
    return {"type": "CaseAccepted", "occurred_at": occurred, "data": data}


def test_times_before_2000_in_the_future_or_without_zone_are_impossible():
    assert check_times(event("2026-11-27T04:04:00Z"), NOW, SKEW) is None
    assert check_times(event("2026-11-27T04:06:00Z"), NOW, SKEW).reason == "晚于当前时间"
    assert check_times(event("1999-12-31T23:59:59Z"), NOW, SKEW).reason == "早于2000年"
    assert check_times(event("2026-11-27T04:00:00"), NOW, SKEW).reason == "不是带时区的时间"
    future = event("2026-11-27T04:00:00Z", accepted_at="2027-01-01T00:00:00Z")
    assert check_times(future, NOW, SKEW).field == "data.accepted_at"
