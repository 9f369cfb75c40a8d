"""Outbox reads (事件发件箱查询): per-subscriber status and dead letters."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from egov.core import subscribers
from egov.core.models import DeadLetter, Delivery, Event, SubscriberPosition


@dataclass(frozen=True)
class SubscriberStatus:
    """Where one subscriber stands (订阅者状态)."""

    name: str
    registered: bool
    position: int
    pending: int
    retrying: int
    waiting: int
    dead_letters: int


def subscriber_status(name: str, position: int) -> SubscriberStatus:
    entry = subscribers.get(name)
    events = Event.objects.filter(id__gt=position)
    if entry is not None and entry.event_types is not None:
        events = events.filter(event_type__in=entry.event_types)
    parked = Delivery.objects.filter(subscriber=name)
    return SubscriberStatus(
        name=name,
        registered=entry is not None,
        position=position,
        pending=events.count(),
        retrying=parked.filter(attempts__gt=0).count(),
        waiting=parked.filter(attempts=0).count(),
        dead_letters=DeadLetter.objects.filter(subscriber=name, resolved_at__isnull=True).count(),
    )


def outbox_status() -> list[SubscriberStatus]:
    """Every registered subscriber and every one with a stored position, by name.

    ``pending``: events after the position it wants; ``retrying``: failed events
    waiting for their next attempt; ``waiting``: events parked behind an earlier
    failure of the same aggregate; ``dead_letters``: unresolved dead letters.
    """
    positions = dict(SubscriberPosition.objects.values_list("subscriber", "last_event_id"))
    names = sorted(set(positions) | {entry.name for entry in subscribers.registered()})
    return [subscriber_status(name, positions.get(name, 0)) for name in names]


def dead_letters(*, subscriber: str = "", include_resolved: bool = False) -> QuerySet[DeadLetter]:
    """Dead letters for administrators (死信), newest first, with their events."""
    letters = DeadLetter.objects.select_related("event").order_by("-failed_at", "-id")
    if subscriber:
        letters = letters.filter(subscriber=subscriber)
    if not include_resolved:
        letters = letters.filter(resolved_at__isnull=True)
    return letters
