"""Acceptance (受理): accept, refuse to accept, and deemed acceptance.

Administrative Licensing Law art. 32: the office accepts or refuses within 5
working days of receiving the application; if it does neither, the
application counts as accepted on the fifth working day (视为受理).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from egov.approvals import permissions
from egov.approvals.clock import SHANGHAI, Phase
from egov.approvals.errors import ApprovalError, ErrorCode
from egov.approvals.events import CaseEvent, utc_text
from egov.approvals.models import Case
from egov.approvals.selectors import case_clock, open_cases_for_acceptance_sweep
from egov.approvals.services.common import (
    NOTE,
    REQUIRED_NOTE,
    access_case,
    clean_texts,
    move,
    record_step,
    require,
)
from egov.approvals.workflow import Action, Status

SYSTEM_ACTOR = "system"


def mark_accepted(case: Case, actor: Any, *, at: dt.datetime, deemed: bool, note: str) -> None:
    """Move the case to accepted and record CaseAccepted (plain, nests in the caller)."""
    case.status = move(case, Action.ACCEPT)
    case.accepted_at = at
    case.deemed_accepted = deemed
    if not deemed and not isinstance(actor, str):
        case.handler = actor
    case.save(update_fields=["status", "accepted_at", "deemed_accepted", "handler"])
    reading = case_clock(case)
    data = {
        "accepted_at": utc_text(at),
        "deemed": deemed,
        "note": note,
        "deadline": reading.deadline.isoformat(),
        "limit_days": case.promised_limit_days,
    }
    summary = "视为受理（法定受理期限届满）" if deemed else f"受理：{note}"
    record_step(
        case=case, event_type=CaseEvent.CASE_ACCEPTED, actor=actor, data=data, summary=summary
    )


def settle_deemed_acceptance(case: Case, now: dt.datetime | None = None) -> bool:
    """If the acceptance window has passed unanswered, the case is accepted now (视为受理).

    The acceptance time is the start of the fifth working day. Returns whether it
    was settled. Runs inside the caller's transaction on a locked case.
    """
    if case.status != Status.SUBMITTED or case.accepted_at is not None:
        return False
    reading = case_clock(case, now)
    if reading.deemed_accepted_on is None:
        return False
    at = dt.datetime.combine(reading.deemed_accepted_on, dt.time(), tzinfo=SHANGHAI)
    mark_accepted(case, SYSTEM_ACTOR, at=max(at, case.received_at), deemed=True, note="")
    return True


def staff_case(actor: Any, number: str, permission: str) -> Case:
    """The case locked for a staff action the actor may take, deemed acceptance settled first.

    Not found, then PERMISSION_DENIED, in that order; raises inside the caller's
    transaction, so nothing is written on refusal.
    """
    case = access_case(actor, number)
    require(actor, permission, case)
    settle_deemed_acceptance(case)
    return case


def accept_case(*, actor: Any, number: str, note: str = "") -> Case:
    """A clerk accepts the application (受理); the processing clock starts."""
    with transaction.atomic(durable=True):
        case = access_case(actor, number)
        require(actor, permissions.ACCEPT, case)
        text = clean_texts(note=(note, NOTE))["note"]
        if settle_deemed_acceptance(case):
            return case
        mark_accepted(case, actor, at=timezone.now(), deemed=False, note=text)
        return case


def refuse_case(*, actor: Any, number: str, reasons: str) -> Case:
    """A clerk refuses to accept the application, with reasons (不予受理)."""
    with transaction.atomic(durable=True):
        case = access_case(actor, number)
        require(actor, permissions.REFUSE, case)
        text = clean_texts(reasons=(reasons, REQUIRED_NOTE))["reasons"]
        if case_clock(case).phase is Phase.PROCESSING and case.status == Status.SUBMITTED:
            raise ApprovalError(
                ErrorCode.ACCEPTANCE_WINDOW_PASSED,
                "the 5-working-day acceptance window has passed: the case counts as accepted",
            )
        case.status = move(case, Action.REFUSE)
        case.closed_at = timezone.now()
        case.reasons = text
        case.save(update_fields=["status", "closed_at", "reasons"])
        record_step(
            case=case,
            event_type=CaseEvent.CASE_REFUSED,
            actor=actor,
            data={"reasons": case.reasons},
            summary=f"不予受理：{case.reasons}",
            at=case.closed_at,
        )
        return case


def accept_deemed_applications(now: dt.datetime | None = None) -> list[str]:
    """Settle deemed acceptance for every case whose window has passed; their numbers.

    Each case is settled in its own transaction, so one failure does not hold
    back the rest; run periodically (a huey task or ``egov`` command).
    """
    settled = []
    numbers = open_cases_for_acceptance_sweep().values_list("number", flat=True)
    for number in list(numbers):
        with transaction.atomic(durable=True):
            case = (
                Case.objects.select_for_update(of=("self",))
                .select_related("item", "department", "region")
                .get(number=number)
            )
            if settle_deemed_acceptance(case, now):
                settled.append(number)
    return settled
