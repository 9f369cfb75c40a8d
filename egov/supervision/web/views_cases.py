"""The case page (监察办件): the engine's own view of one case, beside the department's claims.

``/supervision/cases/<number>/`` shows, for a supervisor or leader whose
region covers the case (VIEW; anyone else gets 404, as for a missing case):
the projection (status, light, dates), the engine's deadline and on-time
judgement beside the department's claims, the suspensions, fees, the event
timeline as received, and the findings of the case. ``/supervision/cases/``
looks a case up by number and lists the latest cases in the viewer's region,
filtered by light.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.core.models import User
from egov.core.permissions import may, scopes_for
from egov.core.selectors.calendar import get_working_calendar
from egov.supervision import permissions
from egov.supervision.collection.ingest_checks import parse_case_number
from egov.supervision.collection.projection import CaseView, ordered, parse_instant, project
from egov.supervision.collection.projection_store import thresholds
from egov.supervision.models import CaseEvent, Finding, Light, SupervisedCase

PAGE_SIZE = 50
EVENT_LABELS = {
    "ApplicationSubmitted": _("申请"),
    "CaseAccepted": _("受理"),
    "CaseRefused": _("不予受理"),
    "SupplementRequested": _("补正告知"),
    "SupplementReceived": _("补正材料收到"),
    "SpecialProcedureStarted": _("特别程序开始"),
    "SpecialProcedureEnded": _("特别程序结束"),
    "CaseExtended": _("延期"),
    "CaseDecided": _("决定"),
    "CaseConcluded": _("办结"),
    "CaseDelivered": _("送达"),
    "CaseWithdrawn": _("撤回"),
    "CaseTerminated": _("终止"),
    "FeePaid": _("缴费"),
}
STATUS_LABELS = {
    "submitted": _("待受理"),
    "supplement_requested": _("补正中"),
    "accepted": _("审查中"),
    "special_procedure": _("特别程序中"),
    "approved": _("准予许可"),
    "denied": _("不予许可"),
    "concluded": _("已办结"),
    "delivered": _("已送达"),
    "refused": _("不予受理"),
    "withdrawn": _("已撤回"),
    "terminated": _("已终止"),
}
SUSPENSION_LABELS = {
    "supplement": _("补正"),
    "hearing": _("听证"),
    "testing": _("检验检测"),
    "expert_review": _("专家评审"),
    "inspection": _("现场核查"),
}


def viewer(request: HttpRequest) -> User:
    user = request.user
    if (
        not isinstance(user, User)
        or user.kind != User.Kind.STAFF
        or not may(user, permissions.VIEW)
    ):
        raise PermissionDenied
    return user


def region_scope(user: Any) -> Q:
    scope = Q(pk__in=[])
    for grant in scopes_for(user, permissions.VIEW):
        scope |= Q(region_path__startswith=grant.region_path)
    return scope


def visible_cases(user: Any) -> QuerySet[SupervisedCase]:
    return SupervisedCase.objects.filter(region_scope(user)).select_related("organisation")


def access_case(user: Any, number: str) -> SupervisedCase:
    """The case if the user's region covers it; Http404 alike for missing and forbidden."""
    text = (number or "").strip().upper()
    if isinstance(parse_case_number(text), str):
        raise Http404
    case = visible_cases(user).filter(case_number=text).first()
    if case is None:
        raise Http404
    return case


def comparison(view: CaseView) -> list[dict[str, Any]]:
    """The engine's judgement beside the department's claims; ``differs`` where they disagree."""
    decision = view.decision
    rows = [
        (_("承诺期限"), view.deadline, view.claimed_deadline),
        (_("是否按时"), view.on_time, view.claimed_on_time),
        (
            _("已用工作日"),
            view.working_days_used,
            decision.claimed_working_days if decision else None,
        ),
    ]
    return [
        {
            "label": label,
            "ours": ours.isoformat() if isinstance(ours, dt.date) else ours,
            "theirs": theirs.isoformat() if isinstance(theirs, dt.date) else theirs,
            "differs": ours is not None and theirs is not None and ours != theirs,
        }
        for label, ours, theirs in rows
    ]


def timeline(case_number: str) -> list[dict[str, Any]]:
    rows = CaseEvent.objects.filter(case_number=case_number).values(
        "payload", "received_at", "source", "source_system"
    )
    by_id = {str(row["payload"].get("event_id")): row for row in rows}
    entries = []
    for payload in ordered([row["payload"] for row in by_id.values()]):
        row = by_id[str(payload.get("event_id"))]
        actor = payload.get("actor") or {}
        kind: str = payload.get("type", "")  # intake checked both are text
        status: str = payload.get("status", "")
        entries.append(
            {
                "type": kind,
                "label": EVENT_LABELS.get(kind, kind),
                "occurred_at": parse_instant(payload.get("occurred_at")),
                "status": STATUS_LABELS.get(status, status),
                "actor": actor.get("id", ""),
                "received_at": row["received_at"],
                "source": row["source_system"] or row["source"],
            }
        )
    return entries


@login_required
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    """监察办件: the projection, our deadline vs the claim, the timeline, the findings."""
    user = viewer(request)
    case = access_case(user, number)
    payloads = list(
        CaseEvent.objects.filter(case_number=case.case_number).values_list("payload", flat=True)
    )
    view = project(payloads, get_working_calendar(), now=timezone.now(), thresholds=thresholds())
    findings = Finding.objects.filter(case_number=case.case_number).order_by("-found_at")
    context = {
        "case": case,
        "view": view,
        "status_label": STATUS_LABELS.get(case.status, case.status),
        "comparison": comparison(view),
        "suspensions": [(SUSPENSION_LABELS.get(s.kind, s.kind), s) for s in view.suspensions],
        "timeline": timeline(case.case_number),
        "findings": findings,
    }
    return render(request, "supervision/cases/detail.html", context)


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """监察办件查询: look up a number, or the latest cases in the region by light."""
    user = viewer(request)
    number = request.GET.get("number", "").strip().upper()
    if number and visible_cases(user).filter(case_number=number).exists():
        return redirect("supervision:case", number=number)
    light = request.GET.get("light", "")
    rows = visible_cases(user).order_by("-received_at", "case_number")
    if light in Light.values:
        rows = rows.filter(light=light)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "number": number,
        "not_found": bool(number),
        "light": light,
        "lights": Light.choices,
        "status_labels": STATUS_LABELS,
    }
    return render(request, "supervision/cases/list.html", context)
