"""Case numbers: region + date + sequence + an ISO 7064 check character. Pure."""

import datetime as dt

import pytest

from egov.approvals.numbering import (
    NumberingError,
    case_number,
    is_case_number,
    licence_number,
    parse_case_number,
)


def test_a_case_number_reads_back_its_parts():
    number = case_number("230102", dt.date(2026, 3, 15), 123)
    assert len(number) == 21
    assert number.startswith("23010220260315000123")
    assert parse_case_number(number) == ("230102", dt.date(2026, 3, 15), 123)


def test_one_wrong_digit_or_a_swap_is_refused():
    number = case_number("230102", dt.date(2026, 3, 15), 123)
    wrong = number[:10] + str((int(number[10]) + 1) % 10) + number[11:]
    i = next(i for i in range(19) if number[i] != number[i + 1])
    swapped = number[:i] + number[i + 1] + number[i] + number[i + 2 :]
    assert not is_case_number(wrong)
    assert not is_case_number(swapped)
    assert not is_case_number(number[:-1])
    assert not is_case_number("")


@pytest.mark.parametrize(
    ("region", "sequence"), [("2301", 1), ("23010A", 1), ("230102", 0), ("230102", 1_000_000)]
)
def test_bad_parts_are_refused(region, sequence):
    with pytest.raises(NumberingError):
        case_number(region, dt.date(2026, 3, 15), sequence)


def test_licence_number():
    assert licence_number("JY-230100", 2026, 7) == "JY-230100-2026-000007"
