"""Complaints about how a case was handled (效能投诉).

A citizen or enterprise account (COMPLAIN) complains online about one of its
own cases: the case number, a category and the text. The case must be known
to the supervision engine and be the complainant's own (submitted online
from this account, or naming the account's resident ID or credit code as the
applicant); a case that does not exist and someone else's case get the same
answer, "not found", so the form never reveals other people's cases.

A complaint becomes a finding (category ``complaint``, rule
``complaint.efficiency``, severity yellow) in the case's region, which enters
the same lifecycle as any rule hit: notice, response, close or escalate. The
complainant follows it on their complaints page.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.core.events import publish
from egov.core.permissions import may
from egov.core.services.audit import record_audit
from egov.core.text_input import TextLimit, text_problems
from egov.supervision import permissions
from egov.supervision.errors import ErrorCode, SupervisionError
from egov.supervision.models import (
    CaseEvent,
    Complaint,
    Finding,
    Severity,
    SupervisedCase,
    SupervisionNotice,
)

RULE_CODE = "complaint.efficiency"
CATEGORY = "complaint"
CATEGORIES = {
    "delay": _("办理拖延、超期"),
    "runaround": _("多次跑腿、重复提交材料"),
    "fees": _("乱收费"),
    "attitude": _("服务态度"),
    "irregular": _("违规办理"),
    "other": _("其他"),
}
TEXT_MIN, TEXT_MAX, CONTACT_MAX, NUMBER_MAX = 5, 2000, 64, 32


def input_errors(
    case_number: Any, category: Any, text: Any, contact: Any
) -> tuple[dict[str, str], dict[str, str]]:
    """The cleaned texts, and each bad field and why."""
    texts, errors = text_problems(
        {
            "case_number": (case_number, TextLimit(NUMBER_MAX, required=True)),
            "category": (category, TextLimit(NUMBER_MAX)),
            "text": (text, TextLimit(TEXT_MAX, multiline=True)),
            "contact": (contact, TextLimit(CONTACT_MAX)),
        }
    )
    if "category" not in errors and texts["category"] not in CATEGORIES:
        errors["category"] = f"one of {', '.join(CATEGORIES)}"
    if "text" not in errors and len(texts["text"]) < TEXT_MIN:
        errors["text"] = f"at least {TEXT_MIN} characters: say what went wrong"
    texts["case_number"] = texts.get("case_number", "").upper()
    return texts, errors


def identifiers_of(actor: Any) -> list[str]:
    """The account's resident ID and credit code, where it has them."""
    account = getattr(actor, "public_account", None)
    values = [getattr(account, "resident_id", ""), getattr(account, "credit_code", "")]
    return [value for value in values if value]


def own_case(actor: Any, case_number: str) -> SupervisedCase:
    """The complainant's own case known to supervision; NOT_FOUND alike otherwise."""
    case = SupervisedCase.objects.filter(case_number=case_number).first()
    submitted = CaseEvent.objects.filter(case_number=case_number, type="ApplicationSubmitted")
    mine = Q(payload__actor__kind="applicant", payload__actor__id=actor.get_username())
    for identifier in identifiers_of(actor):
        mine |= Q(payload__data__applicant__identifier=identifier)
    if case is None or not submitted.filter(mine).exists():
        raise SupervisionError(
            ErrorCode.NOT_FOUND,
            f"no case {case_number!r} of yours is known",
            {"case_number": "not found among your cases"},
        )
    return case


def submit_complaint(
    *, actor: Any, case_number: str, category: str, text: str, contact: str = ""
) -> Complaint:
    """File a complaint about one of the actor's cases; it becomes a finding (投诉)."""
    with transaction.atomic(durable=True):
        if not may(actor, permissions.COMPLAIN):
            raise SupervisionError(
                ErrorCode.PERMISSION_DENIED,
                "complaints are filed from a citizen or enterprise account",
            )
        texts, errors = input_errors(case_number, category, text, contact)
        if errors:
            field, reason = next(iter(errors.items()))
            message = f"the complaint is incomplete: {field}: {reason}"
            raise SupervisionError(ErrorCode.INVALID_INPUT, message, errors)
        number_text, body, reach = texts["case_number"], texts["text"], texts["contact"]
        category = texts["category"]
        case = own_case(actor, number_text)
        now = timezone.now()
        finding = Finding.objects.create(
            fingerprint=f"complaint:{uuid.uuid4().hex}",
            rule_code=RULE_CODE,
            category=CATEGORY,
            severity=Severity.YELLOW,
            case_number=case.case_number,
            item_code=case.item_code,
            department_code=case.department_code,
            region_path=case.region_path,
            organisation=case.organisation,
            summary=f"效能投诉（{CATEGORIES[category]}）：{body[:200]}",
            evidence={"category": category, "text": body},
            found_at=now,
        )
        complaint = Complaint.objects.create(
            number=uuid.uuid4().hex[:32],
            complainant=actor,
            case_number=case.case_number,
            category=category,
            text=body,
            contact=reach,
            submitted_at=now,
            finding=finding,
        )
        complaint.number = f"TS{timezone.localtime(now):%Y}{complaint.pk:08d}"
        complaint.save(update_fields=["number"])
        finding.evidence = finding.evidence | {"complaint": complaint.number}
        finding.save(update_fields=["evidence"])
        announce(complaint, finding, actor)
        return complaint


def announce(complaint: Complaint, finding: Finding, actor: Any) -> None:
    record_audit(
        actor=actor,
        action="supervision.ComplaintSubmitted",
        object_type="supervision.Complaint",
        object_id=complaint.number,
        summary=f"效能投诉 {complaint.number}：办件 {complaint.case_number}",
        organisation=finding.department_code[:32],
    )
    publish(
        "ComplaintSubmitted",
        {
            "complaint": complaint.number,
            "finding_id": finding.pk,
            "case_number": complaint.case_number,
            "category": complaint.category,
            "department_code": finding.department_code,
            "region_path": finding.region_path,
        },
        aggregate=f"finding:{finding.pk}",
    )


@dataclass(frozen=True)
class ComplaintView:
    """A complaint as its complainant sees it: where it stands and the outcome."""

    complaint: Complaint
    status: str
    status_label: str
    outcome: str


def outcome_of(finding: Finding | None) -> str:
    """The accepted answer of the department, once the finding is closed."""
    if finding is None or finding.status != Finding.Status.CLOSED:
        return ""
    notice = (
        SupervisionNotice.objects.filter(finding=finding, status=SupervisionNotice.Status.ACCEPTED)
        .order_by("-reviewed_at")
        .first()
    )
    if notice is None:
        return ""
    return notice.response


def my_complaints(user: Any) -> list[ComplaintView]:
    """The user's complaints, newest first, with their status and outcome."""
    rows: QuerySet[Complaint] = (
        Complaint.objects.filter(complainant=user)
        .select_related("finding")
        .order_by("-submitted_at")
    )
    views = []
    for complaint in rows:
        finding = complaint.finding
        status = finding.status if finding else Finding.Status.OPEN
        views.append(
            ComplaintView(
                complaint=complaint,
                status=status,
                status_label=str(Finding.Status(status).label),
                outcome=outcome_of(finding),
            )
        )
    return views
