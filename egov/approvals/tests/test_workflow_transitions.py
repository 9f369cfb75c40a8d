"""Which action may move a case where (the workflow table). Pure."""

import pytest

from egov.approvals.workflow import (
    Action,
    Status,
    TransitionRefusedError,
    allowed_actions,
    next_status,
)


def test_the_main_path():
    status = Status.SUBMITTED
    for action in (Action.ACCEPT, Action.APPROVE, Action.CONCLUDE, Action.DELIVER):
        status = next_status(action, status)
    assert status is Status.DELIVERED
    assert allowed_actions(Status.DELIVERED) == []


def test_supplement_returns_to_where_the_case_was():
    assert next_status(Action.RECEIVE_SUPPLEMENT, Status.SUPPLEMENT_REQUESTED) is Status.SUBMITTED
    assert (
        next_status(Action.RECEIVE_SUPPLEMENT, Status.SUPPLEMENT_REQUESTED, accepted=True)
        is Status.ACCEPTED
    )


@pytest.mark.parametrize(
    ("action", "status"),
    [
        (Action.APPROVE, Status.SUBMITTED),  # decide before accept
        (Action.ACCEPT, Status.ACCEPTED),  # accept twice
        (Action.ACCEPT, Status.SUPPLEMENT_REQUESTED),  # accept while materials are missing
        (Action.WITHDRAW, Status.APPROVED),
        (Action.DELIVER, Status.APPROVED),
    ],
)
def test_out_of_order_actions_are_refused(action, status):
    with pytest.raises(TransitionRefusedError):
        next_status(action, status)


def test_open_case_offers_its_next_actions():
    assert Action.ACCEPT in allowed_actions(Status.SUBMITTED)
    assert Action.APPROVE not in allowed_actions(Status.SUBMITTED)
    assert Action.APPROVE in allowed_actions(Status.ACCEPTED)
