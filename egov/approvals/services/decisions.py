"""Extension, decision, conclusion, delivery and fees (延期、决定、办结、送达、缴费)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from egov.approvals import permissions
from egov.approvals.errors import ApprovalError, ErrorCode
from egov.approvals.events import CaseEvent, utc_text
from egov.approvals.models import Case, Extension, FeePayment
from egov.approvals.numbering import licence_number as make_licence_number
from egov.approvals.selectors import case_clock
from egov.approvals.services.acceptance import staff_case
from egov.approvals.services.common import (
    CODE,
    REQUIRED_CODE,
    REQUIRED_NAME,
    REQUIRED_NOTE,
    access_case,
    clean_texts,
    move,
    next_sequence,
    record_step,
    require,
)
from egov.approvals.verification import new_code as new_verification_code
from egov.approvals.workflow import Action
from egov.core.text_input import text_problems

DELIVERY_METHODS = {"online": "网上送达", "window": "窗口领取", "post": "邮寄送达"}


def approve_extension(*, actor: Any, number: str, days: int, reason: str) -> Case:
    """A leader approves an extension of the limit, with reason (延期, 行政许可法第四十二条)."""
    with transaction.atomic(durable=True):
        case = staff_case(actor, number, permissions.APPROVE_EXTENSION)
        move(case, Action.EXTEND)
        texts, errors = text_problems({"reason": (reason, REQUIRED_NOTE)})
        if (
            isinstance(days, bool)
            or not isinstance(days, int)
            or not 1 <= days <= case.statutory_limit_days
        ):
            errors["days"] = f"a whole number of working days, 1 to {case.statutory_limit_days}"
        if errors:
            raise ApprovalError(ErrorCode.INVALID_INPUT, "the extension is incomplete", errors)
        extension = Extension.objects.create(
            case=case,
            days=days,
            reason=texts["reason"],
            approved_by=actor,
            approved_at=timezone.now(),
        )
        case.extension_days += days
        case.save(update_fields=["extension_days"])
        data = {
            "days": days,
            "reason": extension.reason,
            "total_extension_days": case.extension_days,
            "deadline": case_clock(case).deadline.isoformat(),
        }
        record_step(
            case=case,
            event_type=CaseEvent.CASE_EXTENDED,
            actor=actor,
            data=data,
            summary=f"批准延期{days}个工作日：{extension.reason}",
            at=extension.approved_at,
        )
        return case


def decide(case: Case, actor: Any, action: Action, data: dict[str, Any], summary: str) -> Case:
    """Record a decision on a locked, accepted case."""
    case.status = move(case, action)
    case.decided_at = timezone.now()
    case.verification_code = new_verification_code()
    case.save(
        update_fields=[
            "status",
            "decided_at",
            "licence_number",
            "reasons",
            "remedies",
            "verification_code",
        ]
    )
    reading = case_clock(case)
    data |= {
        "decided_at": utc_text(case.decided_at),
        "working_days_used": reading.days_used,
        "on_time": not reading.overdue,
    }
    record_step(
        case=case,
        event_type=CaseEvent.CASE_DECIDED,
        actor=actor,
        data=data,
        summary=summary,
        at=case.decided_at,
    )
    return case


def approve_case(*, actor: Any, number: str, licence_number: str = "") -> Case:
    """A leader approves (准予许可); the licence number is given or issued here."""
    with transaction.atomic(durable=True):
        case = staff_case(actor, number, permissions.DECIDE)
        move(case, Action.APPROVE)
        licence = clean_texts(licence_number=(licence_number, CODE))["licence_number"]
        if licence and Case.objects.filter(licence_number=licence).exists():
            raise ApprovalError(
                ErrorCode.DUPLICATE_LICENCE,
                f"licence {licence} already issued",
                {"licence_number": "already issued"},
            )
        if not licence:
            year = timezone.localtime().year
            licence = make_licence_number(
                case.item.code, year, next_sequence(f"licence:{case.item.code}:{year}")
            )
        case.licence_number = licence
        data = {"decision": "approve", "licence_number": licence}
        return decide(case, actor, Action.APPROVE, data, f"准予许可，证照编号 {licence}")


def deny_case(*, actor: Any, number: str, reasons: str, remedies: str) -> Case:
    """A leader denies (不予许可), stating the reasons and the remedies (复议、诉讼)."""
    with transaction.atomic(durable=True):
        case = staff_case(actor, number, permissions.DECIDE)
        move(case, Action.DENY)
        texts = clean_texts(reasons=(reasons, REQUIRED_NOTE), remedies=(remedies, REQUIRED_NOTE))
        case.reasons, case.remedies = texts["reasons"], texts["remedies"]
        data = {"decision": "deny", "reasons": case.reasons, "remedies": case.remedies}
        return decide(case, actor, Action.DENY, data, f"不予许可：{case.reasons}")


def conclude_case(*, actor: Any, number: str) -> Case:
    """A clerk concludes the case (办结)."""
    with transaction.atomic(durable=True):
        case = access_case(actor, number)
        require(actor, permissions.CONCLUDE, case)
        case.status = move(case, Action.CONCLUDE)
        case.concluded_at = timezone.now()
        case.save(update_fields=["status", "concluded_at"])
        reading = case_clock(case)
        data = {
            "concluded_at": utc_text(case.concluded_at),
            "decision": "approve" if case.licence_number else "deny",
            "working_days_used": reading.days_used,
            "on_time": not reading.overdue,
        }
        record_step(
            case=case,
            event_type=CaseEvent.CASE_CONCLUDED,
            actor=actor,
            data=data,
            summary="办结",
            at=case.concluded_at,
        )
        return case


def deliver_case(*, actor: Any, number: str, method: str) -> Case:
    """A clerk delivers the decision (送达): online, at the window or by post."""
    with transaction.atomic(durable=True):
        case = access_case(actor, number)
        require(actor, permissions.DELIVER, case)
        if not isinstance(method, str) or method not in DELIVERY_METHODS:
            raise ApprovalError(
                ErrorCode.INVALID_INPUT,
                "unknown delivery method",
                {"method": f"one of {', '.join(DELIVERY_METHODS)}"},
            )
        case.status = move(case, Action.DELIVER)
        case.delivered_at = timezone.now()
        case.save(update_fields=["status", "delivered_at"])
        data = {"method": method, "delivered_at": utc_text(case.delivered_at)}
        record_step(
            case=case,
            event_type=CaseEvent.CASE_DELIVERED,
            actor=actor,
            data=data,
            summary=f"送达（{DELIVERY_METHODS[method]}）",
            at=case.delivered_at,
        )
        return case


def fee_problems(
    case: Case, fee_name: Any, amount_fen: Any, receipt_number: Any
) -> tuple[dict[str, str], dict[str, str]]:
    """The cleaned fee name and receipt number, and every problem of the payment."""
    fees = {fee["name"]: fee["amount_fen"] for fee in case.item.fees}
    texts, errors = text_problems(
        {"fee_name": (fee_name, REQUIRED_NAME), "receipt_number": (receipt_number, REQUIRED_CODE)}
    )
    name = texts.get("fee_name")
    if name is not None and name not in fees:
        errors["fee_name"] = "not a fee of this item" if fees else "this item is free of charge"
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        errors["amount_fen"] = "a whole number of fen, > 0"
    elif name in fees and amount_fen > fees[name]:
        errors["amount_fen"] = f"more than the fee's amount ({fees[name]} fen)"
    return texts, errors


def record_fee_payment(
    *, actor: Any, number: str, fee_name: str, amount_fen: int, receipt_number: str
) -> FeePayment:
    """A clerk records a fee paid, with its receipt number (缴费登记)."""
    with transaction.atomic(durable=True):
        case = staff_case(actor, number, permissions.RECORD_FEE)
        move(case, Action.RECORD_FEE)
        texts, errors = fee_problems(case, fee_name, amount_fen, receipt_number)
        if errors:
            raise ApprovalError(ErrorCode.INVALID_INPUT, "the payment is incomplete", errors)
        fee_name, receipt_number = texts["fee_name"], texts["receipt_number"]
        if FeePayment.objects.filter(receipt_number=receipt_number).exists():
            raise ApprovalError(
                ErrorCode.DUPLICATE_RECEIPT,
                "this receipt is already recorded",
                {"receipt_number": "already recorded"},
            )
        payment = FeePayment.objects.create(
            case=case,
            fee_name=fee_name,
            amount_fen=amount_fen,
            receipt_number=receipt_number,
            paid_at=timezone.now(),
            recorded_by=actor.get_username(),
        )
        data = {
            "fee_name": fee_name,
            "amount_fen": amount_fen,
            "receipt_number": payment.receipt_number,
            "paid_at": utc_text(payment.paid_at),
        }
        record_step(
            case=case,
            event_type=CaseEvent.FEE_PAID,
            actor=actor,
            data=data,
            summary=f"缴费 {fee_name} {amount_fen} 分，票据 {payment.receipt_number}",
            at=payment.paid_at,
        )
        return payment
