"""Migration 0002 seeds the calendar table from the published schedules."""

import datetime as dt

import pytest

from egov.core.calendar import provisional_exception_days
from egov.core.models import AuditEntry, CalendarDay
from egov.core.selectors.calendar import (
    add_working_days,
    is_working_day,
    provisional_years,
)
from egov.core.services.calendar import seed_official_calendar, seed_rows

pytestmark = pytest.mark.django_db
D = dt.date


def test_2026_spring_festival_make_up_saturdays_are_seeded_as_working() -> None:
    for day in (D(2026, 2, 14), D(2026, 2, 28)):
        row = CalendarDay.objects.get(date=day)
        assert (row.is_working, row.provisional, row.name) == (True, False, "春节调休上班")
        assert is_working_day(day)


def test_2026_national_day_week_is_rest_and_named() -> None:
    assert not any(is_working_day(D(2026, 10, day)) for day in range(1, 8))
    assert CalendarDay.objects.get(date=D(2026, 10, 1)).name == "国庆节"
    # The weekend days of the holiday break no rule and are not stored.
    assert not CalendarDay.objects.filter(date=D(2026, 10, 3)).exists()


def test_first_official_year_2004_is_seeded() -> None:
    row = CalendarDay.objects.get(date=D(2004, 1, 1))
    assert (row.is_working, row.name, row.provisional) == (False, "元旦", False)
    assert row.source.startswith("chinesecalendar")


def test_2027_to_2030_are_provisional_from_the_holidays_package() -> None:
    assert provisional_years() == frozenset({2027, 2028, 2029, 2030})
    rows_2027 = CalendarDay.objects.filter(date__year=2027)
    assert rows_2027.exists()
    assert all(row.provisional and not row.is_working for row in rows_2027)
    assert not CalendarDay.objects.filter(date__year__lte=2026, provisional=True).exists()
    assert not CalendarDay.objects.filter(date__year__gte=2031).exists()


def test_deadline_from_mid_december_2026_reaches_into_2027() -> None:
    # 2027-01-01 is a provisional holiday (Friday): 20 working days skip it.
    assert add_working_days(D(2026, 12, 15), 20) == D(2027, 1, 13)


def test_seeding_again_writes_nothing_and_audits_nothing() -> None:
    before = list(CalendarDay.objects.values_list("date", "is_working", "name", "provisional"))
    audits = AuditEntry.objects.count()
    assert seed_rows() == 0
    assert seed_official_calendar(actor="system") == 0
    assert (
        list(CalendarDay.objects.values_list("date", "is_working", "name", "provisional")) == before
    )
    assert AuditEntry.objects.count() == audits


def test_seeding_fills_a_missing_year_and_audits_it() -> None:
    CalendarDay.objects.filter(date__year=2029).delete()
    expected = provisional_exception_days([2029])
    assert seed_official_calendar(actor="ops_admin") == len(expected)
    assert sorted(CalendarDay.objects.filter(date__year=2029).values_list("date", flat=True)) == [
        day.date for day in expected
    ]
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert (entry.actor, entry.action) == ("ops_admin", "calendar.seeded")


def test_seeding_never_overwrites_a_year_already_present() -> None:
    CalendarDay.objects.filter(date__year=2028).delete()
    CalendarDay.objects.create(date=D(2028, 1, 3), is_working=False, name="元旦", source="import")
    seed_rows()
    assert list(CalendarDay.objects.filter(date__year=2028).values_list("date", flat=True)) == [
        D(2028, 1, 3)
    ]
