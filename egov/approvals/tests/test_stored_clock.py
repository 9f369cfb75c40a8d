"""The stored clock columns equal clock.py's reading (ADR 0047): after service steps,
after the daily refresh on later days, and after a calendar change.

The weeks around National Day 2026 hold a holiday (中秋 25 September, 国庆
1-7 October) and make-up working days (Sunday 20 September, Saturday 10 October).
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from egov.approvals import clock
from egov.approvals.models import Case, Suspension
from egov.approvals.numbering import case_number
from egov.approvals.selectors import (
    QueueFilters,
    case_clock,
    next_in_queue,
    statutory_clock,
    workbench_queue,
)
from egov.approvals.services import (
    accept_case,
    accept_deemed_applications,
    approve_extension,
    end_special_procedure,
    receive_supplement,
    request_supplement,
    start_special_procedure,
    submit_application,
)
from egov.approvals.services.clocks import (
    recompute_case_clocks,
    refresh_case_clocks,
)
from egov.approvals.tests.conftest import FORM, good_files
from egov.approvals.workflow import OPEN
from egov.core.outbox import deliver_pending
from egov.core.services.calendar import set_calendar_day
from egov.core.testing import shanghai

OPEN_STATUSES = [s.value for s in OPEN]


def stored(case: Case) -> tuple:
    return (
        case.clock_deadline,
        case.clock_statutory_deadline,
        case.clock_days_left,
        case.clock_limit_days,
        case.clock_light,
        case.clock_suspended,
        case.clock_phase,
    )


def expected(case: Case, now: dt.datetime) -> tuple:
    reading = case_clock(case, now)
    return (
        reading.deadline,
        statutory_clock(case, now).deadline,
        reading.days_left,
        reading.limit_days,
        reading.light.value,
        reading.suspended,
        reading.phase.value,
    )


def assert_stored_equals_clock(now: dt.datetime) -> int:
    """Every open case's stored clock is clock.py's at ``now``; closed cases store none."""
    cases = list(Case.objects.all())
    for case in cases:
        if case.status in OPEN_STATUSES:
            assert stored(case) == expected(case, now), (case.number, now)
        else:
            assert case.clock_days_left is None, case.number
    return len(cases)


def days(first: dt.date, last: dt.date):
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def submit(citizen, item) -> Case:
    return submit_application(applicant=citizen, item_code=item.code, form=FORM, files=good_files())


def test_services_and_the_daily_refresh_keep_the_stored_clock(
    citizen, food_item, clerk_daoli, leader_daoli, time_machine
):
    time_machine.move_to(shanghai(2026, 9, 17, 10))
    _waiting, accepted, supplemented, hearing, extended = (
        submit(citizen, food_item) for _ in "12345"
    )
    for case in (accepted, supplemented, hearing, extended):
        accept_case(actor=clerk_daoli, number=case.number)
    missing = [{"code": "PLAN", "reason": "平面图不清晰"}]
    request_supplement(actor=clerk_daoli, number=supplemented.number, missing=missing)
    start_special_procedure(
        actor=clerk_daoli, number=hearing.number, procedure="hearing", reason="听证", limit_days=10
    )
    approve_extension(actor=leader_daoli, number=extended.number, days=5, reason="情况复杂")
    assert_stored_equals_clock(shanghai(2026, 9, 17, 10))
    moved = {dt.date(2026, 9, 29), dt.date(2026, 10, 10)}
    lights = set()
    for day in days(dt.date(2026, 9, 18), dt.date(2026, 11, 6)):
        now = shanghai(day.year, day.month, day.day, 0, 5)
        time_machine.move_to(now)
        refresh_case_clocks()
        assert_stored_equals_clock(now)
        lights |= set(Case.objects.values_list("clock_light", flat=True))
        if day in moved:  # steps during the day, then read at once
            time_machine.move_to(shanghai(day.year, day.month, day.day, 15))
            if day == dt.date(2026, 9, 29):
                receive_supplement(actor=clerk_daoli, number=supplemented.number)
            else:  # a Saturday make-up working day
                end_special_procedure(actor=clerk_daoli, number=hearing.number, outcome="结束")
                accept_deemed_applications()
            assert_stored_equals_clock(shanghai(day.year, day.month, day.day, 15))
    assert {"green", "yellow", "red"} <= lights  # the walk crossed every light


def test_a_refresh_on_a_rest_day_turns_a_passed_deadline_red_and_rewrites_nothing_else(
    citizen, food_item, clerk_daoli, time_machine
):
    time_machine.move_to(shanghai(2026, 9, 28, 10))
    case = submit(citizen, food_item)  # acceptance window: 5 working days
    refresh_case_clocks()
    time_machine.move_to(shanghai(2026, 10, 2, 0, 5))  # inside the National Day holiday
    counts = refresh_case_clocks()
    assert_stored_equals_clock(shanghai(2026, 10, 2, 0, 5))
    assert counts["advanced"] == 1  # two working days passed (29, 30 September)
    counts = refresh_case_clocks()
    assert counts == {"advanced": 0, "recomputed": 0, "cleared": 0}  # nothing to rewrite
    case.refresh_from_db()
    assert case.clock_as_of == dt.date(2026, 10, 2)


def seeded(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311 - reproducible generated histories, not secrets


def generated_cases(item, rng: random.Random, count: int, until: dt.datetime) -> list[Case]:
    """Cases with random histories in September 2026 up to ``until``: acceptance,
    suspensions (closed and open), extensions. Nothing happens after ``until``."""
    cases = []
    for index in range(count):
        received = shanghai(2026, 9, 1, 9) + dt.timedelta(hours=rng.randrange(0, 30 * 24))
        received = min(received, until - dt.timedelta(hours=2))
        accepted = (
            received + dt.timedelta(hours=rng.randrange(1, 90)) if rng.random() < 0.7 else None
        )
        if accepted is not None and accepted >= until:
            accepted = None
        status = "accepted" if accepted else "submitted"
        cases.append(
            Case(
                number=case_number("230102", received.date(), 800_000 + index),
                item=item,
                department=item.department,
                region_id="230102",
                applicant_kind="citizen",
                applicant_name="测试申请人",
                applicant_identifier="230102197503120032",
                channel="online",
                status=status,
                statutory_limit_days=item.statutory_limit_days,
                promised_limit_days=rng.choice([1, 3, 5, item.promised_limit_days]),
                extension_days=rng.choice([0, 0, 0, 3, 10]) if accepted else 0,
                received_at=received,
                accepted_at=accepted,
            )
        )
    made = Case.objects.bulk_create(cases)
    for case in made:
        start = case.accepted_at or case.received_at
        for sequence in range(1, rng.choice([1, 1, 2, 3])):
            start = start + dt.timedelta(hours=rng.randrange(1, 120))
            if start >= until:
                break
            ended = start + dt.timedelta(hours=rng.randrange(1, 200))
            is_open = rng.random() < 0.3 or ended >= until
            Suspension.objects.create(
                case=case,
                kind="supplement" if case.accepted_at is None else "expert_review",
                sequence=sequence,
                limit_days=None if case.accepted_at is None else 15,
                started_at=start,
                ended_at=None if is_open else ended,
                started_by="test",
            )
            if is_open:
                status = "supplement_requested" if case.accepted_at is None else "special_procedure"
                Case.objects.filter(pk=case.pk).update(status=status)
                break
            start = ended
    return made


def test_generated_histories_keep_the_stored_clock_day_after_day(food_item, time_machine):
    rng = seeded(11)
    time_machine.move_to(shanghai(2026, 10, 9, 0, 5))  # after every generated step
    generated_cases(food_item, rng, 60, until=shanghai(2026, 10, 9, 0, 5))
    recompute_case_clocks()
    assert assert_stored_equals_clock(shanghai(2026, 10, 9, 0, 5)) == 60
    for day in days(dt.date(2026, 10, 10), dt.date(2026, 11, 10)):
        now = shanghai(day.year, day.month, day.day, 0, 5)
        time_machine.move_to(now)
        refresh_case_clocks()
        assert_stored_equals_clock(now)


def test_a_refresh_after_missed_days_catches_up(food_item, time_machine):
    time_machine.move_to(shanghai(2026, 9, 25, 0, 5))
    generated_cases(food_item, seeded(5), 30, until=shanghai(2026, 9, 25, 0, 5))
    recompute_case_clocks()
    time_machine.move_to(shanghai(2026, 10, 12, 0, 5))  # the worker was down for 17 days
    refresh_case_clocks()
    assert_stored_equals_clock(shanghai(2026, 10, 12, 0, 5))


def test_a_calendar_change_recomputes_the_stored_deadlines(food_item, time_machine):
    time_machine.move_to(shanghai(2026, 10, 12, 9))
    generated_cases(food_item, seeded(3), 30, until=shanghai(2026, 10, 12, 9))
    recompute_case_clocks()
    before = dict(Case.objects.values_list("number", "clock_deadline"))
    set_calendar_day(actor="system", day=dt.date(2026, 10, 15), is_working=False, name="停工")
    deliver_pending()  # the CalendarDayChanged event reaches approvals' subscriber
    assert_stored_equals_clock(shanghai(2026, 10, 12, 9))
    after = dict(Case.objects.values_list("number", "clock_deadline"))
    assert before != after  # some deadlines moved one working day


@pytest.fixture
def queue_of_three(citizen, food_item, clerk_daoli, time_machine) -> list[Case]:
    time_machine.move_to(shanghai(2026, 9, 14, 10))
    first = submit(citizen, food_item)
    time_machine.move_to(shanghai(2026, 9, 16, 10))
    second, third = submit(citizen, food_item), submit(citizen, food_item)
    refresh_case_clocks()
    return [first, second, third]


def test_the_queue_orders_by_the_stored_clock_and_next_follows_it(queue_of_three, clerk_daoli):
    first, second, third = queue_of_three
    rows = workbench_queue(clerk_daoli, QueueFilters())
    assert rows.count() == 3
    assert [row.case.number for row in rows[0:3]] == [first.number, second.number, third.number]
    assert rows[0].clock.days_left < rows[1].clock.days_left
    cases = {c.number: c for c in Case.objects.all()}
    assert next_in_queue(clerk_daoli, cases[first.number]) == second.number
    assert next_in_queue(clerk_daoli, cases[second.number]) == third.number
    assert next_in_queue(clerk_daoli, cases[third.number]) is None


def test_next_after_a_closed_case_is_the_first_of_the_queue(
    queue_of_three, clerk_daoli, leader_daoli
):
    first, second, _ = queue_of_three
    from egov.approvals.services import terminate_case

    terminate_case(actor=leader_daoli, number=second.number, reason="申请人死亡")
    closed = Case.objects.get(number=second.number)
    assert closed.clock_days_left is None  # a closed case stores no clock
    assert next_in_queue(clerk_daoli, closed) == first.number


def test_a_light_filter_is_applied_by_the_database(queue_of_three, clerk_daoli):
    light = Case.objects.get(number=queue_of_three[0].number).clock_light
    rows = workbench_queue(clerk_daoli, QueueFilters(light=light))
    assert all(row.clock.light == light for row in rows)
    assert queue_of_three[0].number in [row.case.number for row in rows]
    assert clock.Light(light)  # a light clock.py knows
