"""Withdrawal by the applicant (撤回) and termination by a leader (终止)."""

from __future__ import annotations

import pytest

from egov.approvals.errors import ApprovalError, ErrorCode
from egov.approvals.models import Case
from egov.approvals.services import terminate_case, withdraw_application
from egov.approvals.tests.conftest import nothing_written


def test_the_applicant_withdraws(submitted_case, citizen):
    case = withdraw_application(actor=citizen, number=submitted_case.number, reason="不再经营")
    assert case.status == Case.Status.WITHDRAWN
    assert case.closed_at is not None
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        withdraw_application(actor=citizen, number=submitted_case.number)
    assert caught.value.code is ErrorCode.WRONG_STATE


def test_nobody_else_withdraws(submitted_case, clerk_daoli, other_citizen):
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        withdraw_application(actor=clerk_daoli, number=submitted_case.number)
    assert caught.value.code is ErrorCode.NOT_APPLICANT
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        withdraw_application(actor=other_citizen, number=submitted_case.number)
    assert caught.value.code is ErrorCode.NOT_FOUND


def test_a_leader_terminates_with_a_reason(submitted_case, leader_daoli, clerk_daoli):
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        terminate_case(actor=clerk_daoli, number=submitted_case.number, reason="申请人死亡")
    assert caught.value.code is ErrorCode.PERMISSION_DENIED
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        terminate_case(actor=leader_daoli, number=submitted_case.number, reason="")
    assert caught.value.fields == {"reason": "required"}
    case = terminate_case(actor=leader_daoli, number=submitted_case.number, reason="申请人死亡")
    assert case.status == Case.Status.TERMINATED
