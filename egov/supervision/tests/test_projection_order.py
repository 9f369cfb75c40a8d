"""The projection does not depend on the order the events arrived in (pure)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from bench import approvals as approvals_bench
from egov.core.calendar import WorkingCalendar, official_exception_days
from egov.supervision.collection.projection import ordered, project
from egov.supervision.tests.factories import CaseStory, at

CALENDAR = WorkingCalendar(
    (day.date, day.is_working) for day in official_exception_days([2025, 2026])
)
NOW = dt.datetime(2026, 11, 27, 12, tzinfo=approvals_bench.SHANGHAI)
ITEMS = [
    approvals_bench.ItemFacts(
        "SCJG-001-230102",
        "230102-SCJG",
        "230102",
        20,
        10,
        (("M01", "申请书"), ("M02", "平面图")),
        (("工本费", 1000),),
    ),
    approvals_bench.ItemFacts(
        "GA-009-230102", "230102-GA", "230102", 60, 30, (("M01", "户口簿"),), ()
    ),
]
HISTORIES = [
    h
    for h in approvals_bench.iter_case_events(300, ITEMS, CALENDAR, NOW, seed=5)
    if len(h.events) > 3
]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(HISTORIES), st.randoms(use_true_random=False))
def test_any_permutation_of_a_history_gives_the_same_view(history, rng):
    shuffled = list(history.events)
    rng.shuffle(shuffled)
    assert project(shuffled, CALENDAR, now=NOW) == project(history.events, CALENDAR, now=NOW)


def test_the_generated_histories_project_to_their_own_status():
    for history in HISTORIES:
        view = project(history.events, CALENDAR, now=NOW)
        assert view.status == history.status
        assert view.complete
        assert view.event_count == len(history.events)


def test_same_instant_events_follow_the_workflow_order():
    story = CaseStory(received=at(2026, 3, 2))
    story.accept(at(2026, 3, 3)).decide(at(2026, 3, 5)).conclude(at(2026, 3, 5))
    reversed_events = list(reversed(story.events))
    assert [e["type"] for e in ordered(reversed_events)] == [
        "ApplicationSubmitted",
        "CaseAccepted",
        "CaseDecided",
        "CaseConcluded",
    ]
    assert project(reversed_events, CALENDAR, now=NOW).status == "concluded"


def test_an_end_without_its_start_still_counts_the_suspension():
    story = CaseStory(received=at(2026, 3, 2)).accept(at(2026, 3, 3))
    story.start_procedure(at(2026, 3, 4)).end_procedure(at(2026, 3, 11))
    without_start = [e for e in story.events if e["type"] != "SpecialProcedureStarted"]
    full = project(story.events, CALENDAR, now=NOW)
    partial = project(without_start, CALENDAR, now=NOW)
    assert partial.deadline == full.deadline
    assert partial.suspended_days == full.suspended_days == 5


STEPS = [
    "accept",
    "request_supplement",
    "receive_supplement",
    "start_procedure",
    "end_procedure",
    "extend",
    "decide",
    "pay",
    "conclude",
    "deliver",
    "refuse",
    "withdraw",
    "terminate",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(STEPS), st.integers(-200, 2_000)), max_size=12),
    st.booleans(),
    st.integers(0, 60),
)
def test_any_sequence_of_steps_at_any_times_projects(steps, with_submission, promised):
    """Steps out of workflow order, times before receipt or far after: a view, never a crash."""
    story = CaseStory(received=at(2026, 9, 25), promised=promised, statutory=promised)
    start = at(2026, 9, 25)
    for name, hours in steps:
        getattr(story, name)(start + dt.timedelta(hours=hours))
    events = story.events if with_submission else story.events[1:] or story.events
    view = project(events, CALENDAR, now=NOW)
    assert view.event_count == len(events)
    assert view.light in {"green", "yellow", "red", "suspended", "stopped"}
    if view.deadline is not None and view.yellow_on is not None:
        assert view.yellow_on <= view.deadline
