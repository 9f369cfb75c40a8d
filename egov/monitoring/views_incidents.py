"""Monitoring pages: incidents (安全事件处置) and their actions; the systems inventory."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.core.permissions import may
from egov.core.views import staff_or_refuse
from egov.monitoring import correlation, selectors, services
from egov.monitoring.models import Incident
from egov.monitoring.permissions import HANDLE_INCIDENTS, VIEW_INCIDENTS, VIEW_SYSTEMS

PAGE_SIZE = 30
EXPIRY_WARNING_DAYS = 30


def rule_names() -> dict[str, str]:
    return {rule.code: _(rule.name) for rule in correlation.RULES}


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    """Incidents in the viewer's scope, by status (open by default), with their evidence."""
    user = staff_or_refuse(request, VIEW_INCIDENTS)
    status = request.GET.get("status", Incident.Status.OPEN)
    if status not in Incident.Status.values and status != "all":
        status = Incident.Status.OPEN
    found = selectors.incidents(user, status="" if status == "all" else status)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": Incident.Status.choices,
        "rule_names": rule_names(),
        "may_handle": may(user, HANDLE_INCIDENTS),
    }
    return render(request, "monitoring/incidents.html", context)


def back_to_list(request: HttpRequest) -> HttpResponseRedirect:
    status = request.POST.get("status", "")
    suffix = f"?status={status}" if status in [*Incident.Status.values, "all"] else ""
    return redirect(f"/monitoring/incidents/{suffix}")


def handle(
    request: HttpRequest, incident_id: int, step: Callable[..., object], done: str
) -> HttpResponse:
    """Run ``step`` (a service taking actor, incident_id, note) and say how it went."""
    user = staff_or_refuse(request, HANDLE_INCIDENTS)
    try:
        step(actor=user, incident_id=incident_id, note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, done % {"id": incident_id})
    return back_to_list(request)


@login_required
@require_POST
def acknowledge(request: HttpRequest, incident_id: int) -> HttpResponse:
    """确认: the incident is being looked into."""
    done = _("已确认安全事件 #%(id)s。")
    return handle(request, incident_id, services.acknowledge_incident, done)


@login_required
@require_POST
def close(request: HttpRequest, incident_id: int) -> HttpResponse:
    """关闭: handled, with a note saying how."""
    return handle(request, incident_id, services.close_incident, _("已关闭安全事件 #%(id)s。"))


@login_required
def system_list(request: HttpRequest) -> HttpResponse:
    """The systems and sites inventory (系统与网站清单) with each one's last probe."""
    user = staff_or_refuse(request, VIEW_SYSTEMS)
    systems = list(selectors.probed_systems(user))
    now = timezone.now()
    rows = [
        {
            "system": system,
            "days_left": (system.certificate_expires - now).days
            if system.certificate_expires
            else None,
        }
        for system in systems
    ]
    context = {"rows": rows, "expiry_warning_days": EXPIRY_WARNING_DAYS}
    return render(request, "monitoring/systems.html", context)
