"""Findings, notices and alerts pages (监察发现、督办通知、我的提醒).

* ``/supervision/findings/``: the findings a supervisor or leader may view,
  filtered by rule, category, severity, status, department; the department
  cards in their region.
* ``/supervision/findings/<id>/``: one finding with its evidence, a link to
  the case page, its notices, and the steps the viewer may take.
* ``/supervision/notices/``: the notices sent to the viewer's departments
  (to answer), and those about findings they supervise; overdue ones flagged.
* ``/supervision/notices/<number>/``: one notice; the department answers it,
  the supervisor accepts, rejects or escalates.
* ``/supervision/alerts/``: the viewer's own alerts (我的提醒), unread first.

The pages call the services of :mod:`egov.supervision.findings.handling`; a refused
step comes back as the same page with the reason beside each field (400).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from egov.core.models import User
from egov.core.permissions import may, scopes_for
from egov.supervision import permissions
from egov.supervision.errors import SupervisionError
from egov.supervision.findings import cards, selectors
from egov.supervision.findings import handling as findings
from egov.supervision.judging.rules import REGISTRY
from egov.supervision.models import Finding, Severity, SupervisionNotice
from egov.supervision.statistics import alerts

PAGE_SIZE = 50
CATEGORY_LABELS = {
    "time": gettext_lazy("时限"),
    "fee": gettext_lazy("收费"),
    "data": gettext_lazy("资料数据"),
    "irregular": gettext_lazy("异常办理"),
    "catalogue": gettext_lazy("事项目录"),
    "review": gettext_lazy("事后抽查"),
    "complaint": gettext_lazy("效能投诉"),
}
EXTRA_RULES = {"complaint.efficiency": gettext_lazy("效能投诉")}


def rule_labels() -> dict[str, str]:
    names = {code: _(rule.name) for code, rule in REGISTRY.items()}
    return names | {code: str(label) for code, label in EXTRA_RULES.items()}


def staff(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or user.kind != User.Kind.STAFF:
        raise PermissionDenied
    return user


def viewer(request: HttpRequest) -> User:
    user = staff(request)
    if not may(user, permissions.VIEW):
        raise PermissionDenied
    return user


def filters_from(request: HttpRequest) -> selectors.FindingFilters:
    get = request.GET

    def pick(name: str, allowed: Any) -> str:
        value = get.get(name, "").strip()
        return value if value in allowed else ""

    return selectors.FindingFilters(
        rule=get.get("rule", "").strip()[:48],
        category=pick("category", CATEGORY_LABELS),
        severity=pick("severity", Severity.values),
        status=pick("status", Finding.Status.values),
        department=get.get("department", "").strip()[:32],
        case_number=get.get("case", "").strip()[:32],
        escalated_to_me=get.get("escalated") == "1",
    )


@login_required
def finding_list(request: HttpRequest) -> HttpResponse:
    """监察发现: the findings in the viewer's region, filtered."""
    user = viewer(request)
    filters = filters_from(request)
    rows = selectors.findings_list(user, filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    region_paths = [grant.region_path for grant in scopes_for(user, permissions.VIEW)]
    context = {
        "page": page,
        "filters": filters,
        "categories": CATEGORY_LABELS,
        "severities": Severity.choices,
        "statuses": Finding.Status.choices,
        "rules": sorted(rule_labels().items()),
        "rule_names": rule_labels(),
        "cards": cards.cards_in_regions(region_paths)[:20],
        "may_supervise": may(user, permissions.SUPERVISE),
        "query": request.GET.copy(),
    }
    return render(request, "supervision/findings/list.html", context)


def finding_page(
    request: HttpRequest, finding: Finding, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    notices = selectors.finding_notices(finding)
    today = timezone.localdate()
    context = {
        "finding": finding,
        "rule_name": rule_labels().get(finding.rule_code, finding.rule_code),
        "category": CATEGORY_LABELS.get(finding.category, finding.category),
        "evidence": sorted((finding.evidence or {}).items()),
        "notices": [(n, findings.is_overdue(n, today)) for n in notices],
        "may_supervise": selectors.may_supervise(user, finding),
        "open_notice": next((n for n in notices if n.status in findings.ACTIVE_NOTICE), None),
        "errors": errors or {},
        "values": request.POST if errors else {},
    }
    return render(request, "supervision/findings/detail.html", context, status=status)


@login_required
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One finding (监察发现详情): evidence, case link, notices, next steps."""
    user = viewer(request)
    try:
        finding = findings.access_finding(user, pk, lock=False)
    except SupervisionError:
        raise Http404 from None
    return finding_page(request, finding)


def issue(request: HttpRequest, user: User, pk: int) -> str:
    notice = findings.issue_notice(
        actor=user,
        finding_id=pk,
        due_days=request.POST.get("due_days", ""),
        instructions=request.POST.get("instructions", ""),
    )
    return _("已发出督办通知 %(number)s") % {"number": notice.number}


def escalate(request: HttpRequest, user: User, pk: int) -> str:
    finding = findings.escalate_finding(
        actor=user, finding_id=pk, reason=request.POST.get("reason", "")
    )
    target = finding.escalated_to
    assert target is not None  # escalate_finding has just set it
    return _("已升级至%(region)s监察员") % {"region": target.name}


def dismiss(request: HttpRequest, user: User, pk: int) -> str:
    findings.dismiss_finding(actor=user, finding_id=pk, reason=request.POST.get("reason", ""))
    return _("已撤销该发现")


FINDING_ACTIONS: dict[str, Callable[[HttpRequest, User, int], str]] = {
    "issue": issue,
    "escalate": escalate,
    "dismiss": dismiss,
}


@login_required
@require_POST
def finding_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Issue a notice, escalate or dismiss; the finding page again, with errors if refused."""
    user = viewer(request)
    return run_step(
        request,
        FINDING_ACTIONS.get(action),
        user,
        pk,
        show_refusal=lambda why: finding_page(
            request, findings.access_finding(user, pk, lock=False), why, status=400
        ),
        done_url=("supervision:finding", {"pk": pk}),
    )


def run_step(
    request: HttpRequest,
    step: Callable[[HttpRequest, User, Any], str] | None,
    user: User,
    key: Any,
    *,
    show_refusal: Callable[[dict[str, str]], HttpResponse],
    done_url: tuple[str, dict[str, Any]],
) -> HttpResponse:
    """Run one finding or notice step: success message and redirect, or the page with why."""
    if step is None:
        raise Http404
    try:
        done = step(request, user, key)
    except SupervisionError as refused:
        try:
            return show_refusal(refusal(refused))
        except SupervisionError:
            raise Http404 from None
    messages.success(request, done)
    return redirect(done_url[0], **done_url[1])


FIELD_LABELS = {
    "due_days": gettext_lazy("反馈期限（工作日）"),
    "instructions": gettext_lazy("督办要求"),
    "kind": gettext_lazy("反馈类型"),
    "text": gettext_lazy("反馈内容"),
    "note": gettext_lazy("审核意见"),
    "reason": gettext_lazy("理由"),
    "status": gettext_lazy("状态"),
    "department_code": gettext_lazy("部门"),
}


def refusal(error: SupervisionError) -> dict[str, str]:
    """The errors to show: each field by its label with its reason, or the message."""
    if not error.fields:
        return {"__all__": error.message}
    return {str(FIELD_LABELS.get(name, name)): why for name, why in error.fields.items()}


@login_required
@require_POST
def issue_cards(request: HttpRequest) -> HttpResponse:
    """Compute the department cards of the supervisor's region now (on demand)."""
    user = viewer(request)
    try:
        issued = cards.issue_department_cards(actor=user)
    except SupervisionError:
        raise PermissionDenied from None
    messages.success(request, _("新亮牌 %(count)d 张") % {"count": len(issued)})
    return redirect("supervision:findings")


# --- Notices ---------------------------------------------------------------------------------


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    """督办通知: the notices to answer (department) and those supervised (supervisor)."""
    user = staff(request)
    answering = may(user, permissions.RESPOND)
    supervising = may(user, permissions.VIEW)
    if not (answering or supervising):
        raise PermissionDenied
    today = timezone.localdate()
    mine = findings.department_notices(user) if answering else SupervisionNotice.objects.none()
    watched = selectors.supervised_notices(user) if supervising else mine.none()
    paths = [grant.organisation_path for grant in scopes_for(user, permissions.RESPOND)]
    context = {
        "answering": answering,
        "supervising": supervising,
        "mine": [(n, findings.is_overdue(n, today)) for n in mine[:200]],
        "watched": [(n, findings.is_overdue(n, today)) for n in watched[:200]],
        "overdue_count": selectors.overdue(watched).count() if supervising else 0,
        "cards": cards.cards_for_organisations(paths)[:20],
    }
    return render(request, "supervision/notices/list.html", context)


def notice_page(
    request: HttpRequest,
    notice: SupervisionNotice,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    context = {
        "notice": notice,
        "finding": notice.finding,
        "overdue": findings.is_overdue(notice),
        "may_respond": findings.may_respond(user, notice)
        and notice.status in findings.AWAITING_RESPONSE,
        "may_review": selectors.may_supervise(user, notice.finding)
        and notice.status == SupervisionNotice.Status.RESPONDED,
        "may_escalate": selectors.may_supervise(user, notice.finding)
        and notice.status in findings.ACTIVE_NOTICE,
        "response_kinds": SupervisionNotice.ResponseKind.choices,
        "errors": errors or {},
        "values": request.POST if errors else {},
    }
    return render(request, "supervision/notices/detail.html", context, status=status)


@login_required
def notice_detail(request: HttpRequest, number: str) -> HttpResponse:
    """One notice (督办通知): its instructions, the department's answer, the review."""
    user = staff(request)
    try:
        notice = findings.access_notice(user, number, lock=False)
    except SupervisionError:
        raise Http404 from None
    return notice_page(request, notice)


def respond(request: HttpRequest, user: User, number: str) -> str:
    findings.respond_to_notice(
        actor=user,
        number=number,
        kind=request.POST.get("kind", ""),
        text=request.POST.get("text", ""),
    )
    return _("已提交反馈")


def accept(request: HttpRequest, user: User, number: str) -> str:
    findings.accept_response(actor=user, number=number, note=request.POST.get("note", ""))
    return _("已认可反馈，发现办结")


def reject(request: HttpRequest, user: User, number: str) -> str:
    findings.reject_response(
        actor=user,
        number=number,
        note=request.POST.get("note", ""),
        due_days=request.POST.get("due_days", ""),
    )
    return _("已退回部门重新办理")


def escalate_notice(request: HttpRequest, user: User, number: str) -> str:
    notice = findings.access_notice(user, number, lock=False)
    return escalate(request, user, notice.finding_id)


NOTICE_ACTIONS: dict[str, Callable[[HttpRequest, User, str], str]] = {
    "respond": respond,
    "accept": accept,
    "reject": reject,
    "escalate": escalate_notice,
}


@login_required
@require_POST
def notice_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """Answer, accept, reject or escalate a notice; the notice page with errors if refused."""
    user = staff(request)
    return run_step(
        request,
        NOTICE_ACTIONS.get(action),
        user,
        number,
        show_refusal=lambda why: notice_page(
            request, findings.access_notice(user, number, lock=False), why, status=400
        ),
        done_url=("supervision:notice", {"number": number}),
    )


# --- Alerts ----------------------------------------------------------------------------------


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    """我的提醒: the viewer's alerts, unread first, with the unread count."""
    user = staff(request)
    page = Paginator(alerts.my_alerts(user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "unread": alerts.unread_count(user)}
    return render(request, "supervision/alerts/list.html", context)


@login_required
@require_POST
def alert_read(request: HttpRequest) -> HttpResponse:
    """Mark one alert (``alert`` field) or all (no field) read."""
    user = staff(request)
    raw = request.POST.get("alert", "").strip()
    ids = None
    if raw:
        if not raw.isdigit():
            raise Http404
        ids = [int(raw)]
    alerts.mark_read(user=user, alert_ids=ids)
    return redirect("supervision:alerts")
