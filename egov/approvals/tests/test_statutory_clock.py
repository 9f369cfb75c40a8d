"""The statutory clock (办理时限): holidays, make-up days, suspensions, extensions, lights.

Pure tests: no database. The calendar is the official 2026 schedule as
``chinesecalendar`` publishes it (the same source the calendar table is seeded from).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egov.approvals.clock import (
    SHANGHAI,
    CaseTimes,
    Light,
    Phase,
    Suspension,
    Thresholds,
    read_clock,
)
from egov.core.calendar import WorkingCalendar, official_exception_days

CALENDAR = WorkingCalendar((day.date, day.is_working) for day in official_exception_days([2026]))


def at(day: str, hour: int = 10) -> dt.datetime:
    """An instant on a local (Asia/Shanghai) date."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=SHANGHAI)


def d(day: str) -> dt.date:
    return dt.date.fromisoformat(day)


def test_national_day_holidays_do_not_count():
    # Accepted Mon 28 Sep 2026; 1-7 Oct is the National Day holiday, Sat 10 Oct is worked.
    times = CaseTimes(received=at("2026-09-28", 9), accepted=at("2026-09-28"), limit_days=5)
    reading = read_clock(times, CALENDAR, now=at("2026-10-08"))
    assert reading.deadline == d("2026-10-10")
    assert reading.days_used == 3  # 29 Sep, 30 Sep, 8 Oct
    assert reading.days_left == 2
    assert not reading.overdue


def test_spring_festival_make_up_saturdays_count():
    # Sat 14 Feb 2026 is a make-up working day; 16-20 and 23 Feb are holidays.
    times = CaseTimes(received=at("2026-02-12"), accepted=at("2026-02-12"), limit_days=3)
    assert read_clock(times, CALENDAR, now=at("2026-02-12")).deadline == d("2026-02-24")
    # Sat 28 Feb 2026 is also worked: two days from Thu 26 Feb end on that Saturday.
    times = CaseTimes(received=at("2026-02-26"), accepted=at("2026-02-26"), limit_days=2)
    assert read_clock(times, CALENDAR, now=at("2026-02-26")).deadline == d("2026-02-28")


def test_ended_supplement_moves_the_deadline_by_the_days_it_stopped():
    base = CaseTimes(received=at("2026-03-02"), accepted=at("2026-03-02"), limit_days=10)
    assert read_clock(base, CALENDAR, now=at("2026-03-03")).deadline == d("2026-03-16")
    # Requested Wed 4 Mar, materials back Fri 6 Mar: 5 and 6 Mar do not count.
    waiting = Suspension("supplement", at("2026-03-04"), at("2026-03-06"))
    times = CaseTimes(
        received=at("2026-03-02"),
        accepted=at("2026-03-02"),
        limit_days=10,
        suspensions=(waiting,),
    )
    reading = read_clock(times, CALENDAR, now=at("2026-03-09"))
    assert reading.deadline == d("2026-03-18")
    assert reading.days_used == 3  # 3, 4 and 9 Mar
    assert reading.intervals[0].working_days == 2
    assert not reading.suspended


def test_open_suspension_freezes_the_days_used():
    waiting = Suspension("supplement", at("2026-03-04"))
    times = CaseTimes(
        received=at("2026-03-02"),
        accepted=at("2026-03-02"),
        limit_days=10,
        suspensions=(waiting,),
    )
    on_tuesday = read_clock(times, CALENDAR, now=at("2026-03-10"))
    a_week_later = read_clock(times, CALENDAR, now=at("2026-03-17"))
    assert on_tuesday.days_used == a_week_later.days_used == 2
    assert on_tuesday.suspended
    assert a_week_later.deadline > on_tuesday.deadline
    assert a_week_later.intervals[0].open


def test_special_procedure_reports_its_own_deadline():
    hearing = Suspension("hearing", at("2026-03-04"), limit_days=20)
    times = CaseTimes(
        received=at("2026-03-02"),
        accepted=at("2026-03-02"),
        limit_days=20,
        suspensions=(hearing,),
    )
    reading = read_clock(times, CALENDAR, now=at("2026-03-05"))
    assert reading.intervals[0].own_deadline == d("2026-04-01")


def test_extension_adds_working_days():
    plain = CaseTimes(received=at("2026-03-02"), accepted=at("2026-03-02"), limit_days=20)
    extended = CaseTimes(
        received=at("2026-03-02"), accepted=at("2026-03-02"), limit_days=20, extension_days=10
    )
    now = at("2026-03-20")
    assert read_clock(plain, CALENDAR, now).deadline == d("2026-03-30")
    assert read_clock(extended, CALENDAR, now).deadline == d("2026-04-14")  # 6 Apr is 清明节
    assert read_clock(extended, CALENDAR, now).days_left == 30 - 14  # 14 used by Fri 20 Mar


def test_unanswered_application_is_deemed_accepted_on_the_fifth_working_day():
    # Received Mon 28 Sep; the fifth working day after it is Sat 10 Oct (a make-up day).
    times = CaseTimes(received=at("2026-09-28"), limit_days=20)
    waiting = read_clock(times, CALENDAR, now=at("2026-10-09"))
    assert waiting.phase is Phase.ACCEPTANCE
    assert waiting.acceptance_due == d("2026-10-10")
    assert waiting.deemed_accepted_on is None
    later = read_clock(times, CALENDAR, now=at("2026-10-12"))
    assert later.phase is Phase.PROCESSING
    assert later.deemed_accepted_on == d("2026-10-10")
    assert later.start == d("2026-10-10")
    assert later.days_used == 1


def test_lights_follow_the_thresholds():
    times = CaseTimes(received=at("2026-03-02"), accepted=at("2026-03-02"), limit_days=10)
    assert read_clock(times, CALENDAR, at("2026-03-05")).light is Light.GREEN  # 3 used
    assert read_clock(times, CALENDAR, at("2026-03-12")).light is Light.YELLOW  # 8 used = 80%
    last_day = read_clock(times, CALENDAR, at("2026-03-16"))
    assert (last_day.days_left, last_day.light, last_day.overdue) == (0, Light.YELLOW, False)
    late = read_clock(times, CALENDAR, at("2026-03-17"))
    assert (late.light, late.overdue, late.days_left) == (Light.RED, True, -1)
    strict = Thresholds(yellow_days_left=7, yellow_fraction_used=0.9)
    assert read_clock(times, CALENDAR, at("2026-03-05"), strict).light is Light.YELLOW


def test_the_clock_stops_when_the_case_stops():
    times = CaseTimes(
        received=at("2026-03-02"),
        accepted=at("2026-03-02"),
        limit_days=10,
        stopped=at("2026-03-06"),
    )
    reading = read_clock(times, CALENDAR, now=at("2026-06-01"))
    assert (reading.days_used, reading.overdue, reading.light) == (4, False, Light.GREEN)


def test_local_date_counts_not_the_utc_date():
    # 17:30 UTC on 1 Mar is 01:30 on Mon 2 Mar in Shanghai.
    received = dt.datetime(2026, 3, 1, 17, 30, tzinfo=dt.UTC)
    times = CaseTimes(received=received, accepted=received, limit_days=1)
    assert read_clock(times, CALENDAR, now=received).deadline == d("2026-03-03")


def test_naive_times_are_refused():
    times = CaseTimes(received=dt.datetime(2026, 3, 2, 10), limit_days=1)
    with pytest.raises(ValueError, match="timezone-aware"):
        read_clock(times, CALENDAR, now=at("2026-03-02"))


# --- Properties --------------------------------------------------------------------

days_2026 = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 11, 30))


@st.composite
def suspensions(draw: st.DrawFn, after: dt.date) -> Suspension:
    start = after + dt.timedelta(days=draw(st.integers(0, 60)))
    length = draw(st.one_of(st.none(), st.integers(0, 30)))
    ended = None if length is None else at(str(start + dt.timedelta(days=length)))
    return Suspension("supplement", at(str(start)), ended)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), accepted=days_2026, limit=st.integers(1, 60))
def test_a_suspension_never_makes_the_deadline_earlier(data, accepted, limit):
    earlier = data.draw(st.lists(suspensions(accepted), max_size=3))
    extra = data.draw(suspensions(accepted))
    now = at(str(accepted + dt.timedelta(days=data.draw(st.integers(0, 120)))))
    base = CaseTimes(at(str(accepted)), limit, accepted=at(str(accepted)), suspensions=earlier)
    more = CaseTimes(
        at(str(accepted)), limit, accepted=at(str(accepted)), suspensions=[*earlier, extra]
    )
    assert read_clock(more, CALENDAR, now).deadline >= read_clock(base, CALENDAR, now).deadline
    base_due = read_clock(CaseTimes(at(str(accepted)), limit, suspensions=earlier), CALENDAR, now)
    more_due = read_clock(
        CaseTimes(at(str(accepted)), limit, suspensions=[*earlier, extra]), CALENDAR, now
    )
    assert more_due.acceptance_due >= base_due.acceptance_due


@settings(max_examples=200, deadline=None)
@given(
    data=st.data(),
    received=days_2026,
    limit=st.integers(1, 60),
    accepted_after=st.one_of(st.none(), st.integers(0, 4)),
    gaps=st.tuples(st.integers(0, 90), st.integers(0, 90)),
)
def test_more_elapsed_time_never_gives_more_days_left(data, received, limit, accepted_after, gaps):
    accepted = None
    if accepted_after is not None:
        accepted = at(str(received + dt.timedelta(days=accepted_after)), 11)
    pauses = data.draw(st.lists(suspensions(received), max_size=3))
    times = CaseTimes(at(str(received), 9), limit, accepted=accepted, suspensions=pauses)
    first = at(str(received + dt.timedelta(days=min(gaps))), 12)
    second = at(str(received + dt.timedelta(days=max(gaps))), 12)
    early = read_clock(times, CALENDAR, first)
    late = read_clock(times, CALENDAR, second)
    if early.phase is late.phase:
        assert late.days_left <= early.days_left
    assert late.days_used >= 0
