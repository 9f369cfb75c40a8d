"""Revoking and cancelling licences (撤销、注销行政许可), ADR 0058.

A licence granted by a case's approval ends before its time by one of two
acts of the issuing department: 撤销 (revoke, 行政许可法第六十九条) by a leader,
or 注销 (cancel, 第七十条) by a clerk or leader. Each names its ground (事由,
which carries the article), the facts (理由) and, for the grounds "other cases
provided by law", the provision applied. It is a step of the case: a
``LicenceEnding`` row, the timeline entry, the outbox event (``LicenceRevoked``
or ``LicenceCancelled``) and the audit entry, in one transaction; the case
keeps its status. Refused, in this order, with nothing written: not found,
a role that may not, a case with no licence (not approved), a licence already
ended, bad input.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from egov.approvals import licence, permissions
from egov.approvals.errors import ApprovalError, ErrorCode
from egov.approvals.events import LicenceEvent, utc_text
from egov.approvals.licence import ENDING_LABELS, GROUNDS, Ending
from egov.approvals.models import Case, LicenceEnding
from egov.approvals.services.acceptance import staff_case
from egov.approvals.services.common import (
    CODE,
    NOTE,
    REQUIRED_NOTE,
    move,
    record_step,
    refusal_message,
)
from egov.approvals.workflow import Action
from egov.core.text_input import text_problems

PERMISSION = {
    Ending.REVOKED: permissions.REVOKE_LICENCE,
    Ending.CANCELLED: permissions.CANCEL_LICENCE,
}
ACTION = {Ending.REVOKED: Action.REVOKE_LICENCE, Ending.CANCELLED: Action.CANCEL_LICENCE}
EVENT = {
    Ending.REVOKED: LicenceEvent.LICENCE_REVOKED,
    Ending.CANCELLED: LicenceEvent.LICENCE_CANCELLED,
}
NO_LICENCE = "no licence in force: the case was not approved"


def licence_in_force(case: Case, ending: Ending) -> str:
    """The case's licence number; refused if none was issued or it has already ended."""
    move(case, ACTION[ending])  # decided, concluded or delivered; WRONG_STATE if open
    if not case.licence_number:
        raise ApprovalError(ErrorCode.WRONG_STATE, NO_LICENCE, {"status": NO_LICENCE})
    ended = LicenceEnding.objects.filter(case=case).first()
    if ended is not None:
        day = timezone.localtime(ended.decided_at).date().isoformat()
        why = f"already {ended.kind} on {day}"
        raise ApprovalError(
            ErrorCode.LICENCE_ENDED, f"licence {case.licence_number} {why}", {"licence_number": why}
        )
    return case.licence_number


def ending_texts(ending: Ending, ground: Any, reason: Any, provision: Any) -> dict[str, str]:
    """The cleaned ground, reason and provision, or INVALID_INPUT naming every field at fault."""
    texts, errors = text_problems(
        {
            "ground": (ground, CODE),
            "reason": (reason, REQUIRED_NOTE),
            "legal_basis": (provision, NOTE),
        }
    )
    if "ground" not in errors:
        problem = licence.ground_problem(ending, texts["ground"])
        if problem:
            errors["ground"] = "required" if not texts["ground"] else problem
    chosen = None if "ground" in errors else GROUNDS[texts["ground"]]
    if (
        chosen
        and chosen.needs_provision
        and "legal_basis" not in errors
        and not texts["legal_basis"]
    ):
        errors["legal_basis"] = "required: the provision of the law or regulation applied"
    if errors:
        raise ApprovalError(ErrorCode.INVALID_INPUT, refusal_message(errors), errors)
    return texts


def end_licence(
    ending: Ending, *, actor: Any, number: str, ground: str, reason: str, provision: str
) -> Case:
    """Revoke or cancel the case's licence: one step, recorded and published."""
    with transaction.atomic(durable=True):
        case = staff_case(actor, number, PERMISSION[ending])
        licence_number = licence_in_force(case, ending)
        texts = ending_texts(ending, ground, reason, provision)
        chosen = GROUNDS[texts["ground"]]
        record = LicenceEnding.objects.create(
            case=case,
            licence_number=licence_number,
            kind=ending.value,
            ground=chosen.code,
            reason=texts["reason"],
            legal_basis=licence.legal_basis(chosen, texts["legal_basis"]),
            decided_by=actor,
            decided_at=timezone.now(),
        )
        data = {
            "licence_number": record.licence_number,
            "ground": chosen.code,
            "legal_basis": record.legal_basis,
            "reason": record.reason,
            "ended_at": utc_text(record.decided_at),
        }
        verb = ENDING_LABELS[ending].removeprefix("已")
        basis = f"{chosen.label}，{record.legal_basis}"
        record_step(
            case=case,
            event_type=EVENT[ending],
            actor=actor,
            data=data,
            summary=f"{verb}行政许可 {record.licence_number}（{basis}）：{record.reason}",
            at=record.decided_at,
        )
        return case


def revoke_licence(
    *, actor: Any, number: str, ground: str, reason: str, legal_basis: str = ""
) -> Case:
    """A leader revokes the licence (撤销行政许可, 第六十九条), with ground and reason."""
    return end_licence(
        Ending.REVOKED,
        actor=actor,
        number=number,
        ground=ground,
        reason=reason,
        provision=legal_basis,
    )


def cancel_licence(
    *, actor: Any, number: str, ground: str, reason: str, legal_basis: str = ""
) -> Case:
    """A clerk or leader cancels the licence (注销行政许可, 第七十条), with ground and reason."""
    return end_licence(
        Ending.CANCELLED,
        actor=actor,
        number=number,
        ground=ground,
        reason=reason,
        provision=legal_basis,
    )
