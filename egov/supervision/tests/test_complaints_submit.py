"""A citizen complains about one of their own cases (效能投诉); it becomes a finding."""

from __future__ import annotations

import pytest

from egov.core.models import AuditEntry, Event
from egov.core.testing import make_citizen, make_staff
from egov.supervision.errors import ErrorCode, SupervisionError
from egov.supervision.findings import handling as findings
from egov.supervision.findings.complaints import my_complaints, submit_complaint
from egov.supervision.models import Complaint, Finding
from egov.supervision.tests.factories import CaseStory, at, citizen_applicant
from egov.supervision.tests.lit_cases import online_case_of, store

pytestmark = pytest.mark.django_db


def written() -> tuple[int, int, int, int]:
    return (
        Complaint.objects.count(),
        Finding.objects.count(),
        Event.objects.filter(event_type="ComplaintSubmitted").count(),
        AuditEntry.objects.filter(action="supervision.ComplaintSubmitted").count(),
    )


def test_a_complaint_about_my_case_becomes_a_finding(citizen) -> None:
    story = online_case_of(citizen.username)
    complaint = submit_complaint(
        actor=citizen,
        case_number=story.number.lower(),
        category="delay",
        text="受理后一个多月没有任何进展",
        contact="13900000000",
    )
    assert complaint.number.startswith("TS")
    assert complaint.case_number == story.number
    finding = complaint.finding
    assert finding.category == "complaint"
    assert finding.rule_code == "complaint.efficiency"
    assert finding.severity == "yellow"
    assert finding.status == Finding.Status.OPEN
    assert finding.department_code == "230102-SCJG"
    assert finding.region_path.startswith("230000/230100/230102")
    assert finding.evidence["complaint"] == complaint.number
    assert "一个多月" in finding.summary
    assert written() == (1, 1, 1, 1)


def test_a_walk_in_case_naming_my_resident_id_is_mine(regions: None) -> None:
    citizen = make_citizen("citizen_li")
    story = CaseStory(
        received=at(2026, 10, 12),
        applicant=citizen_applicant(citizen.public_account.resident_id, "李四"),
    )
    story.events[0]["actor"] = {"kind": "staff", "id": "clerk_daoli", "organisation": "230102-SCJG"}
    store(story)
    complaint = submit_complaint(
        actor=citizen, case_number=story.number, category="fees", text="多收了工本费"
    )
    assert complaint.finding.category == "complaint"


@pytest.mark.parametrize(
    ("values", "fields"),
    [
        ({"case_number": "", "category": "delay", "text": "拖延太久了"}, {"case_number"}),
        ({"case_number": "X", "category": "nonsense", "text": "拖延太久了"}, {"category"}),
        ({"case_number": "X", "category": "delay", "text": "慢"}, {"text"}),
        ({"case_number": "X", "category": "", "text": ""}, {"category", "text"}),
    ],
)
def test_bad_input_names_each_field_and_writes_nothing(citizen, values, fields) -> None:
    with pytest.raises(SupervisionError) as refused:
        submit_complaint(actor=citizen, **values)
    assert refused.value.code == ErrorCode.INVALID_INPUT
    assert set(refused.value.fields) == fields
    assert written() == (0, 0, 0, 0)


def test_unknown_and_other_peoples_cases_answer_alike(citizen, regions: None) -> None:
    someone_else = online_case_of("citizen_wang")
    answers = []
    for number in (someone_else.number, "230102202610120999999"):
        with pytest.raises(SupervisionError) as refused:
            submit_complaint(actor=citizen, case_number=number, category="delay", text="拖延太久了")
        answers.append((refused.value.code, refused.value.fields))
    assert (
        answers[0]
        == answers[1]
        == (ErrorCode.NOT_FOUND, {"case_number": "not found among your cases"})
    )
    assert written() == (0, 0, 0, 0)


def test_staff_cannot_file_complaints(clerk_harbin_daoli) -> None:
    story = online_case_of(clerk_harbin_daoli.username)
    with pytest.raises(SupervisionError) as refused:
        submit_complaint(
            actor=clerk_harbin_daoli, case_number=story.number, category="delay", text="拖延太久了"
        )
    assert refused.value.code == ErrorCode.PERMISSION_DENIED
    assert written() == (0, 0, 0, 0)


def test_the_complainant_follows_it_to_the_outcome(citizen, supervisor_harbin) -> None:
    story = online_case_of(citizen.username)
    complaint = submit_complaint(
        actor=citizen, case_number=story.number, category="attitude", text="窗口人员态度恶劣"
    )
    [view] = my_complaints(citizen)
    assert view.status == "open"
    assert view.outcome == ""

    leader = make_staff("leader_daoli_market", "230102-SCJG", roles=["leader"])
    notice = findings.issue_notice(
        actor=supervisor_harbin,
        finding_id=complaint.finding_id,
        due_days=5,
        instructions="核查投诉",
    )
    findings.respond_to_notice(
        actor=leader, number=notice.number, kind="rectification", text="已约谈窗口人员并公开道歉"
    )
    findings.accept_response(actor=supervisor_harbin, number=notice.number)
    [view] = my_complaints(citizen)
    assert view.status == "closed"
    assert view.outcome == "已约谈窗口人员并公开道歉"
    assert my_complaints(make_citizen("citizen_other")) == []
