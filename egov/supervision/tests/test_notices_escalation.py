"""Escalating a finding to the parent region's supervisors (升级督办), and dismissing one."""

from __future__ import annotations

import pytest

from egov.core.models import AuditEntry, Event
from egov.core.testing import make_staff
from egov.supervision.errors import ErrorCode, SupervisionError
from egov.supervision.findings import handling as findings
from egov.supervision.models import Alert, Finding, SupervisionNotice
from egov.supervision.tests.lit_cases import make_finding

pytestmark = pytest.mark.django_db


@pytest.fixture
def market_leader(regions: None):
    return make_staff("leader_daoli_market", "230102-SCJG", roles=["leader"])


def written() -> tuple:
    return (
        list(Finding.objects.values_list("pk", "status", "escalated_to")),
        list(SupervisionNotice.objects.values_list("pk", "status")),
        Event.objects.count(),
        AuditEntry.objects.count(),
        Alert.objects.count(),
    )


def test_a_city_escalates_to_the_province_who_then_holds_it(
    supervisor_harbin, supervisor_province, market_leader
) -> None:
    finding = make_finding()
    notice = findings.issue_notice(
        actor=supervisor_harbin, finding_id=finding.pk, due_days=2, instructions="限期说明"
    )
    findings.escalate_finding(actor=supervisor_harbin, finding_id=finding.pk, reason="逾期未反馈")
    finding.refresh_from_db()
    notice.refresh_from_db()
    assert finding.status == Finding.Status.ESCALATED
    assert finding.escalated_to.code == "230000"
    assert notice.status == SupervisionNotice.Status.ESCALATED
    assert Alert.objects.filter(recipient=supervisor_province, kind="escalation").exists()
    assert Event.objects.filter(event_type="FindingEscalated").count() == 1
    escalated = Event.objects.get(event_type="FindingEscalated")
    assert escalated.payload["escalated_to"] == "230000"

    # The city may still see it but no longer act on it.
    before = written()
    with pytest.raises(SupervisionError) as refused:
        findings.issue_notice(
            actor=supervisor_harbin, finding_id=finding.pk, due_days=2, instructions="再督办"
        )
    assert refused.value.code == ErrorCode.PERMISSION_DENIED
    assert findings.access_finding(supervisor_harbin, finding.pk, lock=False) == finding
    assert written() == before

    # The province issues its own notice; the department answers; the province closes it.
    second = findings.issue_notice(
        actor=supervisor_province, finding_id=finding.pk, due_days=3, instructions="省级督办"
    )
    findings.respond_to_notice(
        actor=market_leader, number=second.number, kind="rectification", text="已整改"
    )
    findings.accept_response(actor=supervisor_province, number=second.number)
    finding.refresh_from_db()
    assert finding.status == Finding.Status.CLOSED


def test_the_province_has_nowhere_to_escalate(supervisor_province) -> None:
    finding = make_finding()
    before = written()
    with pytest.raises(SupervisionError) as refused:
        findings.escalate_finding(actor=supervisor_province, finding_id=finding.pk, reason="x")
    assert refused.value.code == ErrorCode.CANNOT_ESCALATE
    assert written() == before


def test_escalation_needs_a_reason_and_an_unfinished_finding(supervisor_harbin) -> None:
    finding = make_finding()
    before = written()
    with pytest.raises(SupervisionError) as refused:
        findings.escalate_finding(actor=supervisor_harbin, finding_id=finding.pk, reason=" ")
    assert refused.value.fields == {"reason": "required"}
    closed = make_finding(status=Finding.Status.CLOSED)
    before = written()
    with pytest.raises(SupervisionError) as final:
        findings.escalate_finding(actor=supervisor_harbin, finding_id=closed.pk, reason="x")
    assert final.value.code == ErrorCode.WRONG_STATE
    assert written() == before


def test_dismiss_an_open_finding(supervisor_harbin) -> None:
    finding = make_finding()
    findings.dismiss_finding(actor=supervisor_harbin, finding_id=finding.pk, reason="数据误报")
    finding.refresh_from_db()
    assert finding.status == Finding.Status.DISMISSED
    assert finding.closed_at is not None
    entry = AuditEntry.objects.get(action="supervision.FindingDismissed")
    assert "数据误报" in entry.summary


def test_a_noticed_finding_cannot_be_dismissed(supervisor_harbin) -> None:
    finding = make_finding()
    findings.issue_notice(
        actor=supervisor_harbin, finding_id=finding.pk, due_days=2, instructions="x"
    )
    before = written()
    with pytest.raises(SupervisionError) as refused:
        findings.dismiss_finding(actor=supervisor_harbin, finding_id=finding.pk, reason="x")
    assert refused.value.code == ErrorCode.WRONG_STATE
    assert written() == before


def test_unknown_finding_ids_are_not_found(supervisor_harbin) -> None:
    for bad in (999999, "abc", None):
        with pytest.raises(SupervisionError) as refused:
            findings.escalate_finding(actor=supervisor_harbin, finding_id=bad, reason="x")
        assert refused.value.code == ErrorCode.NOT_FOUND
