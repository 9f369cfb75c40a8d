"""What supervisors do with a finding (监察发现处置): notices, responses, close, escalate.

The lifecycle (issue 5, item 4)::

    open ──issue_notice──▶ noticed ──respond_to_notice──▶ responded
      ▲                      ▲                               │
      │                      └────────reject_response────────┤
      │                                                      └─accept_response─▶ closed
    escalated ◀──escalate_finding── open / noticed / responded
    open / escalated ──dismiss_finding──▶ dismissed

* A supervisor (SUPERVISE over the finding's region) issues a supervision
  notice (督办通知) to the department, with a due date in working days and
  instructions.
* The department (RESPOND at that organisation) explains or reports its
  rectification (情况说明 / 整改报告).
* The supervisor accepts (the finding is closed), rejects (back to the
  department with a new due date) or escalates to the supervisors of the
  parent region, who then hold the finding: only supervisors covering
  ``escalated_to`` may act on it from then on.

Every step is one transaction with an audit entry and an event
(``NoticeIssued``, ``NoticeResponded``, ``NoticeRejected``, ``FindingClosed``,
``FindingEscalated``, ``FindingDismissed``). A refused step raises
:class:`~egov.supervision.errors.SupervisionError` and writes nothing.
Reaching a finding or a notice answers "not found" alike for a missing one
and one the actor may not see.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable
from typing import Any, Generic, ParamSpec, TypeVar

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from egov.core.events import publish
from egov.core.models import Organisation, Region, RoleAssignment, User
from egov.core.permissions import may, scopes_for
from egov.core.selectors.calendar import add_working_days
from egov.core.services.audit import record_audit
from egov.core.text_input import TextInputError, check_text
from egov.supervision import permissions
from egov.supervision.errors import ErrorCode, SupervisionError
from egov.supervision.models import Alert, Finding, Severity, SupervisionNotice

MAX_DUE_DAYS = 60
MAX_TEXT = 4000  # instructions, responses, review notes and reasons (characters)
FINAL = (Finding.Status.CLOSED, Finding.Status.DISMISSED)
ACTIVE_NOTICE = (
    SupervisionNotice.Status.SENT,
    SupervisionNotice.Status.RESPONDED,
    SupervisionNotice.Status.REJECTED,
)
AWAITING_RESPONSE = (SupervisionNotice.Status.SENT, SupervisionNotice.Status.REJECTED)


# --- Reaching findings and notices -------------------------------------------------------


def covers_path(user: Any, action: str, region_path: str) -> bool:
    """Does one of the user's grants for ``action`` cover this region path?"""
    return bool(region_path) and any(
        region_path.startswith(grant.region_path) for grant in scopes_for(user, action)
    )


def acting_path(finding: Finding) -> str:
    """Where a finding is handled: the region it was escalated to, else its own."""
    if finding.escalated_to is not None:
        return finding.escalated_to.path
    return finding.region_path


def not_found(what: str, key: Any) -> SupervisionError:
    return SupervisionError(ErrorCode.NOT_FOUND, f"no {what} {key!r}", {what: "not found"})


def access_finding(actor: Any, finding_id: Any, *, lock: bool = True) -> Finding:
    """The finding if the actor may view it (VIEW over its region), locked when asked."""
    try:
        pk = int(finding_id)
    except (TypeError, ValueError):
        raise not_found("finding", finding_id) from None
    query = Finding.objects.select_related("escalated_to", "organisation")
    if lock:
        query = query.select_for_update(of=("self",))
    finding = query.filter(pk=pk).first()
    if finding is None or not covers_path(actor, permissions.VIEW, finding.region_path):
        raise not_found("finding", finding_id)
    return finding


def may_respond(actor: Any, notice: SupervisionNotice) -> bool:
    return may(actor, permissions.RESPOND, notice.department)


def access_notice(actor: Any, number: str, *, lock: bool = True) -> SupervisionNotice:
    """The notice if the actor supervises its finding's region or answers for its department."""
    query = SupervisionNotice.objects.select_related(
        "finding", "finding__escalated_to", "department"
    )
    if lock:
        query = query.select_for_update(of=("self",))
    notice = query.filter(number=str(number or "").strip()).first()
    if notice is None:
        raise not_found("notice", number)
    visible = covers_path(actor, permissions.VIEW, notice.finding.region_path)
    if not visible and not may_respond(actor, notice):
        raise not_found("notice", number)
    return notice


def require_supervise(actor: Any, finding: Finding) -> None:
    """Refuse unless the actor supervises the region where the finding is handled."""
    if not covers_path(actor, permissions.SUPERVISE, acting_path(finding)):
        where = "escalated to a higher level" if finding.escalated_to_id else "outside your region"
        raise SupervisionError(
            ErrorCode.PERMISSION_DENIED, f"finding {finding.pk} is {where}: you may not act on it"
        )


def lock_finding(finding: Finding) -> Finding:
    query = Finding.objects.select_for_update(of=("self",)).select_related("escalated_to")
    return query.get(pk=finding.pk)


# --- Checks --------------------------------------------------------------------------------


def clean_text(value: Any, field: str, *, required: bool = True) -> str:
    """Typed text of at most MAX_TEXT characters, lines allowed (egov.core.text_input)."""
    try:
        return check_text(value, max_length=MAX_TEXT, multiline=True, required=required)
    except TextInputError as exc:
        raise SupervisionError(
            ErrorCode.INVALID_INPUT, f"invalid input: {field}: {exc}", {field: str(exc)}
        ) from None


def clean_due_days(value: Any, field: str = "due_days") -> int:
    try:
        days = int(str(value).strip())
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_DUE_DAYS:
        raise SupervisionError(
            ErrorCode.INVALID_INPUT,
            f"{field} must be 1 to {MAX_DUE_DAYS} working days",
            {field: f"a whole number of working days from 1 to {MAX_DUE_DAYS}, got {value!r}"},
        )
    return days


def refuse_state(what: str, status: str, allowed: tuple[str, ...]) -> SupervisionError:
    return SupervisionError(
        ErrorCode.WRONG_STATE,
        f"{what} is {status}; this step needs {' or '.join(allowed)}",
        {"status": status},
    )


def department_of(finding: Finding) -> Organisation:
    department = (
        finding.organisation or Organisation.objects.filter(code=finding.department_code).first()
    )
    if department is None:
        raise SupervisionError(
            ErrorCode.NO_DEPARTMENT,
            f"department {finding.department_code!r} is not a known organisation",
            {"department_code": "no organisation with this code to send the notice to"},
        )
    return department


# --- Recording -------------------------------------------------------------------------------


def record_step(
    *, actor: Any, event_type: str, finding: Finding, summary: str, data: dict[str, Any]
) -> None:
    """The step's audit entry and event, in the caller's transaction."""
    record_audit(
        actor=actor,
        action=f"supervision.{event_type}",
        object_type="supervision.Finding",
        object_id=str(finding.pk),
        summary=summary[:500],
    )
    payload = {
        "finding_id": finding.pk,
        "rule_code": finding.rule_code,
        "category": finding.category,
        "severity": finding.severity,
        "case_number": finding.case_number,
        "department_code": finding.department_code,
        "status": finding.status,
        "actor": getattr(actor, "username", str(actor)),
        **data,
    }
    publish(event_type, payload, aggregate=f"finding:{finding.pk}")


def new_notice_number(notice: SupervisionNotice) -> str:
    """督办 number: DB, the year and the row id (unique, no counter to contend on)."""
    return f"DB{timezone.localtime(notice.issued_at):%Y}{notice.pk:08d}"


# --- The steps -------------------------------------------------------------------------------

P = ParamSpec("P")
R = TypeVar("R")


class TopLevel(Generic[P, R]):
    """A step run in its own durable transaction; ``.nested`` is the step itself."""

    def __init__(self, step: Callable[P, R]) -> None:
        self.nested = step
        functools.update_wrapper(self, step)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic(durable=True):
            return self.nested(*args, **kwargs)


def top_level(step: Callable[P, R]) -> TopLevel[P, R]:
    """Run the step in its own durable transaction; ``step.nested`` joins the caller's.

    The pages and the API call the step itself (one transaction each); a
    loader already inside a transaction (the demo data) calls ``.nested``.
    """
    return TopLevel(step)


@top_level
def issue_notice(
    *, actor: Any, finding_id: Any, due_days: Any, instructions: str
) -> SupervisionNotice:
    """Send the department a supervision notice (督办) about the finding."""
    with transaction.atomic():
        finding = access_finding(actor, finding_id)
        require_supervise(actor, finding)
        allowed = (Finding.Status.OPEN, Finding.Status.ESCALATED)
        if finding.status not in allowed:
            raise refuse_state(f"finding {finding.pk}", finding.status, allowed)
        days = clean_due_days(due_days)
        text = clean_text(instructions, "instructions")
        department = department_of(finding)
        now = timezone.now()
        notice = SupervisionNotice.objects.create(
            number=uuid.uuid4().hex[:32],
            finding=finding,
            department=department,
            issued_by=actor,
            issued_at=now,
            due_on=add_working_days(timezone.localdate(now), days),
            instructions=text,
        )
        notice.number = new_notice_number(notice)
        notice.save(update_fields=["number"])
        alert_department(notice)
        finding.status = Finding.Status.NOTICED
        finding.save(update_fields=["status"])
        record_step(
            actor=actor,
            event_type="NoticeIssued",
            finding=finding,
            summary=f"督办 {notice.number} 致 {department.name}，{notice.due_on} 前反馈",
            data=notice_data(notice),
        )
        return notice


def notice_data(notice: SupervisionNotice) -> dict[str, Any]:
    return {
        "notice": notice.number,
        "notice_status": notice.status,
        "department": notice.department.code,
        "due_on": notice.due_on.isoformat(),
    }


@top_level
def respond_to_notice(*, actor: Any, number: str, kind: str, text: str) -> SupervisionNotice:
    """The department explains or reports its rectification (情况说明 / 整改报告)."""
    with transaction.atomic():
        notice = access_notice(actor, number)
        if not may_respond(actor, notice):
            raise SupervisionError(
                ErrorCode.PERMISSION_DENIED,
                f"only {notice.department.name} answers notice {notice.number}",
            )
        if notice.status not in AWAITING_RESPONSE:
            raise refuse_state(f"notice {notice.number}", notice.status, AWAITING_RESPONSE)
        if kind not in SupervisionNotice.ResponseKind.values:
            raise SupervisionError(
                ErrorCode.INVALID_INPUT,
                "unknown response kind",
                {"kind": f"one of {', '.join(SupervisionNotice.ResponseKind.values)}"},
            )
        notice.response = clean_text(text, "text")
        notice.response_kind = kind
        notice.responded_by = actor
        notice.responded_at = timezone.now()
        notice.status = SupervisionNotice.Status.RESPONDED
        notice.save()
        finding = lock_finding(notice.finding)
        finding.status = Finding.Status.RESPONDED
        finding.save(update_fields=["status"])
        record_step(
            actor=actor,
            event_type="NoticeResponded",
            finding=finding,
            summary=(
                f"{notice.department.name} 反馈督办 {notice.number}"
                f"（{notice.get_response_kind_display()}）"
            ),
            data=notice_data(notice) | {"response_kind": kind},
        )
        return notice


def reviewable_notice(actor: Any, number: str) -> tuple[SupervisionNotice, Finding]:
    """A responded notice the actor supervises, and its locked finding."""
    notice = access_notice(actor, number)
    finding = lock_finding(notice.finding)
    require_supervise(actor, finding)
    allowed = (SupervisionNotice.Status.RESPONDED,)
    if notice.status not in allowed:
        raise refuse_state(f"notice {notice.number}", notice.status, allowed)
    return notice, finding


def review(notice: SupervisionNotice, actor: Any, status: str, note: str) -> None:
    notice.status = status
    notice.reviewed_by = actor
    notice.reviewed_at = timezone.now()
    notice.review_note = note


@top_level
def accept_response(*, actor: Any, number: str, note: str = "") -> SupervisionNotice:
    """The supervisor accepts the department's response: the finding is closed (办结)."""
    with transaction.atomic():
        notice, finding = reviewable_notice(actor, number)
        review(
            notice,
            actor,
            SupervisionNotice.Status.ACCEPTED,
            clean_text(note, "note", required=False),
        )
        notice.save()
        finding.status = Finding.Status.CLOSED
        finding.closed_at = notice.reviewed_at
        finding.save(update_fields=["status", "closed_at"])
        record_step(
            actor=actor,
            event_type="FindingClosed",
            finding=finding,
            summary=f"认可督办 {notice.number} 的反馈，发现办结",
            data=notice_data(notice),
        )
        return notice


@top_level
def reject_response(*, actor: Any, number: str, note: str, due_days: Any) -> SupervisionNotice:
    """The supervisor sends the response back (退回重办) with a new due date."""
    with transaction.atomic():
        notice, finding = reviewable_notice(actor, number)
        text = clean_text(note, "note")
        days = clean_due_days(due_days)
        review(notice, actor, SupervisionNotice.Status.REJECTED, text)
        notice.due_on = add_working_days(timezone.localdate(), days)
        notice.save()
        finding.status = Finding.Status.NOTICED
        finding.save(update_fields=["status"])
        record_step(
            actor=actor,
            event_type="NoticeRejected",
            finding=finding,
            summary=f"退回督办 {notice.number} 的反馈：{text}",
            data=notice_data(notice),
        )
        return notice


def escalation_target(actor: Any, finding: Finding) -> Region:
    """The parent of the region where the actor supervises this finding."""
    path = acting_path(finding)
    grants = [g for g in scopes_for(actor, permissions.SUPERVISE) if path.startswith(g.region_path)]
    deepest = max(grants, key=lambda grant: len(grant.region_path))
    codes = [code for code in deepest.region_path.split("/") if code]
    if len(codes) < 2:
        raise SupervisionError(
            ErrorCode.CANNOT_ESCALATE,
            "the province's supervisors have no higher level to escalate to",
        )
    return Region.objects.get(code=codes[-2])


@top_level
def escalate_finding(*, actor: Any, finding_id: Any, reason: str) -> Finding:
    """Hand the finding to the supervisors of the parent region (升级督办)."""
    with transaction.atomic():
        finding = access_finding(actor, finding_id)
        require_supervise(actor, finding)
        if finding.status in FINAL:
            allowed = tuple(s for s in Finding.Status.values if s not in FINAL)
            raise refuse_state(f"finding {finding.pk}", finding.status, allowed)
        text = clean_text(reason, "reason")
        target = escalation_target(actor, finding)
        active = SupervisionNotice.objects.select_for_update().filter(
            finding=finding, status__in=ACTIVE_NOTICE
        )
        for notice in active:
            review(notice, actor, SupervisionNotice.Status.ESCALATED, text)
            notice.save()
        finding.status = Finding.Status.ESCALATED
        finding.escalated_to = target
        finding.save(update_fields=["status", "escalated_to"])
        alert_supervisors(finding, target)
        record_step(
            actor=actor,
            event_type="FindingEscalated",
            finding=finding,
            summary=f"发现升级至{target.name}监察员：{text}",
            data={"escalated_to": target.code, "reason": text},
        )
        return finding


def alert_supervisors(finding: Finding, region: Region) -> None:
    """Alert the supervisors at the organisations of ``region`` (plain: nests)."""
    users = (
        RoleAssignment.objects.filter(
            role="supervisor", organisation__region=region, user__is_active=True
        )
        .values_list("user_id", flat=True)
        .distinct()
    )
    now = timezone.now()
    Alert.objects.bulk_create(
        [
            Alert(
                recipient_id=user_id,
                kind="escalation",
                level=Severity.RED,
                case_number=finding.case_number,
                message=f"监察发现 {finding.pk}（{finding.summary[:80]}）已升级至本级督办",
                fingerprint=f"escalation:{finding.pk}:{region.code}:{user_id}",
                created_at=now,
            )
            for user_id in users
        ],
        ignore_conflicts=True,
    )


def alert_department(notice: SupervisionNotice) -> None:
    """Alert the leaders of the department and of the body directly above it (plain: nests)."""
    department = notice.department
    places = [department.pk] + ([department.parent_id] if department.parent_id else [])
    users = (
        RoleAssignment.objects.filter(
            role="leader", organisation_id__in=places, user__is_active=True
        )
        .values_list("user_id", flat=True)
        .distinct()
    )
    Alert.objects.bulk_create(
        [
            Alert(
                recipient_id=user_id,
                kind="notice",
                level=Severity.YELLOW,
                case_number=notice.finding.case_number,
                message=(
                    f"{department.name}收到督办通知 {notice.number}，请于 {notice.due_on} 前反馈"
                )[:300],
                fingerprint=f"notice:{notice.pk}:{user_id}",
                created_at=notice.issued_at,
            )
            for user_id in users
        ],
        ignore_conflicts=True,
    )


@top_level
def dismiss_finding(*, actor: Any, finding_id: Any, reason: str) -> Finding:
    """Withdraw a finding that was raised in error (撤销), with the reason."""
    with transaction.atomic():
        finding = access_finding(actor, finding_id)
        require_supervise(actor, finding)
        allowed = (Finding.Status.OPEN, Finding.Status.ESCALATED)
        if finding.status not in allowed:
            raise refuse_state(f"finding {finding.pk}", finding.status, allowed)
        text = clean_text(reason, "reason")
        finding.status = Finding.Status.DISMISSED
        finding.closed_at = timezone.now()
        finding.save(update_fields=["status", "closed_at"])
        record_step(
            actor=actor,
            event_type="FindingDismissed",
            finding=finding,
            summary=f"撤销发现：{text}",
            data={"reason": text},
        )
        return finding


# --- Reads --------------------------------------------------------------------------------------


def is_overdue(notice: SupervisionNotice, today: dt.date | None = None) -> bool:
    """Has the notice's due date passed without a response (逾期未反馈)?"""
    today = today or timezone.localdate()
    return notice.status in AWAITING_RESPONSE and notice.due_on < today


def department_notices(user: User) -> QuerySet[SupervisionNotice]:
    """The notices sent to the departments the user answers for (RESPOND), newest first."""
    paths = [grant.organisation_path for grant in scopes_for(user, permissions.RESPOND)]
    if not paths:
        return SupervisionNotice.objects.none()
    from django.db.models import Q

    scope = Q()
    for path in paths:
        scope |= Q(department__path__startswith=path)
    return (
        SupervisionNotice.objects.filter(scope)
        .select_related("finding", "department", "issued_by")
        .order_by("-issued_at")
    )
