"""The projection's clock, pure: against a day-by-day reference and known 2026 National Day cases.

The reference counts one day at a time (is it a working day, is it inside a
suspension s+1 … e) instead of using the calendar's arithmetic, so the two
cannot share a mistake.
"""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from egov.core.calendar import WorkingCalendar, official_exception_days
from egov.supervision.collection.projection import Thresholds, project
from egov.supervision.tests.factories import CaseStory, at

CALENDAR = WorkingCalendar(
    (day.date, day.is_working) for day in official_exception_days([2025, 2026])
)
ONE = dt.timedelta(days=1)


def paused_days(spans: list[tuple[dt.date, dt.date]]) -> set[dt.date]:
    days = set()
    for first, last in spans:
        day = first + ONE
        while day <= last:
            days.add(day)
            day += ONE
    return days


def ref_add(start: dt.date, n: int, paused: set[dt.date]) -> dt.date:
    day, counted = start, 0
    while counted < n:
        day += ONE
        if CALENDAR.is_working_day(day) and day not in paused:
            counted += 1
    return day


def ref_between(a: dt.date, b: dt.date, paused: set[dt.date]) -> int:
    count, day = 0, a
    while day < b:
        day += ONE
        if CALENDAR.is_working_day(day) and day not in paused:
            count += 1
    return count


def local(instant: dt.datetime) -> dt.date:
    return instant.date()


# --- known cases around the 2026 National Day (10-01 … 10-07 off, 09-20 and 10-10 worked) ---


def test_a_five_day_limit_over_national_day():
    story = CaseStory(received=at(2026, 9, 25), promised=5, statutory=20)
    story.accept(at(2026, 9, 28))
    view = project(story.events, CALENDAR, now=at(2026, 9, 29))
    assert view.deadline == dt.date(2026, 10, 10)  # 9-29, 9-30, 10-08, 10-09, Saturday 10-10
    assert view.yellow_on == dt.date(2026, 10, 8)  # 3 of 5 used: 2 left
    assert view.working_days_used == 1
    assert view.light == "green"
    assert view.is_open


def test_a_supplement_over_the_holiday_stops_the_days_after_it_started():
    story = CaseStory(received=at(2026, 9, 25), promised=5)
    story.accept(at(2026, 9, 28)).request_supplement(at(2026, 9, 29))
    open_view = project(story.events, CALENDAR, now=at(2026, 10, 8))
    assert open_view.deadline is None
    assert open_view.light == "suspended"
    story.receive_supplement(at(2026, 10, 8, 9))
    view = project(story.events, CALENDAR, now=at(2026, 10, 9))
    # 9-30 … 10-08 do not count: 9-29, 10-09, 10-10, 10-12, 10-13
    assert view.deadline == dt.date(2026, 10, 13)
    assert view.suspended_days == 2  # 9-30 and 10-08 were working days
    assert view.working_days_used == 2


def test_acceptance_due_counts_the_makeup_sunday_and_skips_the_festival():
    early = project(CaseStory(received=at(2026, 9, 18)).events, CALENDAR, now=at(2026, 9, 18))
    assert early.acceptance_due == dt.date(2026, 9, 24)  # Sunday 9-20 is a working day
    late = project(CaseStory(received=at(2026, 9, 24)).events, CALENDAR, now=at(2026, 10, 20))
    assert late.acceptance_due == dt.date(2026, 10, 9)
    assert late.deemed_accepted_on == dt.date(2026, 10, 9)
    assert late.deadline == ref_add(dt.date(2026, 10, 9), 10, set())


def test_decided_after_the_deadline_is_late_whatever_the_department_says():
    story = CaseStory(received=at(2026, 9, 25), promised=5)
    story.accept(at(2026, 9, 28)).decide(at(2026, 10, 12), on_time=True)
    view = project(story.events, CALENDAR, now=at(2026, 10, 20))
    assert view.on_time is False
    assert view.claimed_on_time is True
    assert view.light == "stopped"
    assert not view.is_open


def test_an_extension_adds_working_days():
    story = CaseStory(received=at(2026, 9, 25), promised=5)
    story.accept(at(2026, 9, 28)).extend(at(2026, 9, 29), days=3)
    view = project(story.events, CALENDAR, now=at(2026, 9, 29))
    assert view.deadline == dt.date(2026, 10, 14)
    assert view.extension_days == 3


def test_lights_by_the_day():
    story = CaseStory(received=at(2026, 9, 25), promised=5).accept(at(2026, 9, 28))
    assert project(story.events, CALENDAR, now=at(2026, 10, 7)).light == "green"
    assert project(story.events, CALENDAR, now=at(2026, 10, 8)).light == "yellow"
    assert project(story.events, CALENDAR, now=at(2026, 10, 10)).light == "yellow"
    assert project(story.events, CALENDAR, now=at(2026, 10, 12)).light == "red"


def test_thresholds_are_parameters():
    story = CaseStory(received=at(2026, 9, 25), promised=5).accept(at(2026, 9, 28))
    strict = Thresholds(yellow_days_left=4, yellow_fraction_used=0.9)
    assert project(story.events, CALENDAR, now=at(2026, 9, 28), thresholds=strict).yellow_on == (
        dt.date(2026, 9, 29)
    )


# --- the day-by-day reference --------------------------------------------------------


@st.composite
def cases(draw):
    received = dt.datetime(2025, 12, 1, 9, tzinfo=at(2026, 1, 1).tzinfo) + dt.timedelta(
        days=draw(st.integers(0, 330)), hours=draw(st.integers(0, 8))
    )
    promised = draw(st.integers(0, 30))
    story = CaseStory(
        received=received, promised=promised, statutory=promised + draw(st.integers(0, 30))
    )
    moment = received
    spans = []
    before_acceptance = []
    if draw(st.booleans()):
        start = moment + dt.timedelta(hours=draw(st.integers(0, 30)))
        end = start + dt.timedelta(days=draw(st.integers(0, 15)), hours=1)
        story.request_supplement(start).receive_supplement(end)
        spans.append((local(start), local(end)))
        before_acceptance.append((local(start), local(end)))
        moment = end
    accepted = moment + dt.timedelta(days=draw(st.integers(0, 6)), hours=1)
    story.accept(accepted)
    moment = accepted
    if draw(st.booleans()):
        start = moment + dt.timedelta(days=draw(st.integers(0, 10)), hours=1)
        end = start + dt.timedelta(days=draw(st.integers(0, 25)), hours=1)
        story.start_procedure(start).end_procedure(end)
        spans.append((local(start), local(end)))
        moment = end
    extension = draw(st.sampled_from([0, 0, 3, 10]))
    if extension:
        moment += dt.timedelta(hours=1)
        story.extend(moment, days=extension)
    decided = None
    if draw(st.booleans()):
        decided = moment + dt.timedelta(days=draw(st.integers(0, 40)), hours=1)
        story.decide(decided)
    now = (decided or moment) + dt.timedelta(days=draw(st.integers(0, 30)))
    facts = {
        "received": local(received),
        "accepted": local(accepted),
        "spans": spans,
        "before": before_acceptance,
        "limit": promised + extension,
        "statutory": story.statutory + extension,
        "stop": local(decided) if decided else local(now),
    }
    return story, now, facts


@settings(max_examples=300, deadline=None)
@given(cases())
def test_dates_and_counts_agree_with_counting_day_by_day(case):
    story, now, facts = case
    view = project(story.events, CALENDAR, now=now)
    paused = paused_days(facts["spans"])
    assert view.acceptance_due == ref_add(facts["received"], 5, paused_days(facts["before"]))
    assert view.deadline == ref_add(facts["accepted"], facts["limit"], paused)
    assert view.statutory_deadline == ref_add(facts["accepted"], facts["statutory"], paused)
    limit = facts["limit"]
    threshold = min(max(limit - 2, 0), math.ceil(round(limit * 0.8, 9)))
    assert view.yellow_on == ref_add(facts["accepted"], threshold, paused)
    assert view.working_days_used == max(ref_between(facts["accepted"], facts["stop"], paused), 0)
    if view.decided_at is not None:
        assert view.on_time == (facts["stop"] <= view.deadline)
