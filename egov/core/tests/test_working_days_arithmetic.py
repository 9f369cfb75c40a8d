"""Working-day arithmetic on the official calendar: known dates, pauses, errors (no database)."""

import datetime as dt
import re

import pytest

from egov.core.calendar import (
    WorkingCalendar,
    official_exception_days,
    official_years,
)

D = dt.date


@pytest.fixture(scope="module")
def official() -> WorkingCalendar:
    return WorkingCalendar(
        (day.date, day.is_working) for day in official_exception_days(official_years())
    )


def test_weekend_make_up_days_of_2026_spring_festival_are_working_days(official) -> None:
    assert D(2026, 2, 14).weekday() == 5
    assert D(2026, 2, 28).weekday() == 5
    assert official.is_working_day(D(2026, 2, 14))
    assert official.is_working_day(D(2026, 2, 28))


def test_2026_national_day_week_is_rest(official) -> None:
    assert not any(official.is_working_day(D(2026, 10, day)) for day in range(1, 8))
    assert official.is_working_day(D(2026, 9, 30))
    assert official.is_working_day(D(2026, 10, 8))
    assert official.is_working_day(D(2026, 10, 10))  # Saturday make-up day


def test_2024_spring_festival_and_its_make_up_sunday(official) -> None:
    # 2024: 2月10日至17日放假调休，2月4日（星期日）、2月18日（星期日）上班。
    assert not any(official.is_working_day(D(2024, 2, day)) for day in range(10, 18))
    assert D(2024, 2, 4).weekday() == 6
    assert official.is_working_day(D(2024, 2, 4))
    assert official.is_working_day(D(2024, 2, 18))


def test_ordinary_week_follows_the_weekly_rule(official) -> None:
    week = [D(2026, 11, 23) + dt.timedelta(days=i) for i in range(7)]
    assert [official.is_working_day(day) for day in week] == [True] * 5 + [False] * 2


def test_add_across_the_2026_national_day_holiday(official) -> None:
    assert official.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert official.add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert official.add_working_days(D(2026, 9, 30), 4) == D(2026, 10, 12)
    assert official.add_working_days(D(2026, 10, 1), 1) == D(2026, 10, 8)


def test_add_twenty_working_days_from_a_holiday_eve(official) -> None:
    # 9/30 -> 10/8, 9, 10, 12..16, 19..23, 26..30, 11/2, 3: the 20th is 11/3.
    assert official.add_working_days(D(2026, 9, 30), 20) == D(2026, 11, 3)


def test_between_counts_start_excluded_end_included(official) -> None:
    assert official.working_days_between(D(2026, 9, 30), D(2026, 10, 9)) == 2
    assert official.working_days_between(D(2026, 9, 29), D(2026, 9, 30)) == 1
    assert official.working_days_between(D(2026, 10, 1), D(2026, 10, 7)) == 0
    assert official.working_days_between(D(2026, 9, 30), D(2026, 11, 3)) == 20


def test_between_is_zero_for_equal_dates_and_negative_backwards(official) -> None:
    assert official.working_days_between(D(2026, 10, 9), D(2026, 10, 9)) == 0
    assert official.working_days_between(D(2026, 10, 9), D(2026, 9, 30)) == -2


def test_adding_zero_gives_the_start_even_on_a_rest_day(official) -> None:
    assert official.add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 3)
    assert official.add_working_days(D(2026, 10, 8), 0) == D(2026, 10, 8)


def test_paused_days_do_not_count(official) -> None:
    # Correction (补正) from 11/2 to 11/6: five working days do not count.
    paused = [(D(2026, 11, 2), D(2026, 11, 6))]
    assert official.add_working_days(D(2026, 10, 30), 1) == D(2026, 11, 2)
    assert official.add_working_days(D(2026, 10, 30), 1, paused) == D(2026, 11, 9)
    assert official.working_days_between(D(2026, 10, 30), D(2026, 11, 9), paused) == 1


def test_overlapping_pauses_are_merged_and_pauses_before_start_ignored(official) -> None:
    paused = [
        (D(2026, 11, 4), D(2026, 11, 10)),
        (D(2026, 11, 2), D(2026, 11, 5)),
        (D(2026, 1, 5), D(2026, 1, 9)),
    ]
    # 11/2..11/10 paused: 7 working days; the first counted day is 11/11.
    assert official.add_working_days(D(2026, 10, 30), 1, paused) == D(2026, 11, 11)
    assert official.working_days_between(D(2026, 10, 30), D(2026, 11, 11), paused) == 1


def test_pause_reaching_back_before_start_only_swallows_days_after_start(official) -> None:
    paused = [(D(2026, 11, 1), D(2026, 11, 4))]
    assert official.add_working_days(D(2026, 11, 2), 1, paused) == D(2026, 11, 5)


def test_dates_outside_the_seeded_years_follow_the_weekly_rule(official) -> None:
    assert official.is_working_day(D(2040, 10, 1))  # a Monday, no schedule known
    assert official.add_working_days(D(2040, 9, 28), 1) == D(2040, 10, 1)
    assert official.working_days_between(D(1999, 12, 31), D(2000, 1, 7)) == 5


def test_empty_calendar_is_the_weekly_rule() -> None:
    weekly = WorkingCalendar()
    assert weekly.add_working_days(D(2026, 11, 27), 1) == D(2026, 11, 30)  # Fri -> Mon
    assert weekly.add_working_days(D(2026, 11, 28), 5) == D(2026, 12, 4)  # Sat -> Fri
    assert weekly.working_days_between(D(2026, 11, 27), D(2026, 12, 4)) == 5


def test_entries_that_agree_with_the_weekly_rule_change_nothing() -> None:
    noisy = WorkingCalendar({D(2026, 11, 28): False, D(2026, 11, 30): True})
    assert noisy == WorkingCalendar()
    assert dict(noisy.exceptions) == {}


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda c: c.add_working_days(D(2026, 1, 5), -1), "n"),
        (lambda c: c.add_working_days(D(2026, 1, 5), 1.0), "n"),
        (lambda c: c.add_working_days(D(2026, 1, 5), True), "n"),
        (lambda c: c.add_working_days("2026-01-05", 1), "start"),
        (lambda c: c.add_working_days(dt.datetime(2026, 1, 5, 9), 1), "start"),
        (lambda c: c.working_days_between(D(2026, 1, 5), None), "b"),
        (lambda c: c.working_days_between(20260105, D(2026, 1, 9)), "a"),
        (lambda c: c.is_working_day("2026-01-05"), "day"),
        (
            lambda c: c.add_working_days(D(2026, 1, 5), 1, [(D(2026, 1, 9), D(2026, 1, 8))]),
            "paused[0]",
        ),
        (lambda c: c.add_working_days(D(2026, 1, 5), 1, [D(2026, 1, 9)]), "paused[0]"),
        (lambda c: c.add_working_days(D(2026, 1, 5), 1, [(D(2026, 1, 9), "x")]), "paused[0] last"),
        (lambda c: c.working_days_between(D(2026, 1, 5), D(2026, 1, 9), "2026"), "paused"),
    ],
)
def test_bad_arguments_raise_value_error_naming_the_argument(official, call, argument) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(argument)}"):
        call(official)


def test_result_beyond_the_last_date_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"^n: "):
        WorkingCalendar().add_working_days(D(9999, 12, 1), 100)


def test_calendar_is_immutable(official) -> None:
    with pytest.raises(AttributeError):
        official._ordinals = ()
    with pytest.raises(TypeError):
        official.exceptions[D(2026, 11, 30)] = False  # type: ignore[index]
    assert official.is_working_day(D(2026, 11, 30))


def test_building_rejects_non_boolean_flags() -> None:
    with pytest.raises(ValueError, match="is_working"):
        WorkingCalendar({D(2026, 10, 1): 0})
