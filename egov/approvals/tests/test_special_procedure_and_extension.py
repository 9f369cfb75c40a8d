"""Special procedures (特别程序) stop the clock; an extension (延期) needs a leader."""

from __future__ import annotations

import pytest

from egov.approvals.errors import ApprovalError, ErrorCode
from egov.approvals.models import Case, Extension
from egov.approvals.selectors import case_clock
from egov.approvals.services import (
    accept_case,
    approve_extension,
    end_special_procedure,
    start_special_procedure,
)
from egov.approvals.tests.conftest import nothing_written
from egov.core.models import Event


@pytest.fixture
def accepted_case(submitted_case, clerk_daoli) -> Case:
    return accept_case(actor=clerk_daoli, number=submitted_case.number)


def test_a_hearing_stops_the_clock_and_the_applicant_is_told(accepted_case, clerk_daoli):
    case = start_special_procedure(
        actor=clerk_daoli,
        number=accepted_case.number,
        procedure="hearing",
        reason="涉及相邻关系人重大利益",
        limit_days=20,
    )
    assert case.status == Case.Status.SPECIAL_PROCEDURE
    reading = case_clock(case)
    assert reading.suspended
    assert reading.intervals[0].own_deadline is not None
    started = Event.objects.filter(aggregate=case.number).last().payload["data"]
    assert (started["procedure"], started["applicant_notified"]) == ("hearing", True)
    case = end_special_procedure(actor=clerk_daoli, number=case.number, outcome="听证结束")
    assert case.status == Case.Status.ACCEPTED
    assert not case_clock(case).suspended


def test_an_unknown_procedure_or_a_bad_limit_is_named(accepted_case, clerk_daoli):
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        start_special_procedure(
            actor=clerk_daoli,
            number=accepted_case.number,
            procedure="lottery",
            reason="",
            limit_days=0,
        )
    assert set(caught.value.fields) == {"procedure", "reason", "limit_days"}


def test_ending_what_was_not_started_is_out_of_order(accepted_case, clerk_daoli):
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        end_special_procedure(actor=clerk_daoli, number=accepted_case.number)
    assert caught.value.code is ErrorCode.WRONG_STATE


def test_a_leader_extends_the_limit(accepted_case, leader_daoli):
    before = case_clock(accepted_case).deadline
    case = approve_extension(
        actor=leader_daoli, number=accepted_case.number, days=5, reason="情况复杂"
    )
    assert case.extension_days == 5
    assert case_clock(case).deadline > before
    assert Extension.objects.get(case=case).approved_by == leader_daoli
    data = Event.objects.filter(aggregate=case.number).last().payload["data"]
    assert (data["days"], data["total_extension_days"]) == (5, 5)


def test_a_clerk_may_not_extend_and_bad_days_are_named(accepted_case, clerk_daoli, leader_daoli):
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        approve_extension(actor=clerk_daoli, number=accepted_case.number, days=5, reason="x")
    assert caught.value.code is ErrorCode.PERMISSION_DENIED
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        approve_extension(actor=leader_daoli, number=accepted_case.number, days=99, reason="")
    assert set(caught.value.fields) == {"days", "reason"}
