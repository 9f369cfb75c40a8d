"""Decision (准予/不予许可), conclusion (办结) and delivery (送达)."""

from __future__ import annotations

import pytest

from egov.approvals.errors import ApprovalError, ErrorCode
from egov.approvals.models import Case
from egov.approvals.services import (
    accept_case,
    approve_case,
    conclude_case,
    deliver_case,
    deny_case,
)
from egov.approvals.tests.conftest import nothing_written
from egov.core.models import Event


def test_deciding_before_acceptance_is_out_of_order(submitted_case, leader_daoli):
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        approve_case(actor=leader_daoli, number=submitted_case.number)
    assert caught.value.code is ErrorCode.WRONG_STATE
    assert caught.value.fields == {"status": "submitted"}


def test_a_clerk_may_not_decide(submitted_case, clerk_daoli):
    accept_case(actor=clerk_daoli, number=submitted_case.number)
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        approve_case(actor=clerk_daoli, number=submitted_case.number)
    assert caught.value.code is ErrorCode.PERMISSION_DENIED


def test_approve_issues_a_numbered_licence_then_conclude_and_deliver(
    submitted_case, clerk_daoli, leader_daoli
):
    accept_case(actor=clerk_daoli, number=submitted_case.number)
    case = approve_case(actor=leader_daoli, number=submitted_case.number)
    assert case.status == Case.Status.APPROVED
    assert case.licence_number.startswith("SCJG-SPJY-230102-")
    assert case.licence_number.endswith("-000001")
    decided = Event.objects.filter(aggregate=case.number).last().payload
    assert decided["data"]["decision"] == "approve"
    assert decided["data"]["on_time"] is True
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        deliver_case(actor=clerk_daoli, number=case.number, method="online")
    assert caught.value.code is ErrorCode.WRONG_STATE  # deliver before conclude
    conclude_case(actor=clerk_daoli, number=case.number)
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        deliver_case(actor=clerk_daoli, number=case.number, method="pigeon")
    assert "method" in caught.value.fields
    case = deliver_case(actor=clerk_daoli, number=case.number, method="online")
    assert case.status == Case.Status.DELIVERED
    types = list(Event.objects.filter(aggregate=case.number).values_list("event_type", flat=True))
    assert types == [
        "ApplicationSubmitted",
        "CaseAccepted",
        "CaseDecided",
        "CaseConcluded",
        "CaseDelivered",
    ]


def test_a_given_licence_number_must_be_unused(
    submitted_case, citizen, food_item, clerk_daoli, leader_daoli
):
    from egov.approvals.services import submit_application
    from egov.approvals.tests.conftest import FORM, good_files

    other = submit_application(
        applicant=citizen, item_code=food_item.code, form=FORM, files=good_files()
    )
    for case in (submitted_case, other):
        accept_case(actor=clerk_daoli, number=case.number)
    approve_case(
        actor=leader_daoli, number=submitted_case.number, licence_number="JY12301020000001"
    )
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        approve_case(actor=leader_daoli, number=other.number, licence_number="JY12301020000001")
    assert caught.value.code is ErrorCode.DUPLICATE_LICENCE


def test_a_denial_states_reasons_and_remedies(submitted_case, clerk_daoli, leader_daoli):
    accept_case(actor=clerk_daoli, number=submitted_case.number)
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        deny_case(
            actor=leader_daoli, number=submitted_case.number, reasons="场所不符合要求", remedies=""
        )
    assert caught.value.fields == {"remedies": "required"}
    case = deny_case(
        actor=leader_daoli,
        number=submitted_case.number,
        reasons="经营场所与污染源距离不足",
        remedies="可自收到决定书之日起六十日内申请行政复议，或六个月内提起行政诉讼",
    )
    assert case.status == Case.Status.DENIED
    assert case.licence_number is None
    assert Event.objects.filter(aggregate=case.number).last().payload["data"]["decision"] == "deny"
