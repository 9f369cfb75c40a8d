"""A finding's supervision notice (督办): issue, respond, accept or reject (督办流程)."""

from __future__ import annotations

import datetime as dt

import pytest

from egov.core.models import AuditEntry, Event
from egov.core.selectors.calendar import add_working_days
from egov.core.testing import make_staff, shanghai
from egov.supervision.errors import ErrorCode, SupervisionError
from egov.supervision.findings import handling as findings
from egov.supervision.models import Finding, SupervisionNotice
from egov.supervision.tests.lit_cases import make_finding

pytestmark = pytest.mark.django_db

# Notices are numbered by year and due in working days from the day issued:
# issued on the Friday before National Day (holiday 1-7 October), five working
# days are 28-30 September and 8-9 October.
ISSUED = shanghai(2026, 9, 25, 10)


@pytest.fixture(autouse=True)
def _on_issue_day(time_machine) -> None:
    time_machine.move_to(ISSUED)


@pytest.fixture
def market_leader(regions: None):
    """The leader of 道里区市场监督管理局: answers its notices."""
    return make_staff("leader_daoli_market", "230102-SCJG", roles=["leader"])


def event_types() -> list[str]:
    return list(
        Event.objects.filter(aggregate__startswith="finding:")
        .order_by("id")
        .values_list("event_type", flat=True)
    )


def issue(actor, finding: Finding, days: int = 5) -> SupervisionNotice:
    return findings.issue_notice(
        actor=actor, finding_id=finding.pk, due_days=days, instructions="请说明超期原因并整改"
    )


def test_issue_respond_accept_closes_the_finding(supervisor_harbin, market_leader) -> None:
    finding = make_finding()
    notice = issue(supervisor_harbin, finding)
    assert notice.number.startswith("DB2026")
    assert notice.department.code == "230102-SCJG"
    assert notice.due_on == add_working_days(ISSUED.date(), 5) == dt.date(2026, 10, 9)
    finding.refresh_from_db()
    assert finding.status == Finding.Status.NOTICED

    findings.respond_to_notice(
        actor=market_leader, number=notice.number, kind="rectification", text="已整改，补办完毕"
    )
    finding.refresh_from_db()
    notice.refresh_from_db()
    assert finding.status == Finding.Status.RESPONDED
    assert notice.status == SupervisionNotice.Status.RESPONDED
    assert notice.responded_by == market_leader

    findings.accept_response(actor=supervisor_harbin, number=notice.number, note="认可")
    finding.refresh_from_db()
    notice.refresh_from_db()
    assert finding.status == Finding.Status.CLOSED
    assert finding.closed_at is not None
    assert notice.status == SupervisionNotice.Status.ACCEPTED
    assert notice.reviewed_by == supervisor_harbin
    assert event_types() == ["NoticeIssued", "NoticeResponded", "FindingClosed"]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "supervision.NoticeIssued",
        "supervision.NoticeResponded",
        "supervision.FindingClosed",
    } <= actions


def test_reject_sends_it_back_with_a_new_due_date(supervisor_harbin, market_leader) -> None:
    finding = make_finding()
    notice = issue(supervisor_harbin, finding)
    findings.respond_to_notice(
        actor=market_leader, number=notice.number, kind="explanation", text="系统故障"
    )
    findings.reject_response(
        actor=supervisor_harbin, number=notice.number, note="说明不充分", due_days=3
    )
    notice.refresh_from_db()
    finding.refresh_from_db()
    assert notice.status == SupervisionNotice.Status.REJECTED
    assert notice.due_on == add_working_days(ISSUED.date(), 3)
    assert finding.status == Finding.Status.NOTICED
    # The department answers again, and this time it is accepted.
    findings.respond_to_notice(
        actor=market_leader, number=notice.number, kind="rectification", text="已整改"
    )
    findings.accept_response(actor=supervisor_harbin, number=notice.number)
    finding.refresh_from_db()
    assert finding.status == Finding.Status.CLOSED


def written() -> tuple[int, int, int, list]:
    return (
        SupervisionNotice.objects.count(),
        Event.objects.count(),
        AuditEntry.objects.count(),
        list(Finding.objects.values_list("pk", "status")),
    )


@pytest.mark.parametrize(
    ("due_days", "instructions", "field"),
    [
        (0, "说明", "due_days"),
        ("x", "说明", "due_days"),
        (61, "说明", "due_days"),
        (5, " ", "instructions"),
    ],
)
def test_bad_notice_input_is_refused_naming_the_field(
    supervisor_harbin, due_days, instructions, field
) -> None:
    finding = make_finding()
    before = written()
    with pytest.raises(SupervisionError) as refused:
        findings.issue_notice(
            actor=supervisor_harbin,
            finding_id=finding.pk,
            due_days=due_days,
            instructions=instructions,
        )
    assert refused.value.code == ErrorCode.INVALID_INPUT
    assert field in refused.value.fields
    assert written() == before


def test_a_supervisor_elsewhere_sees_no_such_finding(regions: None) -> None:
    qiqihar = make_staff("supervisor_qiqihar", "230200-GOV", roles=["supervisor"])
    finding = make_finding()
    before = written()
    with pytest.raises(SupervisionError) as refused:
        issue(qiqihar, finding)
    assert refused.value.code == ErrorCode.NOT_FOUND
    assert written() == before


def test_a_leader_may_view_but_not_issue(leader_harbin) -> None:
    finding = make_finding()
    before = written()
    with pytest.raises(SupervisionError) as refused:
        issue(leader_harbin, finding)
    assert refused.value.code == ErrorCode.PERMISSION_DENIED
    assert written() == before


def test_a_second_notice_on_a_noticed_finding_is_refused(supervisor_harbin) -> None:
    finding = make_finding()
    issue(supervisor_harbin, finding)
    before = written()
    with pytest.raises(SupervisionError) as refused:
        issue(supervisor_harbin, finding)
    assert refused.value.code == ErrorCode.WRONG_STATE
    assert written() == before


def test_another_department_cannot_respond(supervisor_harbin, regions: None) -> None:
    notice = issue(supervisor_harbin, make_finding())
    other = make_staff("leader_qiqihar_market", "230200-SCJG", roles=["leader"])
    before = written()
    with pytest.raises(SupervisionError) as refused:
        findings.respond_to_notice(actor=other, number=notice.number, kind="explanation", text="x")
    assert refused.value.code == ErrorCode.NOT_FOUND
    assert written() == before


def test_the_supervisor_cannot_respond_for_the_department(supervisor_harbin) -> None:
    notice = issue(supervisor_harbin, make_finding())
    before = written()
    with pytest.raises(SupervisionError) as refused:
        findings.respond_to_notice(
            actor=supervisor_harbin, number=notice.number, kind="explanation", text="x"
        )
    assert refused.value.code == ErrorCode.PERMISSION_DENIED
    assert written() == before


def test_bad_response_is_refused(supervisor_harbin, market_leader) -> None:
    notice = issue(supervisor_harbin, make_finding())
    before = written()
    with pytest.raises(SupervisionError) as refused:
        findings.respond_to_notice(
            actor=market_leader, number=notice.number, kind="excuse", text="x"
        )
    assert refused.value.fields == {"kind": "one of explanation, rectification"}
    with pytest.raises(SupervisionError) as empty:
        findings.respond_to_notice(
            actor=market_leader, number=notice.number, kind="explanation", text=""
        )
    assert empty.value.fields == {"text": "required"}
    assert written() == before


def test_accepting_before_a_response_is_out_of_order(supervisor_harbin, market_leader) -> None:
    notice = issue(supervisor_harbin, make_finding())
    before = written()
    with pytest.raises(SupervisionError) as refused:
        findings.accept_response(actor=supervisor_harbin, number=notice.number)
    assert refused.value.code == ErrorCode.WRONG_STATE
    findings.respond_to_notice(
        actor=market_leader, number=notice.number, kind="explanation", text="x"
    )
    findings.accept_response(actor=supervisor_harbin, number=notice.number)
    after = written()
    with pytest.raises(SupervisionError) as again:
        findings.respond_to_notice(
            actor=market_leader, number=notice.number, kind="explanation", text="y"
        )
    assert again.value.code == ErrorCode.WRONG_STATE
    assert written() == after
    assert before[0] == 1


def test_reject_needs_a_note_and_a_due_date(supervisor_harbin, market_leader) -> None:
    notice = issue(supervisor_harbin, make_finding())
    findings.respond_to_notice(
        actor=market_leader, number=notice.number, kind="explanation", text="x"
    )
    before = written()
    with pytest.raises(SupervisionError) as refused:
        findings.reject_response(actor=supervisor_harbin, number=notice.number, note="", due_days=3)
    assert refused.value.fields == {"note": "required"}
    with pytest.raises(SupervisionError) as no_days:
        findings.reject_response(
            actor=supervisor_harbin, number=notice.number, note="重办", due_days=""
        )
    assert "due_days" in no_days.value.fields
    assert written() == before


def test_overdue_notices_are_flagged(supervisor_harbin, market_leader) -> None:
    notice = issue(supervisor_harbin, make_finding(), days=2)
    assert not findings.is_overdue(notice, notice.due_on)
    assert findings.is_overdue(notice, notice.due_on + dt.timedelta(days=1))
    findings.respond_to_notice(
        actor=market_leader, number=notice.number, kind="explanation", text="x"
    )
    notice.refresh_from_db()
    assert not findings.is_overdue(notice, notice.due_on + dt.timedelta(days=1))


def test_the_department_sees_its_notices_only(supervisor_harbin, market_leader, regions) -> None:
    mine = issue(supervisor_harbin, make_finding())
    other_finding = make_finding(department_code="230102-GOV")
    issue(supervisor_harbin, other_finding)
    assert list(findings.department_notices(market_leader)) == [mine]
    assert not findings.department_notices(supervisor_harbin).exists()


def test_the_departments_leaders_are_alerted_of_a_notice(supervisor_harbin, market_leader) -> None:
    from egov.supervision.models import Alert

    district_leader = make_staff("leader_daoli_gov", "230102-GOV", roles=["leader"])
    make_staff("leader_harbin_gov", "230100-GOV", roles=["leader"])
    notice = issue(supervisor_harbin, make_finding())
    alerted = set(Alert.objects.filter(kind="notice").values_list("recipient", flat=True))
    assert alerted == {market_leader.pk, district_leader.pk}
    assert notice.number in Alert.objects.filter(kind="notice").first().message
