"""Incoming case events with control characters are rejected, not stored (issue 10, item 4).

Before the fix a legacy system's event whose applicant name held NUL was
stored as sent: PostgreSQL's JSON cannot hold NUL, so on PostgreSQL the
whole batch failed; U+202E reversed how the name reads on every page. Now
such an event is rejected with its field and reason and the others kept.
"""

from __future__ import annotations

import copy

import pytest

from egov.core.testing import make_organisation
from egov.supervision.collection.ingest import ingest_events
from egov.supervision.collection.ingest_checks import check_characters
from egov.supervision.models import CaseEvent
from egov.supervision.tests.factories import CaseStory, at, citizen_applicant


def submitted_event() -> dict:
    story = CaseStory(applicant=citizen_applicant())
    story.accept(at(2026, 3, 3))
    return story.events[0]


@pytest.mark.parametrize(
    ("char", "name"), [("\x00", "U+0000"), ("\u202e", "U+202E"), ("\x1b", "U+001B")]
)
def test_a_control_character_anywhere_in_the_event_is_a_problem(char, name):
    event = copy.deepcopy(submitted_event())
    event["data"]["applicant"]["name"] = f"张{char}三"
    problem = check_characters(event)
    assert problem is not None
    assert (problem.code, problem.field) == ("schema_invalid", "data.applicant.name")
    assert problem.reason.endswith(name)


def test_keys_and_list_items_are_checked_and_line_breaks_allowed():
    event = copy.deepcopy(submitted_event())
    event["data"]["note"] = "第一行\n第二行\t完"
    assert check_characters(event) is None
    event["data"]["materials"] = [{"name": "申请书"}, {"name\x00": "x"}]
    problem = check_characters(event)
    assert problem is not None
    assert problem.field == "data.materials[1].name\x00"


@pytest.mark.django_db
def test_the_event_is_rejected_and_the_others_kept(regions):
    make_organisation("230102-SCJG")
    story = CaseStory(applicant=citizen_applicant())
    story.accept(at(2026, 3, 3))
    bad = copy.deepcopy(story.events[0])
    bad["data"]["applicant"]["name"] = "张\x00三"
    report = ingest_events(events=[bad], source="api", actor="t")
    assert [(r.status, r.code, r.field) for r in report.results] == [
        ("rejected", "schema_invalid", "data.applicant.name")
    ]
    assert not CaseEvent.objects.exists()
    report = ingest_events(events=story.events, source="api", actor="t")
    assert {r.status for r in report.results} == {"accepted"}
