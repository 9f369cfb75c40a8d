"""Supplementary materials (补正) and special procedures (特别程序): the clock stops.

A request for supplementary materials lists everything missing at once
(《行政许可法》第三十二条: 一次告知申请人需要补正的全部内容). A second request
on the same case is allowed and recorded as such (its sequence number).
Special procedures (hearing, testing, expert review, on-site inspection) do
not count against the limit (第四十五条) and have their own limit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from egov.approvals import permissions
from egov.approvals.errors import ApprovalError, ErrorCode
from egov.approvals.events import CaseEvent, utc_text
from egov.approvals.materials import upload_key
from egov.approvals.models import Case, Suspension
from egov.approvals.services.acceptance import staff_case
from egov.approvals.services.common import (
    CODE,
    NAME,
    NOTE,
    REQUIRED_NAME,
    REQUIRED_NOTE,
    Files,
    access_case,
    check_files,
    clean_texts,
    is_applicant,
    move,
    record_step,
    require,
    store_files,
)
from egov.approvals.workflow import Action, Status
from egov.core.text_input import text_problems

SPECIAL_KINDS = frozenset(Suspension.Kind.values) - {Suspension.Kind.SUPPLEMENT}


MISSING_MAX = 50  # entries in one request for supplementary materials


def missing_entry(
    index: int, entry: Any, materials: Mapping[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """One missing material, cleaned: its code and reason, or a free item's name and reason.

    An item's material (``code``) takes its name from the catalogue; a free item
    (no code) names what the list lacks. The reason is required either way.
    """
    where = f"missing[{index}]"
    if not isinstance(entry, Mapping):
        return {}, {where: "expected an object with name and reason"}
    coded = bool(entry.get("code"))
    texts, errors = text_problems(
        {
            "code": (entry.get("code"), CODE),
            "name": (entry.get("name"), NAME if coded else REQUIRED_NAME),
            "reason": (entry.get("reason"), REQUIRED_NOTE),
        }
    )
    if texts.get("code"):
        if texts["code"] in materials:
            texts["name"] = materials[texts["code"]]
        else:
            errors["code"] = "not a material of this item"
    if "reason" in errors and errors["reason"] == "required":
        errors["reason"] = "required: what is wrong or missing"
    return texts, {f"{where}.{field}": reason for field, reason in errors.items()}


def missing_entries(
    missing: Any, materials: Mapping[str, str]
) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Each missing entry has a reason and a name; a code, if given, is the item's, once."""
    if not isinstance(missing, list) or not missing:
        return [], {"missing": "list every missing or defective material at once (at least one)"}
    if len(missing) > MISSING_MAX:
        return [], {"missing": f"at most {MISSING_MAX} entries, got {len(missing)}"}
    entries: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    for index, entry in enumerate(missing):
        texts, problems = missing_entry(index, entry, materials)
        if texts.get("code") and any(e.get("code") == texts["code"] for e in entries):
            problems[f"missing[{index}].code"] = "listed twice"
        entries.append(texts)
        errors |= problems
    return entries, errors


def requested_materials(suspension: Suspension) -> dict[str, str]:
    """What a 补正 notice asks for: upload key -> material name, in the notice's order."""
    return {
        upload_key(position, entry): entry["name"]
        for position, entry in enumerate(suspension.missing, start=1)
    }


def request_supplement(
    *, actor: Any, number: str, missing: list[dict[str, str]], note: str = ""
) -> Case:
    """A clerk asks for supplementary materials (补正告知); the clock stops."""
    with transaction.atomic(durable=True):
        case = staff_case(actor, number, permissions.REQUEST_SUPPLEMENT)
        materials = {m["code"]: m["name"] for m in case.item.materials}
        entries, errors = missing_entries(missing, materials)
        texts, note_errors = text_problems({"note": (note, NOTE)})
        errors |= note_errors
        if errors:
            raise ApprovalError(ErrorCode.INVALID_INPUT, "the request is incomplete", errors)
        case.status = move(case, Action.REQUEST_SUPPLEMENT)
        case.supplement_requests += 1
        case.save(update_fields=["status", "supplement_requests"])
        suspension = Suspension.objects.create(
            case=case,
            kind=Suspension.Kind.SUPPLEMENT,
            sequence=case.supplement_requests,
            reason=texts["note"],
            missing=entries,
            started_at=timezone.now(),
            started_by=actor.get_username(),
        )
        data = {
            "sequence": suspension.sequence,
            "repeated": suspension.sequence > 1,
            "missing": entries,
            "note": suspension.reason,
            "suspension_start": utc_text(suspension.started_at),
        }
        label = f"第{suspension.sequence}次补正告知" if suspension.sequence > 1 else "补正告知"
        record_step(
            case=case,
            event_type=CaseEvent.SUPPLEMENT_REQUESTED,
            actor=actor,
            data=data,
            summary=f"{label}：{'、'.join(e['name'] for e in entries)}",
            at=suspension.started_at,
        )
        return case


def open_suspension(case: Case, kinds: set[str], code: ErrorCode) -> Suspension:
    suspension = (
        case.suspensions.filter(kind__in=kinds, ended_at__isnull=True)
        .order_by("-started_at")
        .first()
    )
    if suspension is None:
        raise ApprovalError(code, "nothing is waiting on this case")
    return suspension


def resume_clock(case: Case, suspension: Suspension, status: Status, actor: Any) -> dict[str, str]:
    """End the suspension now and move the case on (计时恢复); the suspension's times, UTC."""
    suspension.ended_at = timezone.now()
    suspension.ended_by = actor.get_username()
    suspension.save(update_fields=["ended_at", "ended_by"])
    case.status = status
    case.save(update_fields=["status"])
    return {
        "suspension_start": utc_text(suspension.started_at),
        "suspension_end": utc_text(suspension.ended_at),
    }


def supplement_problems(
    files: Files, requested: Mapping[str, str], case: Case, *, applicant: bool
) -> dict[str, str]:
    """What is wrong with a supplement's files, by ``materials.<key>``.

    The applicant uploads exactly what the notice asks for, every item of it; a
    clerk recording paper materials may also add any of the item's materials.
    """
    if applicant:
        errors = check_files(files, set(requested))
        for key in requested:
            if not files.get(key):
                errors.setdefault(f"materials.{key}", "requested material missing")
        return errors
    return check_files(files, {m["code"] for m in case.item.materials} | set(requested))


def receive_supplement(
    *, actor: Any, number: str, files: Files | None = None, note: str = ""
) -> Case:
    """The supplementary materials arrive (补正材料收到); the clock resumes.

    The applicant uploads them online (every missing material named by code
    must be among the files), or a clerk records the paper materials.
    """
    files = files or {}
    with transaction.atomic(durable=True):
        case = access_case(actor, number)
        if not is_applicant(actor, case):
            require(actor, permissions.RECEIVE_SUPPLEMENT, case)
        status = move(case, Action.RECEIVE_SUPPLEMENT)
        suspension = open_suspension(
            case, {Suspension.Kind.SUPPLEMENT}, ErrorCode.NO_OPEN_SUPPLEMENT
        )
        texts, errors = text_problems({"note": (note, NOTE)})
        requested = requested_materials(suspension)
        errors |= supplement_problems(files, requested, case, applicant=is_applicant(actor, case))
        if errors:
            raise ApprovalError(ErrorCode.INVALID_INPUT, "the supplement is incomplete", errors)
        clock_data = resume_clock(case, suspension, status, actor)
        names = {m["code"]: m["name"] for m in case.item.materials} | requested
        materials = store_files(case, files, names, suspension.sequence)
        data = {
            "sequence": suspension.sequence,
            "materials": materials,
            "note": texts["note"],
            **clock_data,
        }
        record_step(
            case=case,
            event_type=CaseEvent.SUPPLEMENT_RECEIVED,
            actor=actor,
            data=data,
            summary=f"收到第{suspension.sequence}次补正材料",
            at=suspension.ended_at,
        )
        return case


def start_special_procedure(
    *, actor: Any, number: str, procedure: str, reason: str, limit_days: int
) -> Case:
    """A clerk starts a special procedure (听证, 检验检测, 专家评审, 现场核查); the clock stops."""
    with transaction.atomic(durable=True):
        case = staff_case(actor, number, permissions.SPECIAL_PROCEDURE)
        texts, errors = text_problems({"reason": (reason, REQUIRED_NOTE)})
        if not isinstance(procedure, str) or procedure not in SPECIAL_KINDS:
            errors["procedure"] = f"one of {', '.join(sorted(SPECIAL_KINDS))}"
        if (
            isinstance(limit_days, bool)
            or not isinstance(limit_days, int)
            or not 1 <= limit_days <= 365
        ):
            errors["limit_days"] = "a whole number of working days, 1 to 365"
        if errors:
            raise ApprovalError(
                ErrorCode.INVALID_INPUT, "the special procedure is incomplete", errors
            )
        case.status = move(case, Action.START_SPECIAL_PROCEDURE)
        case.save(update_fields=["status"])
        sequence = case.suspensions.filter(kind=procedure).count() + 1
        suspension = Suspension.objects.create(
            case=case,
            kind=procedure,
            sequence=sequence,
            reason=texts["reason"],
            limit_days=limit_days,
            started_at=timezone.now(),
            started_by=actor.get_username(),
        )
        data = {
            "procedure": procedure,
            "reason": suspension.reason,
            "limit_days": limit_days,
            "applicant_notified": True,
            "suspension_start": utc_text(suspension.started_at),
        }
        record_step(
            case=case,
            event_type=CaseEvent.SPECIAL_PROCEDURE_STARTED,
            actor=actor,
            data=data,
            summary=f"启动特别程序（{suspension.get_kind_display()}）：{suspension.reason}",
            at=suspension.started_at,
        )
        return case


def end_special_procedure(*, actor: Any, number: str, outcome: str = "") -> Case:
    """The special procedure ends (特别程序结束); the clock resumes."""
    with transaction.atomic(durable=True):
        case = access_case(actor, number)
        require(actor, permissions.SPECIAL_PROCEDURE, case)
        text = clean_texts(outcome=(outcome, NOTE))["outcome"]
        status = move(case, Action.END_SPECIAL_PROCEDURE)
        suspension = open_suspension(case, set(SPECIAL_KINDS), ErrorCode.NO_OPEN_SPECIAL_PROCEDURE)
        clock_data = resume_clock(case, suspension, status, actor)
        data = {
            "procedure": suspension.kind,
            "outcome": text,
            **clock_data,
        }
        record_step(
            case=case,
            event_type=CaseEvent.SPECIAL_PROCEDURE_ENDED,
            actor=actor,
            data=data,
            summary=f"特别程序结束（{suspension.get_kind_display()}）",
            at=suspension.ended_at,
        )
        return case
