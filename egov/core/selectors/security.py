"""Security event reads (安全事件查询) for auditors and, later, monitoring."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from egov.core.models import SecurityEvent
from egov.core.permissions import scopes_for


def events_in_scope(user: Any) -> QuerySet[SecurityEvent]:
    """Security events the auditor may read (ADR 0009 scoping).

    An auditor at a root organisation (the provincial government) reads every
    event, those with no known organisation too (an unknown username tried); one
    at a city or county reads the events of organisations in that subtree.
    """
    grants = scopes_for(user, "audit.view")
    events = SecurityEvent.objects.all()
    if any(grant.organisation_path.count("/") == 1 for grant in grants):
        return events
    subtree = Q(pk__in=[])
    for grant in grants:
        subtree |= Q(organisation__path__startswith=grant.organisation_path)
    return events.filter(subtree)


def security_events(
    user: Any,
    *,
    kind: str = "",
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    username: str = "",
) -> QuerySet[SecurityEvent]:
    """The events in ``user``'s scope, newest first, filtered by kind, time range, username."""
    events = events_in_scope(user)
    if kind:
        events = events.filter(kind=kind)
    if since is not None:
        events = events.filter(occurred_at__gte=since)
    if until is not None:
        events = events.filter(occurred_at__lt=until)
    if username:
        events = events.filter(username__icontains=username)
    return events.select_related("organisation").order_by("-occurred_at", "-pk")
