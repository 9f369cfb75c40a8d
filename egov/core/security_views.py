"""The auditors' security events page (安全事件) ``/workbench/security/``."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date

from egov.core.models import SecurityEvent
from egov.core.selectors.security import security_events
from egov.core.views import staff_or_refuse

PAGE_SIZE = 50
SHANGHAI = ZoneInfo("Asia/Shanghai")


def day_start(text: str) -> dt.datetime | None:
    """Midnight (Beijing time) of the date ``YYYY-MM-DD``; None when blank or malformed."""
    try:
        day = parse_date(text.strip())
    except ValueError:
        return None
    return dt.datetime.combine(day, dt.time(), tzinfo=SHANGHAI) if day else None


@login_required
def security_event_list(request: HttpRequest) -> HttpResponse:
    """Security events in the auditor's subtree, filtered by kind and dates (inclusive)."""
    user = staff_or_refuse(request, "audit.view")
    get = request.GET
    kind = get.get("kind", "") if get.get("kind", "") in SecurityEvent.Kind.values else ""
    until = day_start(get.get("to", ""))
    events = security_events(
        user,
        kind=kind,
        since=day_start(get.get("from", "")),
        until=until + dt.timedelta(days=1) if until else None,
        username=get.get("username", "").strip()[:150],
    )
    page = Paginator(events, PAGE_SIZE).get_page(get.get("page"))
    query = get.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "kinds": SecurityEvent.Kind.choices,
        "kind": kind,
        "filters": get,
        "query": query.urlencode(),
        "page_size": PAGE_SIZE,
    }
    return render(request, "core/security_events.html", context)
