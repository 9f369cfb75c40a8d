"""The outbox subscriber's batch handler: a batch has the same effect as its events one at a time.

``supervision.collect`` declares ``collect_batch`` (ADR 0049): consecutive
outbox events ingested as one batch, each touched case stored, rebuilt and
judged once. These tests replay generated case stories both ways (in
savepoints that are rolled back, so both start from the same database) and
compare the projection and the open findings; and check that a bad event of
a batch is refused on its own while the rest of its batch is kept.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egov.core import subscribers
from egov.core.events import publish
from egov.core.identifiers import resident_id_with_check_digit
from egov.core.outbox import deliver_pending
from egov.core.testing import make_organisation
from egov.supervision.collection.internal import SUBSCRIBER, collect, collect_batch
from egov.supervision.models import CaseEvent, Finding, SupervisedCase
from egov.supervision.tests.factories import CaseStory, at, citizen_applicant, new_case_number

pytestmark = pytest.mark.django_db

# What a rebuild stamps with the moment it runs: not part of the comparison.
VOLATILE = {"id", "rebuilt_at", "light_judged_on"}


@dataclasses.dataclass
class Delivered:
    """What the outbox hands a subscriber: the payload and the event type."""

    payload: dict[str, Any]
    event_type: str


@pytest.fixture
def department(regions):
    return make_organisation("230102-SCJG")


# --- generated case stories ---------------------------------------------------------------

STEPS = ("supplement", "suspend", "extend", "pay", "conclude")


def story_of(index: int, plan: tuple[int, str, Sequence[str], Sequence[int]]) -> CaseStory:
    """A case received on 2026-03-<day>, its steps ``gaps`` hours apart, then decided or not.

    Each story has its own applicant: rules across cases (the same applicant's
    other cases) see, in a batch, every case of the batch, and one at a time
    only the cases that arrived before (ADR 0049).
    """
    day, decision, steps, gaps = plan
    received = at(2026, 3, day, 9)
    story = CaseStory(
        number=new_case_number(day=received.date()),
        received=received,
        applicant=citizen_applicant(
            resident_id_with_check_digit(f"2301021975031{index:04d}"), f"申请人{index}"
        ),
    )
    moment = received + dt.timedelta(hours=2)
    story.accept(moment)
    for step, gap in zip(steps, gaps, strict=False):
        moment += dt.timedelta(hours=gap)
        apply_step(story, step, moment)
    if decision == "decide":
        story.decide(moment + dt.timedelta(hours=1))
    elif decision == "unknown_decider":
        story.decide(moment + dt.timedelta(hours=1), actor="nobody_in_particular", on_time=False)
    return story


def apply_step(story: CaseStory, step: str, moment: dt.datetime) -> None:
    if step == "supplement":
        story.request_supplement(moment).receive_supplement(moment + dt.timedelta(hours=1))
    elif step == "suspend":
        story.start_procedure(moment).end_procedure(moment + dt.timedelta(days=3))
    elif step == "extend":
        story.extend(moment)
    elif step == "pay":
        story.pay(moment)
    elif step == "conclude":
        story.conclude(moment)


STORY = st.tuples(
    st.integers(min_value=2, max_value=27),
    st.sampled_from(("open", "decide", "unknown_decider")),
    st.lists(st.sampled_from(STEPS), max_size=5),
    st.lists(st.integers(min_value=1, max_value=200), min_size=5, max_size=5),
)


def snapshot() -> tuple[list[dict[str, Any]], set[tuple[str, str, str]], int]:
    """The projection, the open findings (fingerprint, rule, evidence) and the events kept."""
    cases = [
        {k: v for k, v in row.items() if k not in VOLATILE}
        for row in SupervisedCase.objects.order_by("case_number").values()
    ]
    findings = {
        (f.fingerprint, f.rule_code, repr(sorted(f.evidence.items())))
        for f in Finding.objects.filter(status=Finding.Status.OPEN)
    }
    return cases, findings, CaseEvent.objects.count()


def replayed(ingest: Callable[[list[Delivered]], None], events: list[Delivered]) -> Any:
    """The snapshot after ``ingest``, which is then rolled back."""
    with transaction.atomic():
        ingest(events)
        result = snapshot()
        transaction.set_rollback(True)
    return result


def one_at_a_time(events: list[Delivered]) -> None:
    for event in events:
        collect(event)


def interleaved(stories: list[CaseStory]) -> list[Delivered]:
    """The stories' events in time order (as the approvals app publishes them)."""
    events = [event for story in stories for event in story.events]
    events.sort(key=lambda event: (event["occurred_at"], event["event_id"]))
    return [Delivered(event, event["type"]) for event in events]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(plans=st.lists(STORY, min_size=1, max_size=4))
def test_a_batch_gives_the_projection_and_findings_of_its_events_one_at_a_time(department, plans):
    stories = [story_of(index, plan) for index, plan in enumerate(plans)]
    events = interleaved(stories)
    singly = replayed(one_at_a_time, events)
    batched = replayed(collect_batch, events)
    assert batched == singly
    assert batched[2] == len(events)  # every event kept, either way


def test_a_replayed_batch_changes_nothing(department):
    story = CaseStory(applicant=citizen_applicant()).accept(at(2026, 3, 3)).decide(at(2026, 3, 5))
    events = interleaved([story])
    collect_batch(events)
    before = snapshot()
    collect_batch(events)
    assert snapshot() == before


def test_a_bad_event_of_a_batch_is_refused_and_the_rest_kept(department, caplog):
    good = CaseStory(applicant=citizen_applicant()).accept(at(2026, 3, 3))
    other = CaseStory(applicant=citizen_applicant(), received=at(2026, 3, 4))
    bad = dict(other.events[0], region_code="999999")  # no such region
    events = [*interleaved([good])[:1], Delivered(bad, bad["type"]), *interleaved([good])[1:]]
    collect_batch(events)
    kept = set(CaseEvent.objects.values_list("event_id", flat=True))
    assert {str(e["event_id"]) for e in good.events} == {str(k) for k in kept}
    assert not SupervisedCase.objects.filter(case_number=other.number).exists()
    assert SupervisedCase.objects.get(case_number=good.number).status == "accepted"
    refusals = [r for r in caplog.records if "refused outbox event" in r.getMessage()]
    assert len(refusals) == 1
    assert bad["event_id"] in refusals[0].getMessage()
    assert "region_code" in refusals[0].getMessage()


def test_the_outbox_hands_the_subscriber_its_events_in_one_batch(department, caplog):
    first = CaseStory(applicant=citizen_applicant()).accept(at(2026, 3, 3))
    second = CaseStory(applicant=citizen_applicant(), received=at(2026, 3, 4))
    second.accept(at(2026, 3, 5)).decide(at(2026, 3, 6))
    bad = dict(second.events[-1], event_id="not-a-uuid")
    batches: list[int] = []

    def counted(events: Sequence[Any]) -> None:
        batches.append(len(events))
        collect_batch(events)

    registered = subscribers.get(SUBSCRIBER)
    assert registered is not None
    assert registered.batch_handler is collect_batch
    ours = dataclasses.replace(registered, batch_handler=counted)
    with subscribers.override({SUBSCRIBER: ours}):
        for event in [*first.events, bad, *second.events]:
            publish(event["type"], event, aggregate=event["case_number"])
        report = deliver_pending(batch_size=100)
    assert report.failed == 0
    assert batches == [len(first.events) + 1 + len(second.events)]
    assert CaseEvent.objects.count() == len(first.events) + len(second.events)
    assert SupervisedCase.objects.get(case_number=second.number).status == "approved"
    assert any("not-a-uuid" in r.getMessage() for r in caplog.records)
