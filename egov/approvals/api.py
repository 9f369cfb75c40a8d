"""The approvals API (/api/v1/approvals/…): catalogue, applications, case status, staff actions.

Reading the catalogue is open to everyone. Everything else needs a signed-in
session (``django_auth``, which also checks the CSRF token). Every endpoint
calls the same service or selector as the pages do. Refusals answer
``{"code", "message", "field", "errors": [{"field", "reason"}]}`` with the code from
:class:`egov.approvals.errors.ErrorCode`: 400 bad input, 403 a role or the
applicant is missing, 404 not found (missing and forbidden alike), 409 out of
order or a duplicate.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Field, Form, Router, Schema, Status
from ninja.security import django_auth

from egov.approvals import selectors, services
from egov.approvals.errors import ApprovalError, ErrorCode
from egov.approvals.models import Case
from egov.approvals.services.supplements import MISSING_MAX
from egov.core.api_errors import ErrorOut, RateLimitedOut
from egov.core.pagination import paginated
from egov.core.schema_text import CodeText, NameText, NoteText
from egov.core.services.security import submitter_address
from egov.core.text_input import CODE_MAX, NOTE_MAX
from egov.core.typed_requests import signed_in_user

# The form's JSON: every field's text within its limit, with room for names and quoting.
FORM_JSON_MAX = 256 * 1024

router = Router(tags=["approvals"])

STATUS_OF: dict[ErrorCode, int] = {
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.ITEM_NOT_FOUND: 404,
    ErrorCode.PERMISSION_DENIED: 403,
    ErrorCode.NOT_APPLICANT: 403,
    ErrorCode.WRONG_STATE: 409,
    ErrorCode.ALREADY_ACCEPTED: 409,
    ErrorCode.ACCEPTANCE_WINDOW_PASSED: 409,
    ErrorCode.NO_OPEN_SUPPLEMENT: 409,
    ErrorCode.NO_OPEN_SPECIAL_PROCEDURE: 409,
    ErrorCode.DUPLICATE_RECEIPT: 409,
    ErrorCode.DUPLICATE_LICENCE: 409,
    ErrorCode.LICENCE_ENDED: 409,
}


ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def answers_approval_errors(view: Callable[..., Any]) -> Callable[..., Any]:
    """Turn an ApprovalError into its status and JSON body."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return view(request, *args, **kwargs)
        except ApprovalError as exc:
            if exc.code is ErrorCode.RATE_LIMITED:
                return rate_limited(exc)
            return Status(STATUS_OF.get(exc.code, 400), exc.as_dict())

    return wrapper


def rate_limited(exc: ApprovalError) -> HttpResponse:
    """429 with ``Retry-After`` (seconds) and the usual body, code ``rate_limited``."""
    response = JsonResponse(exc.as_dict(), status=429)
    response["Retry-After"] = str(exc.retry_after or 1)
    return response


# --- Catalogue --------------------------------------------------------------------


class ItemOut(Schema):
    code: str
    base_code: str
    name: str
    kind: str
    department: str = Field(..., alias="department.code")
    department_name: str = Field(..., alias="department.name")
    statutory_limit_days: int
    promised_limit_days: int
    online: bool


@router.get("/items", response=list[ItemOut], auth=None)
@paginated
def list_items(
    request: HttpRequest, department: str | None = None, kind: str | None = None, q: str = ""
) -> Any:
    """The catalogue (事项清单): active items, filtered by department code, kind, name."""
    items = selectors.active_items()
    if department:
        items = items.filter(department__code=department)
    if kind:
        items = items.filter(kind=kind)
    if q.strip():
        items = items.filter(name__contains=q.strip())
    return items.order_by("code")


@router.get("/items/{code}", response={200: selectors.ServiceGuide, 404: ErrorOut}, auth=None)
def get_item(request: HttpRequest, code: str) -> Any:
    """The service guide (办事指南) of one item."""
    guide = selectors.service_guide(code)
    if guide is None:
        return Status(404, {"code": ErrorCode.ITEM_NOT_FOUND.value, "message": "no such item"})
    return guide


# --- Cases --------------------------------------------------------------------------


class ClockOut(Schema):
    phase: str
    deadline: dt.date
    days_used: int
    days_left: int
    overdue: bool
    light: str
    suspended: bool
    acceptance_due: dt.date


class TimelineOut(Schema):
    type: str = Field(..., alias="event_type")
    occurred_at: dt.datetime
    actor: str
    data: dict[str, Any]


class CaseOut(Schema):
    number: str
    item_code: str
    item_name: str
    department: str
    status: str
    status_label: str
    applicant_name: str
    channel: str
    received_at: dt.datetime
    accepted_at: dt.datetime | None
    decided_at: dt.datetime | None
    licence_number: str | None
    licence_status: str | None = Field(
        ..., description="valid, revoked (撤销) or cancelled (注销); null when none was issued"
    )
    reasons: str
    remedies: str
    clock: ClockOut
    next_actions: list[str]
    timeline: list[TimelineOut]


class CaseSummaryOut(Schema):
    number: str
    item_name: str = Field(..., alias="item.name")
    status: str
    received_at: dt.datetime


def case_body(case: Case) -> dict[str, Any]:
    reading = selectors.case_clock(case)
    return {
        "number": case.number,
        "item_code": case.item.code,
        "item_name": case.item.name,
        "department": case.department.code,
        "status": case.status,
        "status_label": str(case.get_status_display()),
        "applicant_name": case.applicant_name,
        "channel": case.channel,
        "received_at": case.received_at,
        "accepted_at": case.accepted_at,
        "decided_at": case.decided_at,
        "licence_number": case.licence_number,
        "licence_status": selectors.licence_status(case),
        "reasons": case.reasons,
        "remedies": case.remedies,
        "clock": {**reading.__dict__, "phase": reading.phase.value, "light": reading.light.value},
        "next_actions": selectors.next_actions(case),
        "timeline": selectors.case_timeline(case),
    }


def parse_form(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except json.JSONDecodeError:
        value = None
    if not isinstance(value, dict):
        raise ApprovalError(
            ErrorCode.INVALID_INPUT, "form must be a JSON object", {"form": "not a JSON object"}
        )
    return value


def uploaded(request: HttpRequest) -> dict[str, list[Any]]:
    """Uploaded files by material code (each file field is named by its material's code)."""
    return {code: request.FILES.getlist(code) for code in request.FILES}


# The application as sent: the form's fields as JSON text, and the materials' files.
APPLICATION_BODY = {
    "type": "object",
    "required": ["item_code"],
    "properties": {
        "item_code": {"type": "string", "maxLength": CODE_MAX},
        "form": {
            "type": "string",
            "maxLength": FORM_JSON_MAX,
            "default": "{}",
            "contentMediaType": "application/json",
            "description": "the form's fields as a JSON object, keyed by the guide's field codes",
        },
    },
    "additionalProperties": {
        "type": "array",
        "items": {"type": "string", "format": "binary"},
        "description": "one file field per material, named by the material's code",
    },
}


@router.post(
    "/cases",
    response={201: CaseOut, **ERRORS, 429: RateLimitedOut},
    auth=django_auth,
    openapi_extra={
        "requestBody": {"content": {"multipart/form-data": {"schema": APPLICATION_BODY}}},
        "responses": {
            429: {
                "description": "too many applications from this account or address",
                "headers": {"Retry-After": {"schema": {"type": "integer"}}},
            }
        },
    },
)
@answers_approval_errors
def submit(
    request: HttpRequest,
    item_code: str = Form(..., max_length=CODE_MAX),
    form: str = Form("{}", max_length=FORM_JSON_MAX),
) -> Any:
    """Apply online (网上申请): multipart with ``item_code``, ``form`` (JSON) and one file
    field per material, named by the material's code. Each account and each address may
    file ``EGOV_SUBMISSION_RATE`` / ``EGOV_SUBMISSION_RATE_PER_ADDRESS`` applications:
    past that, 429 ``rate_limited`` with ``Retry-After``."""
    case = services.submit_application(
        applicant=signed_in_user(request),
        item_code=item_code,
        form=parse_form(form),
        files=uploaded(request),
        address=submitter_address(request),
    )
    return Status(201, case_body(case))


@router.get("/cases", response=list[CaseSummaryOut], auth=django_auth)
@paginated
def my_cases(request: HttpRequest) -> Any:
    """The signed-in applicant's own cases, newest first."""
    return selectors.applicant_cases(request.user)


@router.get("/cases/{number}", response={200: CaseOut, **ERRORS}, auth=django_auth)
@answers_approval_errors
def case_status(request: HttpRequest, number: str) -> Any:
    """A case's status, clock and timeline, for its applicant or the staff who may see it."""
    return case_body(services.access_case(request.user, number, lock=False))


@router.get(
    "/cases/{number}/decision.pdf",
    response={200: None, **ERRORS},
    auth=django_auth,
    openapi_extra={"responses": {200: {"content": {"application/pdf": {}}}}},
)
@answers_approval_errors
def decision_document(request: HttpRequest, number: str) -> Any:
    """The decision document (决定书) as PDF, once the case is decided."""
    case = services.access_case(request.user, number, lock=False)
    document = selectors.decision_document(case)
    if document is None:
        raise ApprovalError(ErrorCode.WRONG_STATE, "the case has no decision yet")
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="decision-{case.number}.pdf"'
    return response


# --- Staff actions (and the applicant's withdrawal / supplement) -------------------------


class NoteIn(Schema):
    note: NoteText = ""


class ReasonsIn(Schema):
    reasons: NoteText


class MissingIn(Schema):
    code: CodeText = ""
    name: NameText
    reason: NoteText


class SupplementRequestIn(Schema):
    missing: list[MissingIn] = Field(..., max_length=MISSING_MAX)
    note: NoteText = ""


class SpecialProcedureIn(Schema):
    procedure: CodeText
    reason: NoteText
    limit_days: int


class OutcomeIn(Schema):
    outcome: NoteText = ""


class ExtensionIn(Schema):
    days: int
    reason: NoteText


class ApproveIn(Schema):
    licence_number: CodeText = ""


class DenyIn(Schema):
    reasons: NoteText
    remedies: NoteText


class DeliverIn(Schema):
    method: CodeText


class ReasonIn(Schema):
    reason: NoteText = ""


class LicenceEndingIn(Schema):
    ground: CodeText = Field(..., description="the ground (事由): a code of egov.approvals.licence")
    reason: NoteText
    legal_basis: NoteText = Field("", description="the provision applied; required for other_*")


class PaymentIn(Schema):
    fee_name: NameText
    amount_fen: int
    receipt_number: CodeText


def act(request: HttpRequest, number: str, service: Callable[..., Any], **kwargs: Any) -> Any:
    service(actor=request.user, number=number, **kwargs)
    return case_body(services.access_case(request.user, number, lock=False))


CASE = {200: CaseOut, **ERRORS}


@router.post("/cases/{number}/accept", response=CASE, auth=django_auth)
@answers_approval_errors
def accept(request: HttpRequest, number: str, body: NoteIn) -> Any:
    """Accept (受理)."""
    return act(request, number, services.accept_case, note=body.note)


@router.post("/cases/{number}/refuse", response=CASE, auth=django_auth)
@answers_approval_errors
def refuse(request: HttpRequest, number: str, body: ReasonsIn) -> Any:
    """Refuse to accept, with reasons (不予受理)."""
    return act(request, number, services.refuse_case, reasons=body.reasons)


@router.post("/cases/{number}/supplement-requests", response=CASE, auth=django_auth)
@answers_approval_errors
def request_supplement(request: HttpRequest, number: str, body: SupplementRequestIn) -> Any:
    """Ask for supplementary materials, all at once (补正告知); the clock stops."""
    missing = [entry.dict() for entry in body.missing]
    return act(request, number, services.request_supplement, missing=missing, note=body.note)


@router.post("/cases/{number}/supplements", response=CASE, auth=django_auth)
@answers_approval_errors
def receive_supplement(
    request: HttpRequest, number: str, note: str = Form("", max_length=NOTE_MAX)
) -> Any:
    """Hand in the supplementary materials (补正材料): multipart, one field per material code."""
    return act(request, number, services.receive_supplement, files=uploaded(request), note=note)


@router.post("/cases/{number}/special-procedures", response=CASE, auth=django_auth)
@answers_approval_errors
def start_special_procedure(request: HttpRequest, number: str, body: SpecialProcedureIn) -> Any:
    """Start a special procedure (听证, 检验检测, 专家评审, 现场核查); the clock stops."""
    return act(request, number, services.start_special_procedure, **body.dict())


@router.post("/cases/{number}/special-procedures/end", response=CASE, auth=django_auth)
@answers_approval_errors
def end_special_procedure(request: HttpRequest, number: str, body: OutcomeIn) -> Any:
    """End the special procedure; the clock resumes."""
    return act(request, number, services.end_special_procedure, outcome=body.outcome)


@router.post("/cases/{number}/extensions", response=CASE, auth=django_auth)
@answers_approval_errors
def extend(request: HttpRequest, number: str, body: ExtensionIn) -> Any:
    """Approve an extension (延期), leaders only."""
    return act(request, number, services.approve_extension, days=body.days, reason=body.reason)


@router.post("/cases/{number}/approve", response=CASE, auth=django_auth)
@answers_approval_errors
def approve(request: HttpRequest, number: str, body: ApproveIn) -> Any:
    """Approve (准予许可); the licence number is issued unless given."""
    return act(request, number, services.approve_case, licence_number=body.licence_number)


@router.post("/cases/{number}/deny", response=CASE, auth=django_auth)
@answers_approval_errors
def deny(request: HttpRequest, number: str, body: DenyIn) -> Any:
    """Deny (不予许可), with reasons and remedies."""
    return act(request, number, services.deny_case, reasons=body.reasons, remedies=body.remedies)


@router.post("/cases/{number}/conclude", response=CASE, auth=django_auth)
@answers_approval_errors
def conclude(request: HttpRequest, number: str) -> Any:
    """Conclude (办结)."""
    return act(request, number, services.conclude_case)


@router.post("/cases/{number}/deliver", response=CASE, auth=django_auth)
@answers_approval_errors
def deliver(request: HttpRequest, number: str, body: DeliverIn) -> Any:
    """Deliver the decision (送达): online, window or post."""
    return act(request, number, services.deliver_case, method=body.method)


@router.post("/cases/{number}/withdraw", response=CASE, auth=django_auth)
@answers_approval_errors
def withdraw(request: HttpRequest, number: str, body: ReasonIn) -> Any:
    """Withdraw the application (撤回), the applicant only."""
    return act(request, number, services.withdraw_application, reason=body.reason)


@router.post("/cases/{number}/terminate", response=CASE, auth=django_auth)
@answers_approval_errors
def terminate(request: HttpRequest, number: str, body: ReasonIn) -> Any:
    """Terminate the case (终止), leaders only."""
    return act(request, number, services.terminate_case, reason=body.reason)


@router.post("/cases/{number}/payments", response=CASE, auth=django_auth)
@answers_approval_errors
def record_payment(request: HttpRequest, number: str, body: PaymentIn) -> Any:
    """Record a fee payment with its receipt number (缴费登记)."""
    return act(request, number, services.record_fee_payment, **body.dict())


@router.post("/cases/{number}/licence/revoke", response=CASE, auth=django_auth)
@answers_approval_errors
def revoke_licence(request: HttpRequest, number: str, body: LicenceEndingIn) -> Any:
    """Revoke the licence (撤销行政许可, 行政许可法第六十九条), leaders only."""
    return act(request, number, services.revoke_licence, **body.dict())


@router.post("/cases/{number}/licence/cancel", response=CASE, auth=django_auth)
@answers_approval_errors
def cancel_licence(request: HttpRequest, number: str, body: LicenceEndingIn) -> Any:
    """Cancel the licence (注销行政许可, 行政许可法第七十条), clerks and leaders."""
    return act(request, number, services.cancel_licence, **body.dict())
