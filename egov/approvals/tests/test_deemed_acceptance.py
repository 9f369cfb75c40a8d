"""Deemed acceptance (视为受理): unanswered for 5 working days, the case counts as accepted."""

from __future__ import annotations

import datetime as dt

import pytest

from egov.approvals.clock import SHANGHAI
from egov.approvals.errors import ApprovalError, ErrorCode
from egov.approvals.models import Case
from egov.approvals.services import accept_deemed_applications, approve_case, refuse_case
from egov.approvals.tests.conftest import nothing_written
from egov.core.models import Event


@pytest.fixture
def old_case(submitted_case, time_machine) -> Case:
    """A case received on Mon 28 Sep 2026, never answered (due: Sat 10 Oct, a make-up day).

    The tests run on Tue 20 Oct 2026, after its window closed.
    """
    time_machine.move_to(dt.datetime(2026, 10, 20, 10, tzinfo=SHANGHAI))
    received = dt.datetime(2026, 9, 28, 10, tzinfo=SHANGHAI)
    Case.objects.filter(pk=submitted_case.pk).update(received_at=received)
    return Case.objects.get(pk=submitted_case.pk)


def test_the_sweep_marks_it_accepted_on_the_fifth_working_day(old_case):
    assert accept_deemed_applications(now=dt.datetime(2026, 10, 9, 12, tzinfo=SHANGHAI)) == []
    settled = accept_deemed_applications(now=dt.datetime(2026, 10, 12, 9, tzinfo=SHANGHAI))
    assert settled == [old_case.number]
    case = Case.objects.get(pk=old_case.pk)
    assert case.status == Case.Status.ACCEPTED
    assert case.deemed_accepted
    assert case.accepted_at.astimezone(SHANGHAI).date() == dt.date(2026, 10, 10)
    event = Event.objects.filter(aggregate=case.number).last().payload
    assert (event["data"]["deemed"], event["actor"]["kind"]) == (True, "system")


def test_refusal_after_the_window_is_refused(old_case, clerk_daoli):
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        refuse_case(actor=clerk_daoli, number=old_case.number, reasons="材料不全")
    assert caught.value.code is ErrorCode.ACCEPTANCE_WINDOW_PASSED


def test_a_decision_on_an_unanswered_case_first_records_the_deemed_acceptance(
    old_case, leader_daoli
):
    case = approve_case(actor=leader_daoli, number=old_case.number)
    assert case.status == Case.Status.APPROVED
    assert case.deemed_accepted
    types = list(Event.objects.filter(aggregate=case.number).values_list("event_type", flat=True))
    assert types == ["ApplicationSubmitted", "CaseAccepted", "CaseDecided"]
