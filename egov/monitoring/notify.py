"""Incident notifications (安全事件通知) by e-mail to administrators and auditors in scope.

An incident tied to an organisation goes to the active administrators and
auditors holding their role at that organisation or above it; one tied to no
organisation (an address trying many accounts) goes to those at a root
organisation (the provincial government). Each incident is claimed with a
conditional UPDATE before sending, so two workers never send it twice; one
that finds no recipient with an e-mail address is marked done all the same.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone

from egov.core.models import RoleAssignment
from egov.core.policy import allowed_roles
from egov.monitoring.models import Incident
from egov.monitoring.permissions import VIEW_INCIDENTS

logger = logging.getLogger(__name__)
SUBJECT_PREFIX = "【安全事件】"


def ancestor_paths(path: str) -> list[str]:
    """``"a/b/c/"`` → ``["a/", "a/b/", "a/b/c/"]``: the organisation and those above it."""
    parts = [part for part in path.split("/") if part]
    return ["/".join(parts[: n + 1]) + "/" for n in range(len(parts))]


def recipients(incident: Incident) -> list[str]:
    """E-mail addresses of the administrators and auditors whose scope holds the incident."""
    organisation = incident.organisation
    paths = ancestor_paths(organisation.path) if organisation else []
    where = Q(organisation__path__in=paths) if paths else Q(organisation__parent__isnull=True)
    emails = (
        RoleAssignment.objects.filter(where, role__in=allowed_roles(VIEW_INCIDENTS))
        .filter(user__is_active=True, organisation__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(set(emails))


def message(incident: Incident) -> tuple[str, str]:
    subject = f"{SUBJECT_PREFIX}{incident.summary}"[:200]
    body = "\n".join(
        [
            f"规则 rule: {incident.rule_code}",
            f"对象 subject: {incident.subject}",
            f"严重程度 severity: {incident.severity}",
            f"时间 window: {incident.window_start.isoformat()} — {incident.window_end.isoformat()}",
            f"证据 evidence: {incident.evidence}",
            "",
            "请在工作台“安全事件处置”页面确认或关闭：/monitoring/incidents/",
        ]
    )
    return subject, body


def claim(incident: Incident, now: dt.datetime) -> bool:
    return bool(
        Incident.objects.filter(pk=incident.pk, notified_at__isnull=True).update(notified_at=now)
    )


def notify_pending_incidents(*, now: dt.datetime | None = None) -> int:
    """E-mail every incident not yet notified; how many messages were sent."""
    moment = now or timezone.now()
    sent = 0
    pending = Incident.objects.filter(notified_at__isnull=True).select_related("organisation")
    for incident in pending.order_by("pk"):
        if not claim(incident, moment):
            continue
        addresses = recipients(incident)
        if not addresses:
            continue
        subject, body = message(incident)
        try:
            send_mail(subject, body, None, addresses)
        except Exception:  # the mail server down: try again at the next run
            logger.exception("monitoring: cannot e-mail incident %s", incident.pk)
            Incident.objects.filter(pk=incident.pk).update(notified_at=None)
            continue
        sent += 1
    return sent
