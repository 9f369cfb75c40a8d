"""The case workflow (办件流程): statuses and which action may move a case where.

Pure: no Django import. Services ask :func:`next_status` before changing a
case; the workbench asks :func:`allowed_actions` for the buttons it shows.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """Where a case stands."""

    SUBMITTED = "submitted"  # 已申请，待受理
    SUPPLEMENT_REQUESTED = "supplement_requested"  # 补正中
    ACCEPTED = "accepted"  # 已受理，审查中
    SPECIAL_PROCEDURE = "special_procedure"  # 特别程序中
    APPROVED = "approved"  # 准予许可
    DENIED = "denied"  # 不予许可
    CONCLUDED = "concluded"  # 办结
    DELIVERED = "delivered"  # 已送达
    REFUSED = "refused"  # 不予受理
    WITHDRAWN = "withdrawn"  # 撤回
    TERMINATED = "terminated"  # 终止


STATUS_LABELS = {
    Status.SUBMITTED: "待受理",
    Status.SUPPLEMENT_REQUESTED: "补正中",
    Status.ACCEPTED: "审查中",
    Status.SPECIAL_PROCEDURE: "特别程序中",
    Status.APPROVED: "准予许可",
    Status.DENIED: "不予许可",
    Status.CONCLUDED: "已办结",
    Status.DELIVERED: "已送达",
    Status.REFUSED: "不予受理",
    Status.WITHDRAWN: "已撤回",
    Status.TERMINATED: "已终止",
}


class Action(StrEnum):
    """A workflow action (a service function) that changes a case's status."""

    ACCEPT = "accept"
    REFUSE = "refuse"
    REQUEST_SUPPLEMENT = "request_supplement"
    RECEIVE_SUPPLEMENT = "receive_supplement"
    START_SPECIAL_PROCEDURE = "start_special_procedure"
    END_SPECIAL_PROCEDURE = "end_special_procedure"
    EXTEND = "extend"
    APPROVE = "approve"
    DENY = "deny"
    CONCLUDE = "conclude"
    DELIVER = "deliver"
    WITHDRAW = "withdraw"
    TERMINATE = "terminate"
    RECORD_FEE = "record_fee"
    REVOKE_LICENCE = "revoke_licence"  # 撤销 (行政许可法第六十九条)
    CANCEL_LICENCE = "cancel_licence"  # 注销 (行政许可法第七十条)


OPEN = frozenset(
    {Status.SUBMITTED, Status.SUPPLEMENT_REQUESTED, Status.ACCEPTED, Status.SPECIAL_PROCEDURE}
)
FINAL = frozenset({Status.DELIVERED, Status.REFUSED, Status.WITHDRAWN, Status.TERMINATED})
# The clock runs while a case is open; a decision, refusal or withdrawal stops it.
CLOCK_RUNNING = OPEN
# Where a licence may stand: decided, concluded or delivered (if the decision approved).
LICENSED = frozenset({Status.APPROVED, Status.CONCLUDED, Status.DELIVERED})
# Actions on the licence, not the case: they keep the case's status (ADR 0058) and
# are allowed only while the case holds a licence in force (see allowed_actions).
LICENCE_ACTIONS = frozenset({Action.REVOKE_LICENCE, Action.CANCEL_LICENCE})

# action -> (statuses it may start from, status it leads to; None keeps the status)
TRANSITIONS: dict[Action, tuple[frozenset[Status], Status | None]] = {
    Action.ACCEPT: (frozenset({Status.SUBMITTED}), Status.ACCEPTED),
    Action.REFUSE: (frozenset({Status.SUBMITTED}), Status.REFUSED),
    Action.REQUEST_SUPPLEMENT: (
        frozenset({Status.SUBMITTED, Status.ACCEPTED}),
        Status.SUPPLEMENT_REQUESTED,
    ),
    # Back to SUBMITTED or ACCEPTED, whichever the case was before: see resume_status.
    Action.RECEIVE_SUPPLEMENT: (frozenset({Status.SUPPLEMENT_REQUESTED}), None),
    Action.START_SPECIAL_PROCEDURE: (frozenset({Status.ACCEPTED}), Status.SPECIAL_PROCEDURE),
    Action.END_SPECIAL_PROCEDURE: (frozenset({Status.SPECIAL_PROCEDURE}), Status.ACCEPTED),
    Action.EXTEND: (frozenset({Status.ACCEPTED, Status.SPECIAL_PROCEDURE}), None),
    Action.APPROVE: (frozenset({Status.ACCEPTED}), Status.APPROVED),
    Action.DENY: (frozenset({Status.ACCEPTED}), Status.DENIED),
    Action.CONCLUDE: (frozenset({Status.APPROVED, Status.DENIED}), Status.CONCLUDED),
    Action.DELIVER: (frozenset({Status.CONCLUDED}), Status.DELIVERED),
    Action.WITHDRAW: (OPEN, Status.WITHDRAWN),
    Action.TERMINATE: (OPEN, Status.TERMINATED),
    Action.RECORD_FEE: (
        frozenset({Status.ACCEPTED, Status.SPECIAL_PROCEDURE, Status.APPROVED, Status.CONCLUDED}),
        None,
    ),
    Action.REVOKE_LICENCE: (LICENSED, None),
    Action.CANCEL_LICENCE: (LICENSED, None),
}


class TransitionRefusedError(ValueError):
    """The action is not allowed from the case's current status."""

    def __init__(self, action: Action, status: Status) -> None:
        self.action = action
        self.status = status
        super().__init__(f"{action.value} is not allowed while the case is {status.value}")


def may_move(action: Action, status: Status) -> bool:
    """May this action be taken on a case in this status?"""
    return status in TRANSITIONS[action][0]


def next_status(action: Action, status: Status, *, accepted: bool = False) -> Status:
    """The status after the action; TransitionRefusedError when it is out of order.

    ``accepted`` says whether the case was accepted before (for the return from
    补正: to review if it was, to acceptance if not).
    """
    sources, target = TRANSITIONS[action]
    if status not in sources:
        raise TransitionRefusedError(action, status)
    if action is Action.RECEIVE_SUPPLEMENT:
        return Status.ACCEPTED if accepted else Status.SUBMITTED
    return status if target is None else target


def allowed_actions(status: Status, *, licence_in_force: bool = False) -> list[Action]:
    """The actions a case in this status allows, in workflow order.

    The licence's actions only while ``licence_in_force``: the case was approved
    and its licence has been neither revoked nor cancelled.
    """
    return [
        action
        for action in Action
        if may_move(action, status) and (licence_in_force or action not in LICENCE_ACTIONS)
    ]
