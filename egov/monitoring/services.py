"""Monitoring writes (监控写操作): sign-ins, incidents opened by correlation, their handling.

Every change to an incident is an audit-chain entry in the same transaction
(``core.services.audit.record_audit``). Correlation is idempotent: a hit
whose fingerprint is known, or that overlaps an incident of the same rule and
subject, opens nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from egov.core.errors import InvalidInputError, NotFoundError
from egov.core.models import Organisation, User
from egov.core.otp import PRIVILEGED_ROLES
from egov.core.permissions import grants_of, require
from egov.core.services.audit import record_audit
from egov.core.services.security import client_address
from egov.monitoring import correlation, probes, selectors
from egov.monitoring.errors import ErrorCode
from egov.monitoring.models import Incident, ProbedSystem, SignIn
from egov.monitoring.permissions import HANDLE_INCIDENTS

SYSTEM = "system"
NOTE_MAX = 2000
DEFAULT_LOOKBACK = dt.timedelta(hours=1)
CORRELATION_LOCK_KEY = 0x45474F564D4F4E  # "EGOVMON": one correlation run at a time (PostgreSQL)


def record_sign_in(*, user: User, request: Any = None) -> SignIn:
    """Record a successful sign-in (登录记录) with the address and the roles then held."""
    roles = sorted({grant.role for grant in grants_of(user)})
    return SignIn.objects.create(
        user=user,
        username=user.get_username(),
        signed_in_at=timezone.now(),
        ip_address=client_address(request),
        entrance=str(getattr(request, "path", ""))[:200],
        roles=roles,
        privileged=bool(set(roles) & PRIVILEGED_ROLES) or user.is_superuser,
    )


# --- correlation ---------------------------------------------------------------------------


def rule_parameters() -> dict[str, dict[str, Any]]:
    """The rules' parameters from the settings (``EGOV_MONITORING_*``)."""
    return {
        correlation.BRUTE_FORCE.code: {
            "distinct_usernames": settings.EGOV_MONITORING_BRUTE_FORCE_USERNAMES,
            "window_minutes": settings.EGOV_MONITORING_BRUTE_FORCE_MINUTES,
        },
        correlation.ODD_HOURS.code: {"hours": settings.EGOV_MONITORING_ODD_HOURS},
    }


def already_known(hit: correlation.Hit) -> bool:
    """Is the pattern known: same fingerprint, or same rule and subject overlapping?"""
    return (
        Incident.objects.filter(fingerprint=hit.fingerprint).exists()
        or Incident.objects.filter(
            rule_code=hit.rule_code,
            subject=hit.subject,
            window_start__lte=hit.window_end,
            window_end__gte=hit.window_start,
        ).exists()
    )


def open_incident(hit: correlation.Hit, *, actor: Any, now: dt.datetime) -> Incident:
    organisation = (
        Organisation.objects.filter(code=hit.organisation).first() if hit.organisation else None
    )
    incident = Incident.objects.create(
        rule_code=hit.rule_code,
        subject=hit.subject[:200],
        fingerprint=hit.fingerprint,
        severity=hit.severity,
        summary=hit.summary[:255],
        evidence=dict(hit.evidence),
        window_start=hit.window_start,
        window_end=hit.window_end,
        organisation=organisation,
        opened_at=now,
    )
    record_audit(
        actor=actor,
        action="monitoring.incident_opened",
        object_type="incident",
        object_id=str(incident.pk),
        summary=f"{hit.rule_code}: {hit.summary}"[:500],
        organisation=organisation.code if organisation else "",
    )
    return incident


def hold_correlation_lock() -> None:
    """Serialise correlation runs: PostgreSQL advisory lock; SQLite's IMMEDIATE already does."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CORRELATION_LOCK_KEY])


def open_incidents(
    *, hits: Sequence[correlation.Hit], actor: Any = SYSTEM, now: dt.datetime | None = None
) -> list[Incident]:
    """Open one incident per new pattern (开立安全事件), each audited; known ones are skipped."""
    moment = now or timezone.now()
    opened = []
    with transaction.atomic():
        hold_correlation_lock()
        for hit in hits:
            if not already_known(hit):
                opened.append(open_incident(hit, actor=actor, now=moment))
    return opened


@dataclass
class CorrelationRun:
    """What one correlation run judged and opened."""

    since: dt.datetime
    until: dt.datetime
    hits: int = 0
    opened: list[Incident] = field(default_factory=list)
    notified: int = 0


def correlate_security_events(
    *,
    now: dt.datetime | None = None,
    lookback: dt.timedelta = DEFAULT_LOOKBACK,
    actor: Any = SYSTEM,
) -> CorrelationRun:
    """Correlate the security events of the last ``lookback`` into incidents (关联分析).

    Reads the facts, runs every rule, opens the new incidents in one durable
    transaction, then e-mails the administrators and auditors in scope (after
    the commit, so no message is sent for a rolled-back incident).
    """
    from egov.monitoring.notify import notify_pending_incidents

    until = now or timezone.now()
    since = until - lookback
    hits = correlation.correlate(selectors.correlation_facts(since, until), rule_parameters())
    with transaction.atomic(durable=True):
        opened = open_incidents(hits=hits, actor=actor, now=until)
    run = CorrelationRun(since=since, until=until, hits=len(hits), opened=opened)
    run.notified = notify_pending_incidents(now=until)
    return run


# --- handling ------------------------------------------------------------------------------


def access_incident(actor: Any, incident_id: Any, *, lock: bool = False) -> Incident:
    """The incident if the actor may handle it; "not found" alike for missing and forbidden."""
    require(actor, HANDLE_INCIDENTS)
    found = (
        Incident.objects.all() if isinstance(actor, str) else selectors.incidents_in_scope(actor)
    )
    if lock:
        found = found.select_for_update()
    try:
        return found.get(pk=int(incident_id))
    except (Incident.DoesNotExist, TypeError, ValueError):
        raise NotFoundError(ErrorCode.INCIDENT_NOT_FOUND, "no such incident", "incident") from None


def clean_note(note: str, *, required: bool) -> str:
    text = str(note or "").strip()
    if required and not text:
        raise InvalidInputError(ErrorCode.NOTE_REQUIRED, "note", "say how the incident was handled")
    if len(text) > NOTE_MAX:
        raise InvalidInputError(ErrorCode.NOTE_TOO_LONG, "note", f"at most {NOTE_MAX} characters")
    return text


def audit_handling(actor: Any, incident: Incident, action: str, note: str) -> None:
    record_audit(
        actor=actor,
        action=action,
        object_type="incident",
        object_id=str(incident.pk),
        summary=f"{incident.rule_code} {incident.subject}: {note}"[:500],
    )


def acknowledge_incident(*, actor: Any, incident_id: Any, note: str = "") -> Incident:
    """Acknowledge an open incident (确认): someone is looking into it."""
    text = clean_note(note, required=False)
    with transaction.atomic(durable=True):
        incident = access_incident(actor, incident_id, lock=True)
        if incident.status != Incident.Status.OPEN:
            raise InvalidInputError(
                ErrorCode.INCIDENT_ALREADY_ACKNOWLEDGED, "status", f"incident is {incident.status}"
            )
        incident.status = Incident.Status.ACKNOWLEDGED
        incident.acknowledged_at = timezone.now()
        incident.acknowledged_by = actor if isinstance(actor, User) else None
        incident.note = text or incident.note
        incident.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "note"])
        audit_handling(actor, incident, "monitoring.incident_acknowledged", text)
    return incident


def close_incident(*, actor: Any, incident_id: Any, note: str) -> Incident:
    """Close an incident (关闭) with a note saying how it was handled."""
    text = clean_note(note, required=True)
    with transaction.atomic(durable=True):
        incident = access_incident(actor, incident_id, lock=True)
        if incident.status == Incident.Status.CLOSED:
            raise InvalidInputError(ErrorCode.INCIDENT_CLOSED, "status", "incident is closed")
        incident.status = Incident.Status.CLOSED
        incident.closed_at = timezone.now()
        incident.closed_by = actor if isinstance(actor, User) else None
        incident.note = text
        incident.save(update_fields=["status", "closed_at", "closed_by", "note"])
        audit_handling(actor, incident, "monitoring.incident_closed", text)
    return incident


# --- probes of the systems inventory ------------------------------------------------------

PROBE_THREADS = 8


def run_probe(system: ProbedSystem) -> probes.ProbeOutcome:
    return probes.probe(
        system.kind,
        system.target,
        timeout=system.timeout_seconds,
        expected_status=system.expected_status,
        verify=system.verify_tls,
    )


def record_probe(system: ProbedSystem, outcome: probes.ProbeOutcome, now: dt.datetime) -> None:
    """Keep the probe's result on the system; ``failing_since`` marks when it went wrong."""
    system.last_checked_at = now
    system.last_ok = outcome.ok
    system.last_seconds = round(outcome.seconds, 4)
    system.last_status_code = outcome.status_code
    system.last_error = outcome.error[:300]
    system.failing_since = None if outcome.ok else (system.failing_since or now)
    if outcome.ok:  # a failed probe keeps the last expiry seen
        system.certificate_expires = outcome.certificate_expires
    system.save(update_fields=[*PROBE_FIELDS])


PROBE_FIELDS = (
    "last_checked_at",
    "last_ok",
    "last_seconds",
    "last_status_code",
    "last_error",
    "failing_since",
    "certificate_expires",
)


def probe_systems(
    *, now: dt.datetime | None = None, codes: Sequence[str] = ()
) -> list[tuple[ProbedSystem, probes.ProbeOutcome]]:
    """Probe every active system of the inventory (系统探测), a few at a time; keep the results.

    Observations, not accountable decisions: nothing is audited. ``codes``
    limits the run to those systems.
    """
    systems = ProbedSystem.objects.filter(is_active=True)
    if codes:
        systems = systems.filter(code__in=codes)
    found = list(systems)
    if not found:
        return []
    with ThreadPoolExecutor(max_workers=min(PROBE_THREADS, len(found))) as pool:
        outcomes = list(pool.map(run_probe, found))
    moment = now or timezone.now()
    with transaction.atomic():
        for system, outcome in zip(found, outcomes, strict=True):
            record_probe(system, outcome, moment)
    return list(zip(found, outcomes, strict=True))
