"""Stored and projected: arrival order and replays do not change the SupervisedCase."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egov.core.testing import make_organisation
from egov.supervision.collection.ingest import ingest_events
from egov.supervision.models import CaseEvent, Finding, SupervisedCase
from egov.supervision.tests.factories import CaseStory, at, citizen_applicant

pytestmark = pytest.mark.django_db
NOW = at(2026, 4, 30)
IGNORED = {"id", "rebuilt_at"}


def full_story() -> CaseStory:
    story = CaseStory(
        number="230102202603020000010",
        applicant=citizen_applicant(),
        fees=(("工本费", 1000),),
    )
    story.request_supplement(at(2026, 3, 2, 15)).receive_supplement(at(2026, 3, 4))
    story.accept(at(2026, 3, 5)).start_procedure(at(2026, 3, 6)).end_procedure(at(2026, 3, 10))
    story.extend(at(2026, 3, 11), days=5).decide(at(2026, 3, 20), on_time=True)
    story.pay(at(2026, 3, 20, 11)).conclude(at(2026, 3, 20, 15)).deliver(at(2026, 3, 23))
    return story


STORY = full_story()


def row() -> dict:
    values = SupervisedCase.objects.values().get(case_number=STORY.number)
    return {k: v for k, v in values.items() if k not in IGNORED}


def reset() -> None:
    Finding.objects.all().delete()
    SupervisedCase.objects.all().delete()
    CaseEvent.objects.all().delete()


@pytest.fixture
def reference(regions) -> dict:
    make_organisation("230102-SCJG")
    ingest_events(events=STORY.events, source="api", actor="t", now=NOW)
    expected = row()
    reset()
    return expected


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.permutations(STORY.events), st.integers(1, 5), st.data())
def test_any_arrival_order_and_batching_gives_the_same_case(reference, events, batches, data):
    reset()
    cuts = sorted(data.draw(st.lists(st.integers(0, len(events)), max_size=batches)))
    bounds = [0, *cuts, len(events)]
    for start, end in itertools.pairwise(bounds):
        if end > start:
            ingest_events(events=events[start:end], source="api", actor="t", now=NOW)
    assert row() == reference


def test_a_replay_after_more_events_changes_nothing(reference):
    ingest_events(events=STORY.events[:4], source="api", actor="t", now=NOW)
    ingest_events(events=STORY.events, source="api", actor="t", now=NOW)
    findings = set(Finding.objects.values_list("fingerprint", flat=True))
    report = ingest_events(events=STORY.events, source="api", actor="t", now=NOW)
    assert report.duplicate == len(STORY.events)
    assert row() == reference
    assert CaseEvent.objects.count() == len(STORY.events)
    assert set(Finding.objects.values_list("fingerprint", flat=True)) == findings
