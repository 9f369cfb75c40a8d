"""Accepting (受理) and refusing to accept (不予受理) an application."""

from __future__ import annotations

import pytest

from egov.approvals.errors import ApprovalError, ErrorCode
from egov.approvals.models import Case
from egov.approvals.services import accept_case, refuse_case
from egov.approvals.tests.conftest import nothing_written
from egov.core.models import AuditEntry, Event


def test_a_clerk_accepts_and_the_clock_starts(submitted_case, clerk_daoli):
    case = accept_case(actor=clerk_daoli, number=submitted_case.number, note="材料齐全")
    assert case.status == Case.Status.ACCEPTED
    assert case.accepted_at is not None
    assert not case.deemed_accepted
    event = Event.objects.filter(aggregate=case.number).last()
    assert event.event_type == "CaseAccepted"
    assert event.payload["data"]["deemed"] is False
    assert event.payload["actor"] == {
        "kind": "staff",
        "id": "clerk_daoli",
        "organisation": "230102-SCJG",
    }
    assert AuditEntry.objects.filter(
        object_id=case.number, action="approvals.CaseAccepted", actor="clerk_daoli"
    ).exists()


def test_a_second_clerk_accepting_an_accepted_case_is_refused(
    submitted_case, clerk_daoli, clerk2_daoli
):
    accept_case(actor=clerk_daoli, number=submitted_case.number)
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        accept_case(actor=clerk2_daoli, number=submitted_case.number)
    assert caught.value.code is ErrorCode.ALREADY_ACCEPTED


def test_a_leader_may_see_but_not_accept(submitted_case, leader_daoli):
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        accept_case(actor=leader_daoli, number=submitted_case.number)
    assert caught.value.code is ErrorCode.PERMISSION_DENIED
    assert Case.objects.get(pk=submitted_case.pk).status == Case.Status.SUBMITTED


def test_a_clerk_of_another_city_gets_not_found_as_for_a_missing_case(
    submitted_case, clerk_qiqihar, clerk_daoli
):
    with nothing_written(), pytest.raises(ApprovalError) as forbidden:
        accept_case(actor=clerk_qiqihar, number=submitted_case.number)
    missing = submitted_case.number[:-8] + "9999990"
    with nothing_written(), pytest.raises(ApprovalError) as absent:
        accept_case(actor=clerk_daoli, number=missing)
    assert forbidden.value.code is absent.value.code is ErrorCode.NOT_FOUND
    assert forbidden.value.fields == absent.value.fields == {"number": "not found"}


def test_the_applicant_may_not_accept_their_own_case(submitted_case, citizen):
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        accept_case(actor=citizen, number=submitted_case.number)
    assert caught.value.code is ErrorCode.PERMISSION_DENIED


def test_refusal_states_reasons_and_closes_the_case(submitted_case, clerk_daoli):
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        refuse_case(actor=clerk_daoli, number=submitted_case.number, reasons="  ")
    assert caught.value.fields == {"reasons": "required"}
    case = refuse_case(
        actor=clerk_daoli, number=submitted_case.number, reasons="不属于本机关职权范围"
    )
    assert case.status == Case.Status.REFUSED
    assert Event.objects.filter(aggregate=case.number).last().payload["data"] == {
        "reasons": "不属于本机关职权范围"
    }
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        accept_case(actor=clerk_daoli, number=submitted_case.number)
    assert caught.value.code is ErrorCode.WRONG_STATE
