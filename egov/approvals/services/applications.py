"""Applications (申请): online submission, walk-in registration, withdrawal."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from egov.approvals import permissions
from egov.approvals.catalogue import mandatory_codes
from egov.approvals.errors import ApprovalError, ErrorCode
from egov.approvals.events import CaseEvent, utc_text
from egov.approvals.forms_spec import check_credit_code, check_resident_id, validate_form
from egov.approvals.models import Case, ServiceItem
from egov.approvals.numbering import case_number
from egov.approvals.services.common import (
    CODE,
    NOTE,
    PHONE,
    REQUIRED_NAME,
    REQUIRED_NOTE,
    Files,
    access_case,
    check_files,
    clean_texts,
    is_applicant,
    is_public,
    move,
    next_sequence,
    record_step,
    refusal_message,
    region_lookup,
    require,
    store_files,
)
from egov.approvals.services.submission_limits import count_submission
from egov.approvals.workflow import Action
from egov.core.models import User
from egov.core.permissions import may
from egov.core.text_input import text_problems


def find_active_item(item_code: str) -> ServiceItem:
    item = ServiceItem.objects.select_related("department").filter(code=item_code).first()
    if item is None:
        raise ApprovalError(
            ErrorCode.ITEM_NOT_FOUND, f"no item {item_code!r}", {"item_code": "not found"}
        )
    if not item.is_active:
        raise ApprovalError(
            ErrorCode.ITEM_INACTIVE, f"item {item_code} is not open", {"item_code": "inactive"}
        )
    return item


def applicant_problems(kind: Any, name: Any, identifier: Any, phone: Any = "") -> dict[str, str]:
    """Check the applicant's kind, name, ID (resident ID or credit code) and phone."""
    texts, errors = text_problems(
        {
            "applicant_kind": (kind, CODE),
            "applicant_name": (name, REQUIRED_NAME),
            "applicant_identifier": (identifier, CODE),
            "applicant_phone": (phone, PHONE),
        }
    )
    kind = texts.get("applicant_kind")
    if kind is not None and kind not in Case.ApplicantKind.values:
        errors["applicant_kind"] = f"one of {', '.join(Case.ApplicantKind.values)}"
    if "applicant_identifier" not in errors:
        try:
            if kind == Case.ApplicantKind.CITIZEN:
                check_resident_id(identifier, region_lookup)
            elif kind == Case.ApplicantKind.ENTERPRISE:
                check_credit_code(identifier)
        except ValueError as exc:
            errors["applicant_identifier"] = str(exc)
    return errors


def application_problems(
    item: ServiceItem, form: Mapping[str, Any], files: Files
) -> tuple[dict[str, str], dict[str, str]]:
    """The cleaned form and every problem of form, materials and files, at once."""
    cleaned, errors = validate_form(item.form_fields, form, region_lookup)
    errors = {f"form.{name}": reason for name, reason in errors.items()}
    known = {m["code"] for m in item.materials}
    errors |= check_files(files, known)
    for code in mandatory_codes(item.materials):
        if not files.get(code):
            errors.setdefault(f"materials.{code}", "required material missing")
    return cleaned, errors


def open_case(
    *,
    item: ServiceItem,
    applicant: User | None,
    kind: str,
    name: str,
    identifier: str,
    phone: str,
    channel: str,
    form: dict[str, str],
    files: Files,
    actor: Any,
) -> Case:
    """Create the case with its number and materials, and record ApplicationSubmitted."""
    now = timezone.now()
    region = item.department.region_id
    day = timezone.localtime(now).date()
    sequence = next_sequence(f"case:{region}:{day:%Y%m%d}")
    case = Case.objects.create(
        number=case_number(region, day, sequence),
        item=item,
        department=item.department,
        region_id=region,
        applicant=applicant,
        applicant_kind=kind,
        applicant_name=name.strip(),
        applicant_identifier=identifier.strip().upper(),
        applicant_phone=phone,
        channel=channel,
        form_data=form,
        status=Case.Status.SUBMITTED,
        statutory_limit_days=item.statutory_limit_days,
        promised_limit_days=item.promised_limit_days,
        received_at=now,
    )
    names = {m["code"]: m["name"] for m in item.materials}
    materials = store_files(case, files, names, 0)
    data = {
        "channel": channel,
        "applicant_kind": kind,
        "received_at": utc_text(case.received_at),
        "statutory_limit_days": item.statutory_limit_days,
        "promised_limit_days": item.promised_limit_days,
        "materials": materials,
        "fees": [{"name": f["name"], "amount_fen": f["amount_fen"]} for f in item.fees],
        "applicant": {  # for the supervision engine's data checks (issue 5)
            "kind": kind,
            "name": case.applicant_name,
            "id_type": "credit_code" if kind == Case.ApplicantKind.ENTERPRISE else "resident_id",
            "identifier": case.applicant_identifier,
        },
    }
    record_step(
        case=case,
        event_type=CaseEvent.APPLICATION_SUBMITTED,
        actor=actor,
        data=data,
        summary=f"{name} 申请 {item.name}（{channel}）",
        at=now,
    )
    return case


def public_identity(applicant: User) -> tuple[str, str]:
    """The applicant's kind and ID number from their account."""
    account = getattr(applicant, "public_account", None)
    if applicant.kind == User.Kind.ENTERPRISE:
        return Case.ApplicantKind.ENTERPRISE, account.credit_code if account else ""
    return Case.ApplicantKind.CITIZEN, account.resident_id if account else ""


def submit_application(
    *,
    applicant: User,
    item_code: str,
    form: Mapping[str, Any],
    files: Files | None = None,
    address: str | None = None,
) -> Case:
    """A citizen or enterprise applies online (网上申请); returns the new case.

    ``address`` is the client's address, for the per-address limit; each
    account is limited too (RATE_LIMITED, see ``submission_limits``).
    """
    files = files or {}
    with transaction.atomic(durable=True):
        if not is_public(applicant) or not applicant.is_active:
            raise ApprovalError(
                ErrorCode.PERMISSION_DENIED, "only citizen and enterprise accounts apply online"
            )
        item = find_active_item(item_code)
        if not item.online:
            raise ApprovalError(
                ErrorCode.ITEM_INACTIVE,
                "this item is not handled online",
                {"item_code": "not online"},
            )
        kind, identifier = public_identity(applicant)
        name = applicant.display_name or applicant.get_username()
        errors = {
            f"applicant.{k}": v for k, v in applicant_problems(kind, name, identifier).items()
        }
        cleaned, problems = application_problems(item, form, files)
        errors |= problems
        if errors:
            raise ApprovalError(ErrorCode.INVALID_INPUT, refusal_message(errors), errors)
        count_submission(applicant=applicant, address=address, now=timezone.now())
        phone = getattr(getattr(applicant, "public_account", None), "phone", "") or ""
        return open_case(
            item=item,
            applicant=applicant,
            kind=kind,
            name=name,
            identifier=identifier,
            phone=phone,
            channel=Case.Channel.ONLINE,
            form=cleaned,
            files=files,
            actor=applicant,
        )


def register_walk_in(
    *,
    actor: User,
    item_code: str,
    applicant_kind: str,
    applicant_name: str,
    applicant_identifier: str,
    applicant_phone: str = "",
    form: Mapping[str, Any],
    files: Files | None = None,
) -> Case:
    """A clerk registers an application handed in at the window (窗口收件)."""
    files = files or {}
    with transaction.atomic(durable=True):
        item = find_active_item(item_code)
        if is_public(actor) or not permissions_allow(actor, item):
            raise ApprovalError(
                ErrorCode.PERMISSION_DENIED,
                f"{actor} may not register cases for {item.department.code}",
            )
        errors = applicant_problems(
            applicant_kind, applicant_name, applicant_identifier, applicant_phone
        )
        cleaned, problems = application_problems(item, form, files)
        errors |= problems
        if errors:
            raise ApprovalError(ErrorCode.INVALID_INPUT, refusal_message(errors), errors)
        return open_case(
            item=item,
            applicant=None,
            kind=applicant_kind,
            name=applicant_name,
            identifier=applicant_identifier,
            phone=applicant_phone.strip(),
            channel=Case.Channel.WALK_IN,
            form=cleaned,
            files=files,
            actor=actor,
        )


def permissions_allow(actor: User, item: ServiceItem) -> bool:
    """May the clerk register walk-in cases for the item's department?"""
    return may(actor, permissions.REGISTER_WALK_IN, item.department)


CLOSING_EVENTS = {
    Action.WITHDRAW: CaseEvent.CASE_WITHDRAWN,
    Action.TERMINATE: CaseEvent.CASE_TERMINATED,
}


def close_case(case: Case, action: Action, actor: User, reason: str, *, summary: str) -> Case:
    """Close the case before a decision (撤回 or 终止), recording the reason as a step."""
    case.status = move(case, action)
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "closed_at"])
    record_step(
        case=case,
        event_type=CLOSING_EVENTS[action],
        actor=actor,
        data={"reason": reason.strip()},
        summary=f"{summary}：{reason.strip()}",
        at=case.closed_at,
    )
    return case


def withdraw_application(*, actor: User, number: str, reason: str = "") -> Case:
    """The applicant withdraws the application (撤回申请); the clock stops."""
    with transaction.atomic(durable=True):
        case = access_case(actor, number)
        if not is_applicant(actor, case):
            raise ApprovalError(ErrorCode.NOT_APPLICANT, "only the applicant may withdraw")
        text = clean_texts(reason=(reason, NOTE))["reason"]
        return close_case(case, Action.WITHDRAW, actor, text, summary="申请人撤回")


def terminate_case(*, actor: User, number: str, reason: str) -> Case:
    """A leader terminates a case (终止办理), for example when the applicant died."""
    with transaction.atomic(durable=True):
        case = access_case(actor, number)
        require(actor, permissions.TERMINATE, case)
        text = clean_texts(reason=(reason, REQUIRED_NOTE))["reason"]
        return close_case(case, Action.TERMINATE, actor, text, summary="终止办理")
