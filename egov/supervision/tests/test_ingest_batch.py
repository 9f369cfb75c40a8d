"""A batch of events: good ones kept and projected, bad ones reported with field and reason."""

from __future__ import annotations

import copy

import pytest

from egov.core.testing import make_organisation
from egov.supervision.collection.ingest import ingest_events
from egov.supervision.models import CaseEvent, SupervisedCase
from egov.supervision.tests.factories import CaseStory, at, citizen_applicant

pytestmark = pytest.mark.django_db


@pytest.fixture
def department(regions):
    return make_organisation("230102-SCJG")


def story() -> CaseStory:
    s = CaseStory(applicant=citizen_applicant(), fees=(("工本费", 1000),))
    s.accept(at(2026, 3, 3)).decide(at(2026, 3, 10)).pay(at(2026, 3, 10, 11))
    return s.conclude(at(2026, 3, 10, 15))


def test_a_clean_history_is_stored_and_projected(department):
    s = story()
    report = ingest_events(events=s.events, source="api", source_system="legacy", actor="t")
    assert [r.status for r in report.results] == ["accepted"] * len(s.events)
    assert CaseEvent.objects.filter(case_number=s.number).count() == len(s.events)
    case = SupervisedCase.objects.get(case_number=s.number)
    assert case.complete
    assert not case.is_open
    assert case.status == "concluded"
    assert case.organisation == department
    assert case.region_path == department.region.path
    assert case.source == "api"
    assert case.fee_due_fen == 1000
    assert case.fee_paid_fen == 1000
    assert case.on_time is True
    assert case.claimed_on_time is True
    assert case.handler == "clerk_daoli"
    assert len(case.applicant_key) == 64
    assert citizen_applicant()["identifier"] not in str(case.__dict__)


def test_bad_events_are_reported_and_the_good_ones_kept(department):
    s = story()
    unknown = copy.deepcopy(s.events[1]) | {"type": "CaseLost"}
    unknown["event_id"] = "00000000-0000-4000-8000-000000000001"
    missing = copy.deepcopy(s.events[2])
    missing["event_id"] = "00000000-0000-4000-8000-000000000002"
    del missing["data"]["decided_at"]
    bad_check = copy.deepcopy(s.events[3])
    bad_check["event_id"] = "00000000-0000-4000-8000-000000000003"
    number = bad_check["case_number"]
    bad_check["case_number"] = number[:-1] + ("0" if number[-1] != "0" else "1")
    region = copy.deepcopy(s.events[4]) | {"region_code": "999999"}
    region["event_id"] = "00000000-0000-4000-8000-000000000004"
    batch = [s.events[0], unknown, missing, bad_check, region, "not an object"]
    report = ingest_events(events=batch, source="api", actor="t")
    outcome = [(r.status, r.code, r.field) for r in report.results]
    assert outcome == [
        ("accepted", "", ""),
        ("rejected", "unknown_type", "type"),
        ("rejected", "missing_field", "data.decided_at"),
        ("rejected", "bad_case_number", "case_number"),
        ("rejected", "unknown_region", "region_code"),
        ("rejected", "schema_invalid", "event"),
    ]
    assert all(r.reason for r in report.results[1:])
    assert [str(i) for i in CaseEvent.objects.values_list("event_id", flat=True)] == [
        s.events[0]["event_id"]
    ]


@pytest.mark.parametrize(
    ("when", "field", "reason"),
    [
        ("1999-12-31T10:00:00Z", "occurred_at", "早于2000年"),
        ("2099-01-01T00:00:00Z", "occurred_at", "晚于当前时间"),
        ("2026-03-02T01:00:00Z", "occurred_at", "早于该办件的收件时间"),
        ("2026-03-01T10:00:00Z", "occurred_at", "早于办件编号中的收件日期"),
    ],
)
def test_impossible_times_are_refused(department, when, field, reason):
    s = story()
    late = copy.deepcopy(s.events[1]) | {"occurred_at": when}
    report = ingest_events(events=[s.events[0], late], source="api", actor="t")
    assert report.results[1].status == "rejected"
    assert (report.results[1].code, report.results[1].field) == ("impossible_time", field)
    assert reason in report.results[1].reason
    assert CaseEvent.objects.count() == 1


def test_a_future_time_inside_the_data_is_refused(department):
    s = story()
    event = copy.deepcopy(s.events[1])
    event["data"]["accepted_at"] = "2099-01-01T00:00:00Z"
    report = ingest_events(events=[event], source="api", actor="t")
    assert (report.results[0].code, report.results[0].field) == (
        "impossible_time",
        "data.accepted_at",
    )
    assert not CaseEvent.objects.exists()


def test_a_submission_whose_date_is_not_the_case_numbers_is_refused(department):
    s = CaseStory(received=at(2026, 3, 2))
    event = copy.deepcopy(s.events[0])
    event["data"]["received_at"] = "2026-03-05T02:00:00Z"
    report = ingest_events(events=[event], source="api", actor="t")
    assert report.results[0].field == "data.received_at"
    assert not CaseEvent.objects.exists()
    assert not SupervisedCase.objects.exists()


def test_events_before_the_submission_are_kept_and_the_case_incomplete(department):
    s = story()
    first = ingest_events(events=s.events[1:], source="api", actor="t")
    assert first.rejected == 0
    case = SupervisedCase.objects.get(case_number=s.number)
    assert case.complete is False
    assert case.deadline is None
    ingest_events(events=s.events[:1], source="api", actor="t")
    case.refresh_from_db()
    assert case.complete is True
    assert case.deadline is not None
    assert case.event_count == len(s.events)


@pytest.mark.parametrize(
    ("index", "field", "value", "code"),
    [
        (0, "promised_limit_days", 10**9, "out_of_range"),
        (0, "promised_limit_days", 10.0, "schema_invalid"),
        (3, "amount_fen", 10**15, "out_of_range"),
    ],
)
def test_numbers_beyond_any_real_case_are_refused(department, index, field, value, code):
    event = copy.deepcopy(story().events[index])
    event["data"][field] = value
    report = ingest_events(events=[event], source="api", actor="t")
    assert (report.results[0].code, report.results[0].field) == (code, f"data.{field}")
    assert not CaseEvent.objects.exists()
