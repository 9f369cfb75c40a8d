"""Approvals pages (网上审批): the staff queue with clock lights and the case page.

The pages call the same services and selectors as the API; they hold no
business logic. A refused action comes back to the case page as a form
error naming each field and its reason.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

from csp.constants import NONE, SELF
from csp.decorators import csp as csp_override  # django-csp 4's whole-policy override
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from egov.approvals import charts, permissions, selectors, services, wording
from egov.approvals.clock import Light
from egov.approvals.errors import ApprovalError, ErrorCode
from egov.approvals.licence import Ending, grounds_for
from egov.approvals.materials import presentation
from egov.approvals.models import Case, Suspension
from egov.approvals.services.decisions import DELIVERY_METHODS
from egov.approvals.workflow import OPEN, STATUS_LABELS
from egov.core.charts import plotly_js_url
from egov.core.models import User
from egov.core.permissions import may
from egov.core.services.security import submitter_address
from egov.core.typed_requests import HtmxRequest, signed_in_user

PAGE_SIZE = 50
LIGHT_LABELS = {Light.GREEN: _("正常"), Light.YELLOW: _("预警"), Light.RED: _("超期")}


def staff_who_may_view(request: HttpRequest) -> User:
    user = request.user
    if (
        not isinstance(user, User)
        or user.kind != User.Kind.STAFF
        or not may(user, permissions.VIEW_CASE)
    ):
        raise PermissionDenied
    return user


def parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def queue_filters(request: HttpRequest) -> selectors.QueueFilters:
    get = request.GET
    return selectors.QueueFilters(
        item=get.get("item", "").strip(),
        status=get.get("status", "") if get.get("status", "") in STATUS_LABELS else "",
        light=get.get("light", "") if get.get("light", "") in Light.__members__.values() else "",
        received_from=parse_date(get.get("from", "")),
        received_to=parse_date(get.get("to", "")),
        search=get.get("q", "").strip(),
    )


@login_required
def queue(request: HtmxRequest) -> HttpResponse:
    """My queue (待办): open cases in my scope, most urgent first, with the clock lights."""
    user = staff_who_may_view(request)
    filters = queue_filters(request)
    rows = selectors.workbench_queue(user, filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "total": page.paginator.count,
        # The case links' common prefix, reversed once rather than once per row.
        "case_path": reverse("approvals:case", args=["-"]).removesuffix("-/"),
        "filters": filters,
        "statuses": [(s.value, STATUS_LABELS[s]) for s in OPEN],
        "lights": LIGHT_LABELS,
        "query": request.GET.copy(),
    }
    template = "approvals/_queue_rows.html" if request.htmx else "approvals/queue.html"
    return render(request, template, context)


def timeline_rows(case: Case) -> list[dict[str, Any]]:
    """The case's history as its users read it: when, which step, who and where from."""
    entries = selectors.case_timeline(case)
    actors = selectors.timeline_actors(case, entries)
    return [
        {
            "at": entry.occurred_at,
            "step": wording.step_name(entry.event_type, entry.data),
            "actor": wording.actor_words(actors[entry.actor]),
        }
        for entry in entries
    ]


# The case page's actions, by stage of the procedure (办理环节), in the workflow's order.
ACTION_STAGES = (
    (_("受理"), ("accept", "request_supplement", "receive_supplement", "refuse")),
    (_("审查"), ("record_fee", "start_special_procedure", "end_special_procedure", "extend")),
    (_("决定"), ("approve", "deny")),
    (_("办结与送达"), ("conclude", "deliver")),
    (_("撤回与终止"), ("withdraw", "terminate")),
    (_("撤销与注销许可"), ("revoke_licence", "cancel_licence")),
)
APPLICANT_ACTIONS = frozenset({"receive_supplement", "withdraw"})


def action_stages(actions: list[str], *, is_staff: bool, has_fees: bool) -> list[dict[str, Any]]:
    """The allowed actions this user takes here, grouped by stage; stages with none left out."""
    visible = {
        action
        for action in actions
        if (action != "withdraw" if is_staff else action in APPLICANT_ACTIONS)
        and (action != "record_fee" or has_fees)
    }
    groups = [
        {"label": label, "actions": [a for a in members if a in visible]}
        for label, members in ACTION_STAGES
    ]
    return [group for group in groups if group["actions"]]


def staff_may(user: Any, action: str, case: Case) -> bool:
    """Whether this member of staff may take the action on the case (the service's own check)."""
    permission = permissions.ACTION_PERMISSIONS.get(action)
    return permission is not None and may(user, permission, case)


@login_required
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    """A case page (办件详情): timeline, materials, fees, clock and the allowed next actions."""
    try:
        case = services.access_case(request.user, number, lock=False)
    except ApprovalError:
        raise Http404 from None
    is_staff = getattr(request.user, "kind", None) == User.Kind.STAFF
    actions = selectors.next_actions(case)
    if is_staff:
        actions = [a for a in actions if staff_may(request.user, a, case)]
    stages = action_stages(actions, is_staff=is_staff, has_fees=bool(case.item.fees))
    context = {
        "case": case,
        "clock": selectors.case_clock(case),
        "statutory": selectors.statutory_clock(case),
        "timeline": timeline_rows(case),
        "materials": selectors.case_materials(case),
        "payments": selectors.case_payments(case),
        "stages": stages,
        "first_action": stages[0]["actions"][0] if stages else "",
        "notice": selectors.supplement_notice(case),
        "free_item_rows": range(1, FREE_ITEM_ROWS + 1),
        "item_materials": case.item.materials,
        "item_fees": case.item.fees,
        "procedures": [(k, v) for k, v in Suspension.Kind.choices if k != "supplement"],
        "delivery_methods": DELIVERY_METHODS,
        "lights": LIGHT_LABELS,
        "is_staff": is_staff,
        "next_case": selectors.next_in_queue(request.user, case) if is_staff else None,
        "licence_ending": selectors.licence_ending(case),
        "grounds": {ending.value: grounds_for(ending) for ending in Ending},
    }
    return render(request, "approvals/case_detail.html", context)


@login_required
def decision_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """Download the decision document (决定书) as PDF: the applicant or the staff who may see."""
    try:
        case = services.access_case(request.user, number, lock=False)
    except ApprovalError:
        raise Http404 from None
    document = selectors.decision_document(case)
    if document is None:
        raise Http404
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="decision-{case.number}.pdf"'
    return response


def verify_decision(request: HttpRequest, code: str) -> HttpResponse:
    """Check a decision document by its verification code (决定书核验): public, no sign-in.

    Answers "valid" with what the document itself shows (the applicant's name
    masked if a person), "revoked" or "cancelled" (撤销/注销, ADR 0058) with the
    date and the ground, or "not found" (404) for an unknown or malformed code.
    """
    decision = selectors.verified_decision(code)
    return render(
        request,
        "approvals/verify.html",
        {"decision": decision},
        status=200 if decision else 404,
    )


# The file alone, sandboxed: no script runs in it, it loads nothing, only this site frames it.
MATERIAL_CSP = {"default-src": [NONE], "frame-ancestors": [SELF], "sandbox": True}


@login_required
@xframe_options_sameorigin
# django-csp 4 types its decorators for views taking the request alone, not URL arguments.
@csp_override(MATERIAL_CSP)  # type: ignore[arg-type]
def material_file(request: HttpRequest, number: str, material_id: int) -> FileResponse:
    """One material's file (申请材料): PDFs and images inline, other types downloaded.

    Only after the case's access check; a refused or unknown material answers 404
    and is recorded as a security event.
    """
    try:
        material = services.open_material(
            actor=request.user, number=number, material_id=material_id
        )
    except ApprovalError:
        services.record_refused_material_request(
            request=request, number=number, material_id=material_id
        )
        raise Http404 from None
    shown = presentation(material.file_type)
    response = FileResponse(
        material.file.open("rb"),
        as_attachment=not shown.inline,
        filename=material.file_name,
        content_type=shown.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    """Department statistics (部门统计): received, accepted, concluded, on time, working days."""
    user = staff_who_may_view(request)
    today = timezone.localdate()
    end = parse_date(request.GET.get("to", "")) or today
    start = parse_date(request.GET.get("from", "")) or end - dt.timedelta(days=30)
    figures = selectors.department_statistics(user, start, end)
    most = max((row.received for row in figures), default=0) or 1
    rows = [{"figures": row, "bar": round(100 * row.received / most)} for row in figures]
    context = {
        "rows": rows,
        "start": start,
        "end": end,
        "charts": [charts.counts_chart(figures), charts.on_time_chart(figures)],
        "plotly_js": plotly_js_url(),
    }
    return render(request, "approvals/statistics.html", context)


# --- The service hall: catalogue, guide, online application ---------------------------


def catalogue(request: HttpRequest) -> HttpResponse:
    """The catalogue (事项清单): active items, searchable by name and department."""
    items = selectors.active_items().order_by("department__path", "code")
    text = request.GET.get("q", "").strip()
    if text:
        items = items.filter(name__contains=text)
    department = request.GET.get("department", "").strip()
    if department:
        items = items.filter(department__code=department)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "approvals/catalogue.html", {"page": page, "q": text, "department": department}
    )


def guide_page(
    request: HttpRequest,
    code: str,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
) -> HttpResponse:
    guide = selectors.service_guide(code)
    if guide is None:
        raise Http404
    errors, values = errors or {}, values or {}
    fields = [
        {**spec, "value": values.get(spec["name"], ""), "error": errors.get(f"form.{spec['name']}")}
        for spec in guide.form_fields
    ]
    materials = [{**m, "error": errors.get(f"materials.{m['code']}")} for m in guide.materials]
    labels = {f"form.{spec['name']}": spec["label"] for spec in guide.form_fields} | {
        f"materials.{m['code']}": m["name"] for m in guide.materials
    }
    context = {
        "guide": guide,
        "region_groups": (
            selectors.county_choices()
            if any(spec["type"] == "region" for spec in guide.form_fields)
            else []
        ),
        "error_summary": [
            (wording.field_label(field, labels) if field else "", reason)
            for field, reason in errors.items()
        ],
        "fields": fields,
        "materials": materials,
        "errors": errors,
        "may_apply": getattr(request.user, "kind", None)
        in (User.Kind.CITIZEN, User.Kind.ENTERPRISE),
    }
    return render(request, "approvals/guide.html", context, status=400 if errors else 200)


def item_guide(request: HttpRequest, code: str) -> HttpResponse:
    """The service guide (办事指南) with the online application form."""
    return guide_page(request, code)


def too_many_applications(
    request: HttpRequest, code: str, exc: ApprovalError, values: dict[str, str]
) -> HttpResponse:
    """The form again (429, ``Retry-After``), saying when a new application is accepted."""
    minutes = max(1, math.ceil((exc.retry_after or 1) / 60))
    message = _("提交过于频繁，申请数量已达上限，请于 %(minutes)s 分钟后再提交。") % {
        "minutes": minutes
    }
    response = guide_page(request, code, errors={"": str(message)}, values=values)
    response.status_code = 429
    response["Retry-After"] = str(exc.retry_after or 1)
    return response


@login_required
@require_POST
def apply(request: HttpRequest, code: str) -> HttpResponse:
    """Submit the online application (网上申请); bad input comes back on the form."""
    guide = selectors.service_guide(code)
    if guide is None:
        raise Http404
    values = {spec["name"]: request.POST.get(spec["name"], "") for spec in guide.form_fields}
    files = {code_: request.FILES.getlist(code_) for code_ in request.FILES}
    try:
        case = services.submit_application(
            applicant=signed_in_user(request),
            item_code=code,
            form=values,
            files=files,
            address=submitter_address(request),
        )
    except ApprovalError as exc:
        if exc.code is ErrorCode.PERMISSION_DENIED:
            raise PermissionDenied from None
        if exc.code is ErrorCode.RATE_LIMITED:
            return too_many_applications(request, code, exc, values)
        errors = wording.field_reasons(exc) or {"": wording.refusal_sentence(exc)}
        return guide_page(request, code, errors=errors, values=values)
    messages.info(request, _("申请已提交，办件编号：%(number)s") % {"number": case.number})
    return redirect("approvals:case", number=case.number)


@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    """My applications (我的办件) and their status."""
    page = Paginator(selectors.applicant_cases(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "approvals/my_cases.html", {"page": page})


# --- Actions from the case page --------------------------------------------------------


FREE_ITEM_ROWS = 3  # blank rows on the checklist for what the item's list lacks


def checklist_entries(post: Any) -> list[dict[str, str]]:
    """The 补正 checklist as the service takes it: each ticked material, then the free items.

    A material with a reason typed counts as ticked, so no reason is dropped
    silently; a free item counts once it has a name or a reason.
    """
    codes = list(post.getlist("missing"))
    codes += [
        key.removeprefix("reason-")
        for key, value in post.items()
        if key.startswith("reason-") and value.strip() and key.removeprefix("reason-") not in codes
    ]
    entries = [{"code": code, "reason": post.get(f"reason-{code}", "")} for code in codes]
    for row in range(1, FREE_ITEM_ROWS + 1):
        name, reason = post.get(f"free-name-{row}", ""), post.get(f"free-reason-{row}", "")
        if name.strip() or reason.strip():
            entries.append({"name": name, "reason": reason})
    return entries


def whole_number(text: str) -> int:
    """An int from a form field; 0 when it is not a whole number.

    Every service taking one (days, limit days, fen) refuses 0 as out of range, with
    the same message as for text, so the form shows the error in either case.
    """
    try:
        return int(text)
    except (TypeError, ValueError):
        return 0


Post = Any
ACTIONS: dict[str, Callable[[User, str, Post, Any], Any]] = {
    "accept": lambda u, n, p, f: services.accept_case(actor=u, number=n, note=p.get("note", "")),
    "refuse": lambda u, n, p, f: services.refuse_case(
        actor=u, number=n, reasons=p.get("reasons", "")
    ),
    "request_supplement": lambda u, n, p, f: services.request_supplement(
        actor=u, number=n, missing=checklist_entries(p), note=p.get("note", "")
    ),
    "receive_supplement": lambda u, n, p, f: services.receive_supplement(
        actor=u, number=n, files={code: f.getlist(code) for code in f}, note=p.get("note", "")
    ),
    "start_special_procedure": lambda u, n, p, f: services.start_special_procedure(
        actor=u,
        number=n,
        procedure=p.get("procedure", ""),
        reason=p.get("reason", ""),
        limit_days=whole_number(p.get("limit_days", "")),
    ),
    "end_special_procedure": lambda u, n, p, f: services.end_special_procedure(
        actor=u, number=n, outcome=p.get("outcome", "")
    ),
    "extend": lambda u, n, p, f: services.approve_extension(
        actor=u, number=n, days=whole_number(p.get("days", "")), reason=p.get("reason", "")
    ),
    "approve": lambda u, n, p, f: services.approve_case(
        actor=u, number=n, licence_number=p.get("licence_number", "")
    ),
    "deny": lambda u, n, p, f: services.deny_case(
        actor=u, number=n, reasons=p.get("reasons", ""), remedies=p.get("remedies", "")
    ),
    "conclude": lambda u, n, p, f: services.conclude_case(actor=u, number=n),
    "deliver": lambda u, n, p, f: services.deliver_case(
        actor=u, number=n, method=p.get("method", "")
    ),
    "withdraw": lambda u, n, p, f: services.withdraw_application(
        actor=u, number=n, reason=p.get("reason", "")
    ),
    "terminate": lambda u, n, p, f: services.terminate_case(
        actor=u, number=n, reason=p.get("reason", "")
    ),
    "revoke_licence": lambda u, n, p, f: services.revoke_licence(
        actor=u,
        number=n,
        ground=p.get("ground", ""),
        reason=p.get("reason", ""),
        legal_basis=p.get("legal_basis", ""),
    ),
    "cancel_licence": lambda u, n, p, f: services.cancel_licence(
        actor=u,
        number=n,
        ground=p.get("ground", ""),
        reason=p.get("reason", ""),
        legal_basis=p.get("legal_basis", ""),
    ),
    "record_fee": lambda u, n, p, f: services.record_fee_payment(
        actor=u,
        number=n,
        fee_name=p.get("fee_name", ""),
        amount_fen=whole_number(p.get("amount_fen", "")),
        receipt_number=p.get("receipt_number", ""),
    ),
}


# Where an action's form labels a field otherwise than the general wording does.
ACTION_FIELD_LABELS = {
    "accept": {"note": _("受理意见")},
    "refuse": {"reasons": _("不予受理理由")},
    "deny": {"reasons": _("不予许可理由")},
    "withdraw": {"reason": _("撤回原因")},
    "terminate": {"reason": _("终止理由")},
    "revoke_licence": {
        "ground": _("撤销事由"),
        "reason": pgettext_lazy("licence", "撤销理由"),
        "legal_basis": _("适用的法律法规条款"),
        "licence_number": _("证照"),
    },
    "cancel_licence": {
        "ground": _("注销事由"),
        "reason": _("注销理由"),
        "legal_basis": _("适用的法律法规条款"),
        "licence_number": _("证照"),
    },
}


# Irreversible steps: the form's confirm box ("confirm=yes") is required by the server,
# so the confirmation works without JavaScript (the CSP allows no inline script).
CONFIRMATIONS = {
    "refuse": _("操作未完成：请勾选“确认不予受理”后再提交。"),
    "terminate": _("操作未完成：请勾选“确认终止办理”后再提交。"),
    "revoke_licence": _("操作未完成：请勾选“确认撤销行政许可”后再提交。"),
    "cancel_licence": _("操作未完成：请勾选“确认注销行政许可”后再提交。"),
}


def case_field_labels(request: HttpRequest, number: str, action: str) -> dict[str, str]:
    """The labels the case page shows for the services' field paths (materials, form)."""
    try:
        case = services.access_case(request.user, number, lock=False)
    except ApprovalError:
        return {}
    labels = {key: str(label) for key, label in ACTION_FIELD_LABELS.get(action, {}).items()}
    labels |= {f"materials.{m['code']}": m["name"] for m in case.item.materials}
    labels |= {f"form.{f['name']}": f["label"] for f in case.item.form_fields}
    notice = selectors.supplement_notice(case)
    for entry in notice.entries if notice else []:
        labels[f"materials.{entry['key']}"] = entry["name"]
    return labels


@login_required
@require_POST
def case_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """Take one workflow action on a case; refusals come back as a form error."""
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404
    if action in CONFIRMATIONS and request.POST.get("confirm") != "yes":
        messages.error(request, CONFIRMATIONS[action])  # nothing is written unconfirmed
        return redirect("approvals:case", number=number)
    try:
        handler(signed_in_user(request), number, request.POST, request.FILES)
    except ApprovalError as exc:
        if exc.code is ErrorCode.NOT_FOUND:
            raise Http404 from None
        messages.error(
            request, wording.refusal_message(exc, case_field_labels(request, number, action))
        )
    else:
        messages.info(request, _("操作已完成。"))
    return redirect("approvals:case", number=number)


def case_count_by_status(user: User) -> dict[str, int]:
    """Open cases in scope by status, for the queue header."""
    rows = selectors.cases_in_scope(user).values_list("status").annotate(n=Count("id"))
    return {status: n for status, n in rows.order_by()}


__all__ = [
    "Case",
    "apply",
    "case_action",
    "case_detail",
    "catalogue",
    "decision_pdf",
    "item_guide",
    "my_cases",
    "queue",
    "verify_decision",
]
