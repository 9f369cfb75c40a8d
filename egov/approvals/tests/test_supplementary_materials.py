"""Supplementary materials (补正): everything missing at once, the clock stops and resumes."""

from __future__ import annotations

import pytest

from egov.approvals.errors import ApprovalError, ErrorCode
from egov.approvals.models import Case, Suspension
from egov.approvals.selectors import case_clock
from egov.approvals.services import accept_case, receive_supplement, request_supplement
from egov.approvals.tests.conftest import nothing_written, pdf
from egov.core.models import AuditEntry, Event

MISSING = [
    {"code": "PLAN", "name": "经营场所平面布局图", "reason": "未标明食品处理区"},
    {"name": "从业人员健康证明", "reason": "未提交"},
]


def test_request_lists_everything_and_stops_the_clock(submitted_case, clerk_daoli):
    case = request_supplement(actor=clerk_daoli, number=submitted_case.number, missing=MISSING)
    assert case.status == Case.Status.SUPPLEMENT_REQUESTED
    suspension = Suspension.objects.get(case=case)
    assert suspension.ended_at is None
    assert suspension.sequence == 1
    assert [m["name"] for m in suspension.missing] == ["经营场所平面布局图", "从业人员健康证明"]
    assert case_clock(case).suspended
    data = Event.objects.filter(aggregate=case.number).last().payload["data"]
    assert (data["sequence"], data["repeated"], len(data["missing"])) == (1, False, 2)


def test_the_applicant_uploads_the_missing_material_and_the_clock_resumes(
    submitted_case, clerk_daoli, citizen
):
    request_supplement(actor=clerk_daoli, number=submitted_case.number, missing=MISSING)
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        receive_supplement(actor=citizen, number=submitted_case.number, files={})
    assert caught.value.fields == {
        "materials.PLAN": "requested material missing",
        "materials.extra-2": "requested material missing",  # the free item, second in the notice
    }
    files = {"PLAN": [pdf("新平面图.pdf")], "extra-2": [pdf("健康证明.pdf")]}
    case = receive_supplement(actor=citizen, number=submitted_case.number, files=files)
    assert case.status == Case.Status.SUBMITTED  # back to acceptance
    assert case.case_materials.filter(round=1, material_code="PLAN").count() == 1
    assert case.case_materials.get(round=1, material_code="extra-2").name == "从业人员健康证明"
    assert not case_clock(case).suspended
    assert Suspension.objects.get(case=case).ended_by == citizen.username


def test_a_second_request_is_allowed_and_recorded_as_such(submitted_case, clerk_daoli):
    accept_case(actor=clerk_daoli, number=submitted_case.number)
    request_supplement(actor=clerk_daoli, number=submitted_case.number, missing=MISSING[:1])
    receive_supplement(actor=clerk_daoli, number=submitted_case.number, note="窗口收到纸质材料")
    case = request_supplement(actor=clerk_daoli, number=submitted_case.number, missing=MISSING[1:])
    assert case.supplement_requests == 2
    event = Event.objects.filter(aggregate=case.number).last()
    assert (event.payload["data"]["sequence"], event.payload["data"]["repeated"]) == (2, True)
    assert (
        AuditEntry.objects.filter(object_id=case.number).last().summary.startswith("第2次补正告知")
    )
    case = receive_supplement(actor=clerk_daoli, number=case.number)
    assert case.status == Case.Status.ACCEPTED  # back to review: it was accepted before


def test_an_empty_or_vague_request_is_refused(submitted_case, clerk_daoli):
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        request_supplement(actor=clerk_daoli, number=submitted_case.number, missing=[])
    assert "at least one" in caught.value.fields["missing"]
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        request_supplement(
            actor=clerk_daoli,
            number=submitted_case.number,
            missing=[{"name": "申请书", "reason": ""}, {"code": "XX", "name": "x", "reason": "y"}],
        )
    assert set(caught.value.fields) == {"missing[0].reason", "missing[1].code"}


def test_receiving_without_a_request_is_out_of_order(submitted_case, clerk_daoli, other_citizen):
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        receive_supplement(actor=clerk_daoli, number=submitted_case.number)
    assert caught.value.code is ErrorCode.WRONG_STATE
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        receive_supplement(actor=other_citizen, number=submitted_case.number)
    assert caught.value.code is ErrorCode.NOT_FOUND  # another citizen's case is invisible
