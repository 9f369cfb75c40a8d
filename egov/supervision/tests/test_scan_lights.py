"""The scan judges every open case's light from its stored dates (时限扫描)."""

from __future__ import annotations

import datetime as dt

import pytest

from egov.core.models import AuditEntry, Event
from egov.core.selectors.calendar import add_working_days, is_working_day
from egov.supervision.judging.rules import REGISTRY
from egov.supervision.judging.rules.time import STATUTORY_OVERDUE
from egov.supervision.judging.scan import TIME_RULE, scan
from egov.supervision.models import Finding, Light, RuleSetting, SupervisedCase
from egov.supervision.tests.lit_cases import open_case, snapshot

pytestmark = pytest.mark.django_db

ACCEPTED = dt.date(2026, 9, 25)  # a Friday before the National Day holiday


def light_of(case: SupervisedCase) -> str:
    case.refresh_from_db()
    return case.light


def test_a_case_turns_red_exactly_when_its_deadline_passes_on_the_calendar(regions: None) -> None:
    case = open_case(accepted_on=ACCEPTED, limit_days=5)
    deadline = add_working_days(ACCEPTED, 5)
    # Five working days from 25 September cross the National Day holiday.
    assert (deadline - ACCEPTED).days > 7
    assert case.deadline == deadline

    scan(deadline)
    assert light_of(case) == Light.YELLOW
    assert not Finding.objects.exists()

    day_after = deadline + dt.timedelta(days=1)
    result = scan(day_after)
    assert light_of(case) == Light.RED
    assert case.light_judged_on == day_after
    assert result.turned_red == 1
    finding = Finding.objects.get()
    assert finding.rule_code == TIME_RULE
    assert finding.category == "time"
    assert finding.severity == REGISTRY[TIME_RULE].severity
    assert finding.case_number == case.case_number
    assert finding.department_code == case.department_code
    assert finding.region_path == case.region_path
    assert finding.organisation_id == case.organisation_id
    assert finding.status == Finding.Status.OPEN
    assert finding.evidence["deadline"] == deadline.isoformat()
    assert finding.evidence["judged_on"] == day_after.isoformat()
    assert deadline.isoformat() in finding.summary


def test_green_until_yellow_on_then_yellow(regions: None) -> None:
    case = open_case(accepted_on=ACCEPTED, limit_days=10, yellow_before=3)
    before_yellow = case.yellow_on - dt.timedelta(days=1)
    scan(before_yellow)
    assert light_of(case) == Light.GREEN
    assert case.light_judged_on == before_yellow
    result = scan(case.yellow_on)
    assert light_of(case) == Light.YELLOW
    assert result.turned_yellow == 1


def test_a_red_case_whose_deadline_moved_later_turns_back(regions: None) -> None:
    case = open_case(accepted_on=ACCEPTED, limit_days=5, light=Light.RED)
    SupervisedCase.objects.filter(pk=case.pk).update(
        deadline=add_working_days(ACCEPTED, 30), yellow_on=add_working_days(ACCEPTED, 28)
    )
    result = scan(add_working_days(ACCEPTED, 6))
    assert light_of(case) == Light.GREEN
    assert result.turned_green == 1


@pytest.mark.parametrize("light", [Light.SUSPENDED, Light.STOPPED])
def test_suspended_and_stopped_cases_are_untouched(regions: None, light: str) -> None:
    case = open_case(accepted_on=ACCEPTED, limit_days=5, light=light)
    before = snapshot()
    result = scan(ACCEPTED + dt.timedelta(days=60))
    assert light_of(case) == light
    assert case.light_judged_on is None
    assert snapshot() == before
    assert not result.changed


def test_closed_cases_and_cases_without_deadline_are_untouched(regions: None) -> None:
    closed = open_case(accepted_on=ACCEPTED, is_open=False)
    waiting = open_case(accepted_on=ACCEPTED, deadline=None, yellow_on=None)
    before = snapshot()
    scan(ACCEPTED + dt.timedelta(days=60))
    assert snapshot() == before
    assert light_of(closed) == Light.GREEN
    assert light_of(waiting) == Light.GREEN


def test_a_repeated_scan_changes_nothing(regions: None) -> None:
    day = add_working_days(ACCEPTED, 7)
    open_case(accepted_on=ACCEPTED, limit_days=5, handler="")
    open_case(accepted_on=ACCEPTED, limit_days=8)
    open_case(accepted_on=ACCEPTED, limit_days=20)
    first = scan(day)
    assert first.changed
    assert (first.turned_red, first.turned_yellow) == (1, 1)
    before = snapshot()
    audit_entries, events = AuditEntry.objects.count(), Event.objects.count()

    second = scan(day)

    assert not second.changed
    assert snapshot() == before
    assert AuditEntry.objects.count() == audit_entries
    assert Event.objects.count() == events


def test_a_scan_is_audited_and_published_once(regions: None) -> None:
    open_case(accepted_on=ACCEPTED, limit_days=5)
    day = add_working_days(ACCEPTED, 6)
    scan(day)
    entry = AuditEntry.objects.filter(action="supervision.scan").get()
    assert entry.actor == "system"
    assert "转红 1" in entry.summary
    event = Event.objects.filter(event_type="OpenCasesScanned").get()
    assert event.payload["turned_red"] == 1
    assert event.payload["findings_created"] == 1


def test_the_next_day_writes_nothing_for_a_case_whose_light_stands(regions: None) -> None:
    open_case(accepted_on=ACCEPTED, limit_days=5)
    day = add_working_days(ACCEPTED, 6)
    scan(day)
    following = day + dt.timedelta(days=1)
    result = scan(following)
    assert not result.changed
    assert result.findings_created == 0
    assert Finding.objects.count() == 1
    assert SupervisedCase.objects.get().light_judged_on == day
    assert is_working_day(day)


def test_a_case_with_a_time_finding_from_evaluation_gets_no_second(regions: None) -> None:
    case = open_case(accepted_on=ACCEPTED, limit_days=5)
    Finding.objects.create(
        fingerprint="d" * 64,
        rule_code=TIME_RULE,
        category="time",
        severity="red",
        case_number=case.case_number,
        department_code=case.department_code,
        region_path=case.region_path,
        summary="evaluated at ingest",
        found_at=dt.datetime(2026, 10, 12, tzinfo=dt.UTC),
    )
    result = scan(add_working_days(ACCEPTED, 8))
    assert result.turned_red == 1
    assert result.findings_created == 0
    assert Finding.objects.count() == 1


def test_past_the_statutory_deadline_a_red_finding_too(regions: None) -> None:
    case = open_case(accepted_on=ACCEPTED, limit_days=5)
    scan(case.statutory_deadline + dt.timedelta(days=1))
    rules = dict(Finding.objects.values_list("rule_code", "severity"))
    assert rules == {TIME_RULE: "yellow", STATUTORY_OVERDUE: "red"}
    statutory = Finding.objects.get(rule_code=STATUTORY_OVERDUE)
    assert statutory.evidence["deadline"] == case.statutory_deadline.isoformat()
    assert "法定期限" in statutory.summary


def test_a_rule_switched_off_makes_no_finding_there(regions: None) -> None:
    market = open_case(accepted_on=ACCEPTED, limit_days=5)
    government = open_case(accepted_on=ACCEPTED, limit_days=5, department_code="230102-GOV")
    RuleSetting.objects.create(rule_code=TIME_RULE, department_code="230102-SCJG", enabled=False)
    RuleSetting.objects.create(rule_code=STATUTORY_OVERDUE, enabled=False)
    RuleSetting.objects.create(
        rule_code=STATUTORY_OVERDUE, item_code=government.item_code, enabled=True
    )
    scan(market.statutory_deadline + dt.timedelta(days=1))
    found = set(Finding.objects.values_list("case_number", "rule_code"))
    assert found == {
        (government.case_number, TIME_RULE),
        (government.case_number, STATUTORY_OVERDUE),
    }
    # The lights are judged all the same.
    assert set(SupervisedCase.objects.values_list("light", flat=True)) == {Light.RED}
