"""Monitoring reads (监控查询): outbox lag, queue depth, correlation facts, incidents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Min, Q, QuerySet
from huey.contrib.djhuey import HUEY

from egov.core import subscribers
from egov.core.models import Delivery, Event, SecurityEvent
from egov.core.permissions import scopes_for
from egov.core.selectors.outbox import outbox_status
from egov.monitoring import correlation
from egov.monitoring.models import Incident, ProbedSystem, SignIn
from egov.monitoring.permissions import VIEW_INCIDENTS, VIEW_SYSTEMS


@dataclass(frozen=True)
class SubscriberLag:
    """How far behind one outbox subscriber is (订阅者积压)."""

    subscriber: str
    registered: bool
    position: int
    pending: int
    retrying: int
    dead_letters: int
    lag_seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "subscriber": self.subscriber,
            "registered": self.registered,
            "position": self.position,
            "pending": self.pending,
            "retrying": self.retrying,
            "dead_letters": self.dead_letters,
            "lag_seconds": round(self.lag_seconds, 3),
        }


def oldest_undelivered(name: str, position: int) -> dt.datetime | None:
    """When the oldest event this subscriber still owes was published (new or parked)."""
    entry = subscribers.get(name)
    events = Event.objects.filter(id__gt=position)
    if entry is not None and entry.event_types is not None:
        events = events.filter(event_type__in=entry.event_types)
    newest_unread = events.order_by("id").values_list("occurred_at", flat=True).first()
    parked = (
        Delivery.objects.filter(subscriber=name)
        .order_by("event_id")
        .values_list("event__occurred_at", flat=True)
        .first()
    )
    moments = [moment for moment in (newest_unread, parked) if moment is not None]
    return min(moments) if moments else None


def outbox_lag(now: dt.datetime) -> list[SubscriberLag]:
    """Each subscriber's position, backlog, dead letters and lag in seconds (0 if caught up)."""
    lags = []
    for status in outbox_status():
        oldest = oldest_undelivered(status.name, status.position)
        lags.append(
            SubscriberLag(
                subscriber=status.name,
                registered=status.registered,
                position=status.position,
                pending=status.pending,
                retrying=status.retrying + status.waiting,
                dead_letters=status.dead_letters,
                lag_seconds=max(0.0, (now - oldest).total_seconds()) if oldest else 0.0,
            )
        )
    return lags


def queue_backend() -> str:
    """The job queue's storage: ``sqlite``, ``redis``, ``priorityredis`` (``memory`` in tests)."""
    return type(HUEY.storage).__name__.lower().removesuffix("storage")


def queue_depth() -> int:
    """Tasks waiting in the job queue (huey: SQLite file or Redis); raises if unreachable."""
    return int(HUEY.pending_count())


# --- correlation facts -------------------------------------------------------------------


def failed_logins(since: dt.datetime, until: dt.datetime) -> tuple[correlation.FailedLogin, ...]:
    rows = SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.LOGIN_FAILED,
        occurred_at__gte=since,
        occurred_at__lt=until,
        ip_address__isnull=False,
    ).values_list("pk", "occurred_at", "username", "ip_address")
    return tuple(
        correlation.FailedLogin(event_id=pk, at=at, username=username, ip_address=str(address))
        for pk, at, username, address in rows  # the address is never null here (filtered)
    )


def address_history(user_ids: set[int], until: dt.datetime) -> dict[int, dict[str, dt.datetime]]:
    """For each user, every address they signed in from before ``until`` and when first."""
    rows = (
        SignIn.objects.filter(user_id__in=user_ids, signed_in_at__lt=until)
        .values("user_id", "ip_address")
        .annotate(first=Min("signed_in_at"))
        .order_by()
    )
    history: dict[int, dict[str, dt.datetime]] = {}
    for row in rows:
        history.setdefault(row["user_id"], {})[row["ip_address"] or ""] = row["first"]
    return history


def privileged_sign_ins(
    since: dt.datetime, until: dt.datetime
) -> tuple[correlation.SignInFact, ...]:
    """Privileged sign-ins in the period, each with the addresses its account used before."""
    sign_ins = list(
        SignIn.objects.filter(privileged=True, signed_in_at__gte=since, signed_in_at__lt=until)
        .select_related("user__staff__organisation")
        .order_by("signed_in_at", "pk")
    )
    history = address_history({s.user_id for s in sign_ins if s.user_id}, until)
    facts = []
    for sign_in in sign_ins:
        earlier = history.get(sign_in.user_id or 0, {})
        before = {ip for ip, first in earlier.items() if first < sign_in.signed_in_at}
        facts.append(
            correlation.SignInFact(
                sign_in_id=sign_in.pk,
                at=sign_in.signed_in_at,
                username=sign_in.username,
                ip_address=sign_in.ip_address or "",
                privileged=True,
                roles=tuple(sign_in.roles),
                organisation=organisation_code_of(sign_in.user),
                addresses_seen_before=frozenset(ip for ip in before if ip),
                signed_in_before=bool(before),
            )
        )
    return tuple(facts)


def organisation_code_of(user: Any) -> str:
    staff = getattr(user, "staff", None) if user is not None else None
    return staff.organisation.code if staff is not None else ""


def privilege_changes(
    since: dt.datetime, until: dt.datetime
) -> tuple[correlation.PrivilegeChange, ...]:
    events = SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.PRIVILEGE_CHANGED, occurred_at__gte=since, occurred_at__lt=until
    ).order_by("occurred_at", "pk")
    return tuple(
        correlation.PrivilegeChange(
            event_id=event.pk,
            at=event.occurred_at,
            username=event.username,
            change=str(event.detail.get("change", "")),
            role=str(event.detail.get("role", "")),
            organisation=str(event.detail.get("organisation", "")),
            actor=str(event.detail.get("actor", "")),
        )
        for event in events
    )


def correlation_facts(since: dt.datetime, until: dt.datetime) -> correlation.Facts:
    """What the correlation rules judge, for events in [since, until)."""
    return correlation.Facts(
        failed_logins=failed_logins(since, until),
        sign_ins=privileged_sign_ins(since, until),
        privilege_changes=privilege_changes(since, until),
    )


# --- incidents -----------------------------------------------------------------------------


def in_scope(rows: QuerySet[Any], user: Any, action: str) -> QuerySet[Any]:
    """The rows (with an ``organisation``) the user may see for ``action`` (ADR 0009).

    One holding the role at a root organisation (the provincial government)
    sees every row, those tied to no organisation too; one at a city or county
    sees those of its subtree.
    """
    grants = scopes_for(user, action)
    if any(grant.organisation_path.count("/") == 1 for grant in grants):
        return rows
    subtree = Q(pk__in=[])
    for grant in grants:
        subtree |= Q(organisation__path__startswith=grant.organisation_path)
    return rows.filter(subtree)


def incidents_in_scope(user: Any) -> QuerySet[Incident]:
    """Incidents the auditor or administrator may see; those with no organisation from the top."""
    return in_scope(Incident.objects.all(), user, VIEW_INCIDENTS)


def probed_systems(user: Any) -> QuerySet[ProbedSystem]:
    """The inventory's systems the user may see, by code, with their last probe."""
    rows = ProbedSystem.objects.select_related("organisation").order_by("code")
    return in_scope(rows, user, VIEW_SYSTEMS)


def incidents(user: Any, *, status: str = "") -> QuerySet[Incident]:
    """Incidents in scope, newest first, optionally of one status."""
    found = incidents_in_scope(user)
    if status:
        found = found.filter(status=status)
    return found.select_related("organisation", "acknowledged_by", "closed_by")
