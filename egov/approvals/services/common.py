"""What every case service shares: reaching a case, checking roles, recording a step.

A step is recorded three ways in the caller's transaction: the case event in
the outbox (``core.events.publish``), the same content on the case's timeline,
and an entry in the audit chain (``core.services.audit.record_audit``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db.models import F
from django.utils import timezone

from egov.approvals import permissions
from egov.approvals.errors import ApprovalError, ErrorCode
from egov.approvals.events import ActorKind, StepEvent, envelope
from egov.approvals.forms_spec import check_upload
from egov.approvals.models import Case, CaseMaterial, NumberCounter, TimelineEntry
from egov.approvals.numbering import NumberingError, parse_case_number
from egov.approvals.services.clocks import store_case_clock
from egov.approvals.workflow import Action, Status, TransitionRefusedError, next_status
from egov.core.events import publish
from egov.core.models import Region, User
from egov.core.permissions import may
from egov.core.services.audit import record_audit
from egov.core.text_input import CODE_MAX, NAME_MAX, NOTE_MAX, PHONE_MAX, TextLimit, text_problems

PUBLIC_KINDS = frozenset({User.Kind.CITIZEN, User.Kind.ENTERPRISE})


def is_public(actor: Any) -> bool:
    """Is the actor a citizen or enterprise account?"""
    return getattr(actor, "kind", None) in PUBLIC_KINDS


def is_applicant(actor: Any, case: Case) -> bool:
    """Is the actor the applicant who filed this case online?"""
    return is_public(actor) and case.applicant_id is not None and case.applicant_id == actor.pk


def not_found(number: str) -> ApprovalError:
    return ApprovalError(ErrorCode.NOT_FOUND, f"no case {number!r}", {"number": "not found"})


def access_case(actor: Any, number: str, lock: bool = True) -> Case:
    """The case with this number if the actor may see it (取件), locked when asked.

    Missing and forbidden cases answer alike: not found. The applicant sees
    their own cases; staff see the cases the permission check lets them view.
    """
    text = str(number or "").strip().upper()
    try:
        parse_case_number(text)
    except NumberingError:
        raise not_found(text) from None
    query = Case.objects.select_related("item", "department", "region")
    if lock:
        query = query.select_for_update(of=("self",))
    case = query.filter(number=text).first()
    if case is None or not getattr(actor, "is_active", False):
        raise not_found(text)
    if is_applicant(actor, case):
        return case
    if is_public(actor) or not may(actor, permissions.VIEW_CASE, case):
        raise not_found(text)
    return case


def require(actor: Any, action: str, case: Case) -> None:
    """Refuse a staff action the actor's roles do not allow on this case."""
    if is_public(actor) or not may(actor, action, case):
        raise ApprovalError(
            ErrorCode.PERMISSION_DENIED,
            f"{actor} may not {action.removeprefix('approvals.')} case {case.number}",
        )


def move(case: Case, action: Action) -> Status:
    """The case's status after ``action``; WRONG_STATE (or ALREADY_ACCEPTED) if out of order."""
    try:
        return next_status(action, case.status_enum, accepted=case.accepted_at is not None)
    except TransitionRefusedError as exc:
        code = ErrorCode.WRONG_STATE
        if action is Action.ACCEPT and case.accepted_at is not None:
            code = ErrorCode.ALREADY_ACCEPTED
        raise ApprovalError(code, str(exc), {"status": case.status}) from None


def actor_of(actor: Any, case: Case | None = None) -> dict[str, str]:
    """The event's actor: kind, id, organisation."""
    if isinstance(actor, str):
        return {"kind": ActorKind.SYSTEM.value, "id": actor, "organisation": ""}
    if is_public(actor):
        return {"kind": ActorKind.APPLICANT.value, "id": actor.get_username(), "organisation": ""}
    staff = getattr(actor, "staff", None)
    organisation = staff.organisation.code if staff is not None else ""
    return {"kind": ActorKind.STAFF.value, "id": actor.get_username(), "organisation": organisation}


def case_keys(case: Case) -> dict[str, str]:
    """The natural keys every case event carries."""
    return {
        "case_number": case.number,
        "item_code": case.item.code,
        "department_code": case.department.code,
        "region_code": case.region_id,
    }


def record_step(
    *,
    case: Case,
    event_type: StepEvent,
    actor: Any,
    data: dict[str, Any],
    summary: str,
    at: dt.datetime | None = None,
) -> dict[str, Any]:
    """Publish the case event, add it to the timeline and append the audit entry.

    Then store the case's clock as it now stands (ADR 0047): every service that
    changes a case's clock records a step after its writes.
    """
    who = actor_of(actor, case)
    payload = envelope(
        event_type=event_type,
        occurred_at=at or timezone.now(),
        case=case_keys(case),
        actor=who,
        status=case.status,
        data=data,
    )
    publish(event_type.value, payload, aggregate=case.number)
    TimelineEntry.objects.create(
        case=case,
        event_id=payload["event_id"],
        event_type=event_type.value,
        occurred_at=at or timezone.now(),
        actor=who["id"],
        data=data,
    )
    record_audit(
        actor=actor,
        action=f"approvals.{event_type.value}",
        object_type="approvals.Case",
        object_id=case.number,
        summary=summary,
        organisation=who["organisation"] or case.department.code,
    )
    store_case_clock(case)
    return payload


def next_sequence(scope: str) -> int:
    """The next number in a numbering scope (a region and day, an item and year)."""
    counter, _ = NumberCounter.objects.select_for_update().get_or_create(scope=scope)
    NumberCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return counter.last


def region_lookup(code: str) -> bool | None:
    """Is this a region code the region table knows (None), and is it current?"""
    return Region.objects.filter(code=code).values_list("is_current", flat=True).first()


Files = Mapping[str, Sequence[UploadedFile]]


def check_files(files: Files, known_codes: set[str]) -> dict[str, str]:
    """Every uploaded file's problems, by ``materials.<code>``."""
    errors: dict[str, str] = {}
    for code, uploads in files.items():
        if code not in known_codes:
            errors[f"materials.{code}"] = "not a material of this item"
            continue
        for upload in uploads:
            head = upload.read(16)
            upload.seek(0)
            try:
                check_upload(upload.name or "", upload.size or 0, head)
            except ValueError as exc:
                errors[f"materials.{code}"] = str(exc)
    return errors


def store_files(case: Case, files: Files, names: Mapping[str, str], round_: int) -> list[dict]:
    """Save checked uploads as the case's materials; their descriptions for the event."""
    described = []
    now = timezone.now()
    for code, uploads in files.items():
        for upload in uploads:
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
            kind = check_upload(upload.name or "", upload.size or 0, upload.read(16))
            upload.seek(0)
            material = CaseMaterial(
                case=case,
                material_code=code,
                name=names[code],
                file_name=(upload.name or "")[:200],
                file_type=kind,
                size=upload.size or 0,
                sha256=digest.hexdigest(),
                round=round_,
                uploaded_at=now,
            )
            material.file.save(f"{case.number}-{code}.{kind}", upload, save=False)
            material.save()
            described.append(
                {
                    "code": code,
                    "name": names[code],
                    "file_type": kind,
                    "size": material.size,
                    "sha256": material.sha256,
                }
            )
    return described


# --- Typed text ------------------------------------------------------------------------

NOTE = TextLimit(NOTE_MAX, multiline=True)  # notes, outcomes, optional reasons
REQUIRED_NOTE = TextLimit(NOTE_MAX, multiline=True, required=True)  # reasons, remedies
CODE = TextLimit(CODE_MAX)  # licence and receipt numbers, material codes, choices
REQUIRED_CODE = TextLimit(CODE_MAX, required=True)
NAME = TextLimit(NAME_MAX)  # names of applicants, fees, materials
REQUIRED_NAME = TextLimit(NAME_MAX, required=True)
PHONE = TextLimit(PHONE_MAX)


def refusal_message(errors: Mapping[str, str]) -> str:
    """One line naming the first refused field and why (the rest are in ``errors``)."""
    field, reason = next(iter(errors.items()))
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"invalid input: {field}: {reason}{more}"


def clean_texts(**fields: tuple[Any, TextLimit]) -> dict[str, str]:
    """Each text stripped, or INVALID_INPUT naming every refused field and why.

    The check is :mod:`egov.core.text_input`'s: type, control characters, length.
    """
    cleaned, errors = text_problems(fields)
    if errors:
        raise ApprovalError(ErrorCode.INVALID_INPUT, refusal_message(errors), errors)
    return cleaned
