"""Fuzzing the intake: any JSON in any field is accepted or refused with a reason, never a crash."""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egov.core.testing import make_organisation
from egov.supervision.collection.ingest import ingest_events
from egov.supervision.models import CaseEvent, SupervisedCase
from egov.supervision.tests.factories import CaseStory, at, citizen_applicant, item_published

pytestmark = pytest.mark.django_db


def story_events() -> list[dict]:
    story = CaseStory(applicant=citizen_applicant(), fees=(("工本费", 100),))
    story.request_supplement(at(2026, 3, 2, 15)).receive_supplement(at(2026, 3, 3))
    story.accept(at(2026, 3, 4)).start_procedure(at(2026, 3, 5)).end_procedure(at(2026, 3, 6))
    story.extend(at(2026, 3, 9)).decide(at(2026, 3, 10)).pay(at(2026, 3, 10, 11))
    story.conclude(at(2026, 3, 10, 12)).deliver(at(2026, 3, 11))
    return [*story.events, item_published()]


EVENTS = story_events()
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(["2026-03-02T02:00:00Z", "2026-03-02", "", "230102", "X" * 60]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)


@pytest.fixture
def department(regions):
    return make_organisation("230102-SCJG")


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(range(len(EVENTS))), st.booleans(), JSON, st.data())
def test_any_value_anywhere_is_accepted_or_refused(department, index, inside_data, value, data):
    event = copy.deepcopy(EVENTS[index])
    target = event["data"] if inside_data else event
    name = data.draw(st.sampled_from([*sorted(target), "extra"]))
    target[name] = value
    if name != "event_id":
        event["event_id"] = str(data.draw(st.uuids(version=4)))
    before = CaseEvent.objects.count()
    report = ingest_events(events=[event], source="api", actor="t", now=at(2026, 4, 1))
    [result] = report.results
    assert result.status in {"accepted", "rejected", "duplicate"}
    if result.status == "rejected":
        assert result.code
        assert result.reason
        assert CaseEvent.objects.count() == before
    elif result.status == "accepted" and event.get("type") != "ItemPublished":
        assert SupervisedCase.objects.filter(case_number=event["case_number"]).exists()
