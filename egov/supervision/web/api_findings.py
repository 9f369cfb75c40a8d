"""Findings, notices, complaints and alerts over the API (/api/v1/supervision/…).

The same services as the pages, with a signed-in session (``django_auth``,
which checks the CSRF token). Refusals answer ``{"code", "message",
"errors": [{"field", "reason"}]}`` with the code from
:class:`~egov.supervision.errors.ErrorCode`: 400 bad input, 403 a role is
missing, 404 not found (missing and forbidden alike), 409 out of order.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from egov.core.api_errors import ErrorOut
from egov.core.pagination import paginated
from egov.core.schema_text import CodeText
from egov.core.typed_requests import signed_in_user
from egov.supervision.errors import ErrorCode, SupervisionError
from egov.supervision.findings import complaints, selectors
from egov.supervision.findings import handling as findings
from egov.supervision.statistics import alerts

router = Router(tags=["supervision"])

STATUS_OF = {
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.PERMISSION_DENIED: 403,
    ErrorCode.WRONG_STATE: 409,
    ErrorCode.CANNOT_ESCALATE: 409,
    ErrorCode.NO_DEPARTMENT: 409,
}


PROBLEMS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def answers_supervision_errors(view: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a SupervisionError into its status and JSON body."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return view(request, *args, **kwargs)
        except SupervisionError as exc:
            return Status(STATUS_OF.get(exc.code, 400), exc.as_dict())

    return wrapper


class FindingOut(Schema):
    id: int
    rule_code: str
    category: str
    severity: str
    status: str
    case_number: str
    item_code: str
    department_code: str
    region_path: str
    summary: str
    evidence: dict[str, Any]
    found_at: dt.datetime
    closed_at: dt.datetime | None
    escalated_to: str | None = None

    @staticmethod
    def resolve_escalated_to(obj: Any) -> str | None:
        return obj.escalated_to_id


class NoticeOut(Schema):
    number: str
    finding_id: int
    department: str
    status: str
    due_on: dt.date
    instructions: str
    response_kind: str
    response: str
    review_note: str
    overdue: bool

    @staticmethod
    def resolve_department(obj: Any) -> str:
        return obj.department.code

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        return findings.is_overdue(obj)


SupervisionText = Annotated[str, Field(max_length=findings.MAX_TEXT)]


# Working days a department is given to answer (findings.clean_due_days refuses others).
DueDays = Annotated[int, Field(ge=1, le=findings.MAX_DUE_DAYS)]


class NoticeIn(Schema):
    due_days: DueDays
    instructions: SupervisionText


class ResponseIn(Schema):
    kind: CodeText
    text: SupervisionText


class ReviewIn(Schema):
    note: SupervisionText = ""
    due_days: DueDays | None = None


class ReasonIn(Schema):
    reason: SupervisionText


class ComplaintIn(Schema):
    case_number: str = Field(..., max_length=complaints.NUMBER_MAX)
    category: str = Field(..., json_schema_extra={"enum": list(complaints.CATEGORIES)})
    text: str = Field(..., max_length=complaints.TEXT_MAX)
    contact: str = Field("", max_length=complaints.CONTACT_MAX)


class ComplaintOut(Schema):
    number: str
    case_number: str
    category: str
    finding_id: int | None


class AlertOut(Schema):
    id: int
    kind: str
    level: str
    case_number: str
    message: str
    created_at: dt.datetime
    read_at: dt.datetime | None


@router.get("/findings", response={200: list[FindingOut], 403: ErrorOut}, auth=django_auth)
@paginated
def list_findings(
    request: HttpRequest,
    rule: str = "",
    category: str = "",
    severity: str = "",
    status: str = "",
    department: str = "",
    case: str = "",
) -> Any:
    """The findings the caller may view (VIEW over their region), newest first."""
    filters = selectors.FindingFilters(rule, category, severity, status, department, case)
    return selectors.findings_list(request.user, filters)


@router.get("/findings/{finding_id}", response={200: FindingOut, **PROBLEMS}, auth=django_auth)
@answers_supervision_errors
def get_finding(request: HttpRequest, finding_id: int) -> Any:
    """One finding with its evidence."""
    return findings.access_finding(request.user, finding_id, lock=False)


@router.post(
    "/findings/{finding_id}/notices", response={201: NoticeOut, **PROBLEMS}, auth=django_auth
)
@answers_supervision_errors
def issue_notice(request: HttpRequest, finding_id: int, body: NoticeIn) -> Any:
    """Send the department a supervision notice (督办) about the finding."""
    notice = findings.issue_notice(
        actor=request.user,
        finding_id=finding_id,
        due_days=body.due_days,
        instructions=body.instructions,
    )
    return Status(201, notice)


@router.post(
    "/findings/{finding_id}/escalate", response={200: FindingOut, **PROBLEMS}, auth=django_auth
)
@answers_supervision_errors
def escalate(request: HttpRequest, finding_id: int, body: ReasonIn) -> Any:
    """Hand the finding to the parent region's supervisors (升级)."""
    return findings.escalate_finding(actor=request.user, finding_id=finding_id, reason=body.reason)


@router.post(
    "/findings/{finding_id}/dismiss", response={200: FindingOut, **PROBLEMS}, auth=django_auth
)
@answers_supervision_errors
def dismiss(request: HttpRequest, finding_id: int, body: ReasonIn) -> Any:
    """Withdraw a finding raised in error (撤销)."""
    return findings.dismiss_finding(actor=request.user, finding_id=finding_id, reason=body.reason)


@router.get("/notices/{number}", response={200: NoticeOut, **PROBLEMS}, auth=django_auth)
@answers_supervision_errors
def get_notice(request: HttpRequest, number: str) -> Any:
    """One notice, for its supervisors and its department."""
    return findings.access_notice(request.user, number, lock=False)


@router.post("/notices/{number}/response", response={200: NoticeOut, **PROBLEMS}, auth=django_auth)
@answers_supervision_errors
def respond(request: HttpRequest, number: str, body: ResponseIn) -> Any:
    """The department's explanation or rectification report (情况说明 / 整改报告)."""
    return findings.respond_to_notice(
        actor=request.user, number=number, kind=body.kind, text=body.text
    )


@router.post("/notices/{number}/accept", response={200: NoticeOut, **PROBLEMS}, auth=django_auth)
@answers_supervision_errors
def accept(request: HttpRequest, number: str, body: ReviewIn) -> Any:
    """Accept the response: the finding is closed."""
    return findings.accept_response(actor=request.user, number=number, note=body.note)


@router.post("/notices/{number}/reject", response={200: NoticeOut, **PROBLEMS}, auth=django_auth)
@answers_supervision_errors
def reject(request: HttpRequest, number: str, body: ReviewIn) -> Any:
    """Send the response back with a new due date (退回重办)."""
    return findings.reject_response(
        actor=request.user, number=number, note=body.note, due_days=body.due_days or ""
    )


@router.post("/complaints", response={201: ComplaintOut, **PROBLEMS}, auth=django_auth)
@answers_supervision_errors
def complain(request: HttpRequest, body: ComplaintIn) -> Any:
    """A citizen's or enterprise's complaint about one of its cases (效能投诉)."""
    complaint = complaints.submit_complaint(
        actor=request.user,
        case_number=body.case_number,
        category=body.category,
        text=body.text,
        contact=body.contact,
    )
    return Status(201, complaint)


@router.get("/alerts", response={200: list[AlertOut], 403: ErrorOut}, auth=django_auth)
@paginated
def my_alerts(request: HttpRequest, unread: bool = False) -> Any:
    """The caller's alerts (我的提醒), unread first."""
    rows = alerts.my_alerts(signed_in_user(request))
    return rows.filter(read_at__isnull=True) if unread else rows
