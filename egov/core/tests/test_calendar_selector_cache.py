"""get_working_calendar is cached per process but never stale after a change."""

import datetime as dt

import pytest
from django.db import transaction

from egov.core.calendar import parse_calendar_file
from egov.core.models import CalendarDay
from egov.core.selectors.calendar import (
    add_working_days,
    depends_on_provisional,
    get_working_calendar,
    is_working_day,
    provisional_years,
    working_days_between,
)
from egov.core.services.calendar import bump_revision, import_calendar_year

pytestmark = pytest.mark.django_db
D = dt.date

SCHEDULE_2027 = """date,is_working,name
2027-01-01,false,元旦
2027-02-05,false,春节
2027-02-08,false,春节
2027-02-09,false,春节
2027-02-10,false,春节
2027-02-11,false,春节
2027-02-20,true,春节调休上班
"""


def test_unchanged_table_gives_the_same_calendar_object() -> None:
    assert get_working_calendar() is get_working_calendar()


def test_import_in_this_process_is_seen_at_once() -> None:
    before = get_working_calendar()
    assert not is_working_day(D(2027, 2, 20))  # a Saturday, provisional year
    assert add_working_days(D(2027, 2, 18), 2) == D(2027, 2, 22)
    import_calendar_year(imported=parse_calendar_file(SCHEDULE_2027, "csv"))
    assert get_working_calendar() is not before
    assert is_working_day(D(2027, 2, 20))
    assert not is_working_day(D(2027, 2, 11))
    assert add_working_days(D(2027, 2, 18), 2) == D(2027, 2, 20)
    # (2/4, 2/12]: 2/5 and 2/8..2/11 are now holidays, only 2/12 counts.
    assert working_days_between(D(2027, 2, 4), D(2027, 2, 12)) == 1


def test_import_keeping_the_row_count_is_still_seen() -> None:
    rows = CalendarDay.objects.filter(date__year=2027).count()
    holidays = [
        f"2027-03-{day:02d},false,测试" for day in range(1, 32) if D(2027, 3, day).weekday() < 5
    ]
    text = "date,is_working,name\n" + "\n".join(holidays[:rows]) + "\n"
    assert get_working_calendar().is_working_day(D(2027, 3, 1))
    import_calendar_year(imported=parse_calendar_file(text, "csv"))
    assert CalendarDay.objects.filter(date__year=2027).count() == rows
    assert not is_working_day(D(2027, 3, 1))


def test_rolled_back_change_does_not_linger_in_the_cache() -> None:
    assert is_working_day(D(2026, 11, 30))
    seen_inside = []

    def change_then_fail() -> None:
        with transaction.atomic():
            CalendarDay.objects.create(date=D(2026, 11, 30), is_working=False, name="测试")
            bump_revision()
            seen_inside.append(is_working_day(D(2026, 11, 30)))
            raise RuntimeError("roll back")

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert seen_inside == [False]
    assert is_working_day(D(2026, 11, 30))


def test_a_row_written_without_the_service_is_noticed_by_the_row_count() -> None:
    assert is_working_day(D(2026, 12, 1))
    CalendarDay.objects.create(date=D(2026, 12, 1), is_working=False, name="测试")
    assert not is_working_day(D(2026, 12, 1))


def test_provisional_spans_until_the_official_year_is_imported() -> None:
    assert depends_on_provisional(D(2026, 12, 15), D(2027, 1, 13))
    assert not depends_on_provisional(D(2026, 1, 5), D(2026, 12, 31))
    assert depends_on_provisional(D(2031, 1, 5), D(2031, 1, 6))  # not seeded at all
    import_calendar_year(imported=parse_calendar_file(SCHEDULE_2027, "csv"))
    assert provisional_years() == frozenset({2028, 2029, 2030})
    assert not depends_on_provisional(D(2026, 12, 15), D(2027, 1, 13))
    assert depends_on_provisional(D(2027, 12, 15), D(2028, 1, 13))
