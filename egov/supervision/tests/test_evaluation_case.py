"""evaluate_case: facts from the engine's own tables, findings upserted by fingerprint."""

from __future__ import annotations

from typing import Any

import pytest

from egov.core.models import AuditEntry, Event
from egov.core.testing import make_staff
from egov.supervision.judging.evaluation import (
    Target,
    evaluate_case,
    fingerprint,
    record_hits,
)
from egov.supervision.judging.rules import Hit
from egov.supervision.models import CaseEvent, Finding, ReferenceItem, RuleSetting
from egov.supervision.tests.factories import (
    ITEM,
    CaseStory,
    at,
    citizen_applicant,
    supervised_case,
)

pytestmark = pytest.mark.django_db


def store(story: CaseStory, source: str = "import", **case: Any) -> str:
    """The story's events in the event store and its projection row (as ingest leaves them)."""
    for event in story.events:
        CaseEvent.objects.create(
            event_id=event["event_id"],
            case_number=event["case_number"],
            type=event["type"],
            occurred_at=event["occurred_at"],
            source=source,
            department_code=event["department_code"],
            region_code=event["region_code"],
            payload=event,
        )
    supervised_case(case_number=story.number, **case)
    return story.number


def reference_item(**fields: Any) -> ReferenceItem:
    values = {
        "code": ITEM,
        "name": "食品经营许可",
        "department_code": "230102-SCJG",
        "region_code": "230102",
        "legal_basis": "《中华人民共和国食品安全法》第三十五条",
        "statutory_limit_days": 20,
        "promised_limit_days": 10,
        "fees": [],
        "materials": [{"code": "M01", "name": "申请书", "required": True}],
        "published_at": at(2026, 1, 5),
    }
    return ReferenceItem.objects.create(**(values | fields))


@pytest.fixture
def leader() -> Any:
    """leader_daoli decides for 道里区: the leader role at its government covers the department."""
    return make_staff("leader_daoli", "230102-GOV", ["leader"])


def late_story() -> CaseStory:
    story = CaseStory(received=at(2026, 3, 2, 9), applicant=citizen_applicant())
    return (
        story.accept(at(2026, 3, 3))
        .decide(at(2026, 3, 18), on_time=False)
        .conclude(at(2026, 3, 18, 15), on_time=False)
    )


def test_a_late_case_gets_its_finding_with_audit_and_event_once(leader):
    reference_item()
    number = store(late_story())
    [finding] = evaluate_case(case_number=number)
    assert finding.rule_code == "time.promised_overdue"
    assert finding.category == "time"
    assert finding.fingerprint == fingerprint("time.promised_overdue", number, "")
    assert finding.region_path
    assert finding.organisation.code == "230102-SCJG"
    assert AuditEntry.objects.filter(action="supervision.FindingRaised").count() == 1
    assert Event.objects.filter(event_type="FindingRaised", aggregate=number).count() == 1
    again = evaluate_case(case_number=number)
    assert [f.pk for f in again] == [finding.pk]
    assert Finding.objects.count() == 1
    assert AuditEntry.objects.filter(action="supervision.FindingRaised").count() == 1


def test_a_clean_case_gets_no_finding(leader):
    reference_item()
    story = CaseStory(received=at(2026, 3, 2, 9), applicant=citizen_applicant())
    story.accept(at(2026, 3, 3)).decide(at(2026, 3, 12)).conclude(at(2026, 3, 12, 15))
    assert evaluate_case(case_number=store(story)) == []
    assert Finding.objects.count() == 0


def test_a_decider_without_the_leader_role_or_unknown(leader):
    make_staff("clerk_daoli", "230102-SCJG", ["clerk"])
    reference_item()
    by_clerk = CaseStory(received=at(2026, 3, 2, 9)).accept(at(2026, 3, 3))
    by_clerk.decide(at(2026, 3, 12), actor="clerk_daoli")
    by_stranger = CaseStory(received=at(2026, 3, 2, 9)).accept(at(2026, 3, 3))
    by_stranger.decide(at(2026, 3, 12), actor="nobody_here")
    [clerk] = evaluate_case(case_number=store(by_clerk))
    [stranger] = evaluate_case(case_number=store(by_stranger))
    assert clerk.rule_code == stranger.rule_code == "irregular.decider_without_role"
    assert clerk.evidence["known_account"] is True
    assert stranger.evidence["known_account"] is False


def test_settings_switch_a_rule_off_for_a_department_and_on_again_for_an_item(leader):
    reference_item()
    RuleSetting.objects.create(
        rule_code="time.promised_overdue", department_code="230102-SCJG", enabled=False
    )
    number = store(late_story())
    assert evaluate_case(case_number=number) == []
    RuleSetting.objects.create(
        rule_code="time.promised_overdue",
        department_code="230102-SCJG",
        item_code=ITEM,
        enabled=True,
        parameters={"grace_days": 0},
    )
    assert [f.rule_code for f in evaluate_case(case_number=number)] == ["time.promised_overdue"]


def test_parameters_from_the_province_wide_setting(leader):
    reference_item()
    RuleSetting.objects.create(rule_code="time.promised_overdue", parameters={"grace_days": 5})
    assert evaluate_case(case_number=store(late_story())) == []


def test_same_identifier_another_name_across_cases(leader):
    reference_item()
    first = CaseStory(received=at(2026, 3, 2, 9), applicant=citizen_applicant(name="张三"))
    second = CaseStory(received=at(2026, 3, 9, 9), applicant=citizen_applicant(name="张叁"))
    first.withdraw(at(2026, 3, 3))
    store(first, applicant_key="k1", received_at=at(2026, 3, 2, 9), closed_at=at(2026, 3, 3))
    number = store(second, applicant_key="k1", received_at=at(2026, 3, 9, 9))
    [finding] = evaluate_case(case_number=number)
    assert finding.rule_code == "data.applicant_inconsistent"
    assert finding.evidence["earlier"][0]["case_number"] == first.number


def test_a_second_application_while_the_first_is_open(leader):
    reference_item()
    first = CaseStory(received=at(2026, 3, 2, 9), applicant=citizen_applicant())
    second = CaseStory(received=at(2026, 3, 9, 9), applicant=citizen_applicant())
    store(first, applicant_key="k1", received_at=at(2026, 3, 2, 9))
    number = store(second, applicant_key="k1", received_at=at(2026, 3, 9, 9))
    [finding] = evaluate_case(case_number=number)
    assert finding.rule_code == "data.duplicate_application"
    assert evaluate_case(case_number=first.number) == []


def test_an_identifier_with_an_unknown_address_code(leader, regions):
    from egov.core.identifiers import resident_id_with_check_digit

    unknown = resident_id_with_check_digit("99010219750312003")
    story = CaseStory(received=at(2026, 3, 2, 9), applicant=citizen_applicant(identifier=unknown))
    [finding] = evaluate_case(case_number=store(story))
    assert finding.rule_code == "data.identifier_invalid"


def test_an_incomplete_case_is_not_judged():
    story = late_story()
    story.events = story.events[1:]  # the submission has not arrived
    assert evaluate_case(case_number=store(story)) == []


def test_record_hits_does_not_duplicate_the_scans_time_finding(leader):
    case = supervised_case()
    Finding.objects.create(
        fingerprint=f"time.promised_overdue:{case.case_number}:2026-03-17",
        rule_code="time.promised_overdue",
        category="time",
        severity="red",
        case_number=case.case_number,
        department_code=case.department_code,
        region_path=case.region_path,
        summary="超期",
        found_at=at(2026, 3, 18),
    )
    target = Target(case.case_number, case.department_code, case.region_path, case.case_number)
    hit = Hit("time.promised_overdue", "yellow", "超承诺时限", {"working_days_used": 11})
    [finding] = record_hits(hits=[(target, hit)])
    assert Finding.objects.count() == 1
    assert finding.evidence == {"working_days_used": 11}


def test_a_late_event_that_explains_a_finding_withdraws_it_while_open(leader):
    reference_item()
    story = CaseStory(received=at(2026, 3, 2, 9), applicant=citizen_applicant())
    story.accept(at(2026, 3, 3)).decide(at(2026, 3, 12))
    acceptance = story.events.pop(1)  # the acceptance arrives after the decision
    number = store(story)
    [skipped] = evaluate_case(case_number=number)
    assert skipped.rule_code == "irregular.steps_skipped"
    CaseEvent.objects.create(
        event_id=acceptance["event_id"],
        case_number=number,
        type=acceptance["type"],
        occurred_at=acceptance["occurred_at"],
        source="import",
        department_code=acceptance["department_code"],
        region_code=acceptance["region_code"],
        payload=acceptance,
    )
    assert evaluate_case(case_number=number) == []
    skipped.refresh_from_db()
    assert skipped.status == Finding.Status.DISMISSED
    assert AuditEntry.objects.filter(action="supervision.FindingWithdrawn").count() == 1
    assert Event.objects.filter(event_type="FindingWithdrawn").count() == 1


def test_switching_a_rule_off_withdraws_nothing(leader):
    reference_item()
    number = store(late_story())
    [finding] = evaluate_case(case_number=number)
    RuleSetting.objects.create(rule_code="time.promised_overdue", enabled=False)
    assert evaluate_case(case_number=number) == []
    finding.refresh_from_db()
    assert finding.status == Finding.Status.OPEN
