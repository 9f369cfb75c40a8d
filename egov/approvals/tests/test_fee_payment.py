"""Recording a fee payment (缴费登记) with its receipt number."""

from __future__ import annotations

import pytest

from egov.approvals.errors import ApprovalError, ErrorCode
from egov.approvals.models import FeePayment
from egov.approvals.services import accept_case, record_fee_payment
from egov.approvals.tests.conftest import nothing_written


def test_a_clerk_records_a_payment(submitted_case, clerk_daoli):
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        record_fee_payment(
            actor=clerk_daoli,
            number=submitted_case.number,
            fee_name="许可证工本费",
            amount_fen=1000,
            receipt_number="R-1",
        )
    assert caught.value.code is ErrorCode.WRONG_STATE  # not accepted yet
    accept_case(actor=clerk_daoli, number=submitted_case.number)
    payment = record_fee_payment(
        actor=clerk_daoli,
        number=submitted_case.number,
        fee_name="许可证工本费",
        amount_fen=1000,
        receipt_number="HLJ-2026-000123",
    )
    assert (payment.amount_fen, payment.recorded_by) == (1000, "clerk_daoli")
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        record_fee_payment(
            actor=clerk_daoli,
            number=submitted_case.number,
            fee_name="许可证工本费",
            amount_fen=1000,
            receipt_number="HLJ-2026-000123",
        )
    assert caught.value.code is ErrorCode.DUPLICATE_RECEIPT


def test_unknown_fees_and_wrong_amounts_are_named(submitted_case, clerk_daoli):
    accept_case(actor=clerk_daoli, number=submitted_case.number)
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        record_fee_payment(
            actor=clerk_daoli,
            number=submitted_case.number,
            fee_name="加急费",
            amount_fen=-5,
            receipt_number=" ",
        )
    assert set(caught.value.fields) == {"fee_name", "amount_fen", "receipt_number"}
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        record_fee_payment(
            actor=clerk_daoli,
            number=submitted_case.number,
            fee_name="许可证工本费",
            amount_fen=5000,
            receipt_number="R-2",
        )
    assert "more than the fee's amount" in caught.value.fields["amount_fen"]
    assert FeePayment.objects.count() == 0
