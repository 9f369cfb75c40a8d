"""Repeated red findings in a month give a department a yellow, then a red card (黄牌、红牌)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from egov.core.models import AuditEntry, Event
from egov.core.testing import make_staff
from egov.supervision.errors import ErrorCode, SupervisionError
from egov.supervision.findings.cards import (
    card_counts,
    cards_for_organisations,
    issue_department_cards,
    month_period,
)
from egov.supervision.models import DepartmentCard, Finding, RuleSetting
from egov.supervision.tests.lit_cases import make_finding

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 10, 20)
IN_OCTOBER = dt.datetime(2026, 10, 12, 3, tzinfo=dt.UTC)


def red_findings(count: int, department_code: str = "230102-SCJG", **fields) -> list[Finding]:
    values = {"found_at": IN_OCTOBER} | fields
    return [make_finding(department_code=department_code, **values) for _ in range(count)]


def cards() -> list[tuple[str, str, int]]:
    return sorted(DepartmentCard.objects.values_list("department__code", "colour", "red_findings"))


def test_month_period() -> None:
    assert month_period(dt.date(2026, 2, 14)) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert month_period(dt.date(2026, 12, 31)) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))


def test_three_red_findings_give_a_yellow_card_six_a_red_one(regions: None) -> None:
    red_findings(2)
    assert issue_department_cards(today=TODAY) == []
    red_findings(1)
    issued = issue_department_cards(today=TODAY)
    assert [card.colour for card in issued] == ["yellow"]
    card = issued[0]
    assert (card.period_start, card.period_end) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert card.issued_by == "system"
    red_findings(3)
    issued = issue_department_cards(today=TODAY)
    assert [card.colour for card in issued] == ["red"]
    assert cards() == [("230102-SCJG", "red", 6), ("230102-SCJG", "yellow", 3)]
    assert AuditEntry.objects.filter(action="supervision.DepartmentCardIssued").count() == 2
    assert Event.objects.filter(event_type="DepartmentCardIssued").count() == 2


def test_running_again_issues_nothing(regions: None) -> None:
    red_findings(4)
    issue_department_cards(today=TODAY)
    entries = AuditEntry.objects.count()
    assert issue_department_cards(today=TODAY) == []
    assert AuditEntry.objects.count() == entries
    assert DepartmentCard.objects.count() == 1


def test_only_red_findings_of_the_period_count_and_not_dismissed(regions: None) -> None:
    red_findings(2)
    red_findings(1, severity="yellow")
    red_findings(1, status=Finding.Status.DISMISSED)
    red_findings(1, found_at=dt.datetime(2026, 9, 30, 15, 59, tzinfo=dt.UTC))  # 23:59 local
    red_findings(1, department_code="230102-GOV")
    assert issue_department_cards(today=TODAY) == []
    # 16:00 UTC on 30 September is midnight 1 October in Shanghai: it counts.
    red_findings(1, found_at=dt.datetime(2026, 9, 30, 16, 0, tzinfo=dt.UTC))
    assert [c.colour for c in issue_department_cards(today=TODAY)] == ["yellow"]


def test_counts_are_configurable_per_province_and_department(regions: None) -> None:
    with override_settings(EGOV_SUPERVISION_CARDS={"yellow": 2, "red": 4}):
        assert card_counts()[""] == {"yellow": 2, "red": 4}
        RuleSetting.objects.create(
            rule_code="cards.department", department_code="230102-GOV", parameters={"red": 3}
        )
        counts = card_counts()
        assert counts["230102-GOV"] == {"yellow": 2, "red": 3}
        red_findings(2)
        red_findings(3, department_code="230102-GOV")
        issue_department_cards(today=TODAY)
    assert cards() == [
        ("230102-GOV", "red", 3),
        ("230102-GOV", "yellow", 3),
        ("230102-SCJG", "yellow", 2),
    ]


def test_a_supervisor_issues_cards_for_their_region_only(supervisor_harbin, regions) -> None:
    red_findings(3)
    red_findings(3, department_code="230200-SCJG")
    issued = issue_department_cards(actor=supervisor_harbin, today=TODAY)
    assert [card.department.code for card in issued] == ["230102-SCJG"]
    assert issued[0].issued_by == "supervisor_harbin"


def test_a_department_may_not_issue_cards(regions: None) -> None:
    clerk = make_staff("clerk_daoli_market_cards", "230102-SCJG")
    red_findings(3)
    with pytest.raises(SupervisionError) as refused:
        issue_department_cards(actor=clerk, today=TODAY)
    assert refused.value.code == ErrorCode.PERMISSION_DENIED
    assert not DepartmentCard.objects.exists()


def test_the_department_sees_its_cards(regions: None) -> None:
    red_findings(3)
    red_findings(3, department_code="230200-SCJG")
    issue_department_cards(today=TODAY)
    leader = make_staff("leader_daoli_market_cards", "230102-SCJG", roles=["leader"])
    paths = [leader.staff.organisation.path]
    assert [c.department.code for c in cards_for_organisations(paths)] == ["230102-SCJG"]
