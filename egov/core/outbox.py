"""Outbox delivery (事件投递): hand each subscriber the events it has not yet handled.

For each registered subscriber, :func:`deliver_pending` does two passes:

1. **Retries.** Events the subscriber failed on (``Delivery`` rows) are tried
   again once due, oldest first. Within one aggregate only the earliest open
   delivery is tried; the ones behind it wait. After
   ``settings.OUTBOX_MAX_ATTEMPTS`` attempts an event goes to ``DeadLetter``
   and the aggregate's later events move on.
2. **New events.** Events after the subscriber's position, in id order, one
   transaction each: the position is advanced (a compare-and-set on the
   position row, which also takes its row lock) and the handler runs in a
   savepoint of that same transaction. A handler that raises ``Exception`` has
   its writes rolled back and the event parked as a ``Delivery`` with
   exponential backoff; later events of the same aggregate are parked behind it
   (in order) while other aggregates proceed.

A crash (``BaseException``: the worker killed, interrupted, shut down) rolls
back the in-flight event's transaction: its handler's writes and the position
move both vanish, so the next run starts at that event. Hence **at least once**:
every event is handled; the only event a subscriber can see twice is the one
that was in flight when its worker died (plus re-queued dead letters), and a
handler's database writes are never applied twice because they commit with the
position.

Two workers never deliver to the same subscriber at once: on PostgreSQL the
first takes a session advisory lock per subscriber and the second skips that
subscriber; on SQLite IMMEDIATE transactions serialise writers and the
compare-and-set on the position makes a worker that lost the race stop.
"""

from __future__ import annotations

import hashlib
import logging
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from egov.core import subscribers as registry
from egov.core.models import DeadLetter, Delivery, Event, SubscriberPosition
from egov.core.subscribers import Subscriber

logger = logging.getLogger(__name__)
ERROR_TEXT_MAX = 4000


@dataclass
class SubscriberReport:
    """What one delivery run did for one subscriber."""

    subscriber: str
    delivered: int = 0
    failed: int = 0
    dead_lettered: int = 0
    deferred: int = 0
    skipped: bool = False
    more: bool = False


@dataclass
class DeliveryReport:
    """What one delivery run did, per subscriber."""

    subscribers: list[SubscriberReport] = field(default_factory=list)

    @property
    def delivered(self) -> int:
        return sum(report.delivered for report in self.subscribers)

    @property
    def failed(self) -> int:
        return sum(report.failed for report in self.subscribers)

    @property
    def dead_lettered(self) -> int:
        return sum(report.dead_lettered for report in self.subscribers)

    @property
    def more(self) -> bool:
        """Did any subscriber read a full batch (so more events may be waiting)?"""
        return any(report.more for report in self.subscribers)


def max_attempts() -> int:
    return max(1, int(settings.OUTBOX_MAX_ATTEMPTS))


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the n-th failed attempt: base, 2×base, 4×base… capped."""
    base = float(getattr(settings, "OUTBOX_RETRY_BASE_SECONDS", 30))
    cap = float(getattr(settings, "OUTBOX_RETRY_MAX_SECONDS", 3600))
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def subscriber_lock_key(name: str) -> int:
    digest = hashlib.sha256(f"egov.outbox:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def subscriber_lock(name: str) -> Iterator[bool]:
    """Hold this subscriber for one worker; yields False if another worker has it."""
    if connection.vendor != "postgresql":
        yield True
        return
    key = subscriber_lock_key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        acquired = bool(cursor.fetchone()[0])
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def run_handler(subscriber: Subscriber, event: Event) -> str | None:
    """Call the handler in a savepoint; the error text if it raised, else None."""
    try:
        with transaction.atomic():
            subscriber.handler(event)
    except Exception as exc:
        logger.warning(
            "outbox: subscriber %s failed on event %s: %s", subscriber.name, event.pk, exc
        )
        return traceback.format_exc()[-ERROR_TEXT_MAX:]
    return None


def record_failure(
    delivery: Delivery, error: str, *, now: datetime, report: SubscriberReport
) -> bool:
    """Count a failed attempt; dead-letter it at the limit. True if dead-lettered."""
    delivery.attempts += 1
    delivery.last_error = error
    if delivery.attempts >= max_attempts():
        DeadLetter.objects.create(
            subscriber=delivery.subscriber,
            event_id=delivery.event_id,
            attempts=delivery.attempts,
            last_error=error,
        )
        if delivery.pk:
            delivery.delete()
        report.dead_lettered += 1
        return True
    delivery.next_attempt_at = now + retry_delay(delivery.attempts)
    delivery.save()
    report.failed += 1
    return False


def retry_one(
    subscriber: Subscriber, delivery: Delivery, *, now: datetime, report: SubscriberReport
) -> bool:
    """Try a parked event again. True if it is settled (delivered or dead-lettered)."""
    with transaction.atomic():
        current = (
            Delivery.objects.select_for_update()
            .filter(pk=delivery.pk, attempts=delivery.attempts)
            .first()
        )
        if current is None:  # another worker settled or retried it meanwhile
            return False
        if not subscriber.wants(delivery.event.event_type):
            current.delete()
            return True
        error = run_handler(subscriber, delivery.event)
        if error is None:
            current.delete()
            report.delivered += 1
            return True
        return record_failure(current, error, now=now, report=report)


def retry_due(
    subscriber: Subscriber, *, now: datetime, limit: int, report: SubscriberReport
) -> None:
    """The retry pass: due parked events, oldest first, one at a time per aggregate."""
    parked = (
        Delivery.objects.filter(subscriber=subscriber.name)
        .select_related("event")
        .order_by("event_id")[:limit]
    )
    held: set[str] = set()
    for delivery in parked:
        aggregate = delivery.event.aggregate
        if aggregate in held:
            continue
        if delivery.next_attempt_at > now or not retry_one(
            subscriber, delivery, now=now, report=report
        ):
            held.add(aggregate)


def blocked_aggregates(name: str) -> set[str]:
    """Aggregates with a parked event for this subscriber: their new events must wait."""
    rows = Delivery.objects.filter(subscriber=name).values_list("event__aggregate", flat=True)
    return set(rows.distinct())


def deliver_one(
    subscriber: Subscriber,
    event: Event,
    *,
    position: int,
    blocked: set[str],
    now: datetime,
    report: SubscriberReport,
) -> bool:
    """Handle one new event and move the position past it. False if the race was lost."""
    with transaction.atomic():
        claimed = SubscriberPosition.objects.filter(
            subscriber=subscriber.name, last_event_id=position
        ).update(last_event_id=event.pk, updated_at=timezone.now())
        if not claimed:
            return False
        if event.aggregate in blocked:
            Delivery.objects.create(
                subscriber=subscriber.name,
                event=event,
                next_attempt_at=now,
                last_error="waiting for an earlier event of the same aggregate",
            )
            report.deferred += 1
            return True
        error = run_handler(subscriber, event)
        if error is None:
            report.delivered += 1
            return True
        parked = Delivery(subscriber=subscriber.name, event=event, next_attempt_at=now)
        if not record_failure(parked, error, now=now, report=report):
            blocked.add(event.aggregate)
        return True


def new_events(subscriber: Subscriber, position: int, batch_size: int) -> list[Event]:
    """The next batch of events after the position that this subscriber wants."""
    events = Event.objects.filter(id__gt=position).order_by("id")
    if subscriber.event_types is not None:
        events = events.filter(event_type__in=subscriber.event_types)
    return list(events[:batch_size])


def deliver_new(
    subscriber: Subscriber, *, batch_size: int, now: datetime, report: SubscriberReport
) -> None:
    """The forward pass over events after the subscriber's position."""
    position_row, _ = SubscriberPosition.objects.get_or_create(subscriber=subscriber.name)
    position = position_row.last_event_id
    blocked = blocked_aggregates(subscriber.name)
    events = new_events(subscriber, position, batch_size)
    report.more = len(events) == batch_size
    for event in events:
        if not deliver_one(
            subscriber, event, position=position, blocked=blocked, now=now, report=report
        ):
            report.more = True
            return
        position = event.pk


def deliver_to(subscriber: Subscriber, *, batch_size: int, now: datetime) -> SubscriberReport:
    """One delivery run for one subscriber: retries first, then new events."""
    report = SubscriberReport(subscriber.name)
    with subscriber_lock(subscriber.name) as acquired:
        if not acquired:
            report.skipped = True
            return report
        retry_due(subscriber, now=now, limit=batch_size, report=report)
        deliver_new(subscriber, batch_size=batch_size, now=now, report=report)
    return report


def deliver_pending(*, batch_size: int = 500, now: datetime | None = None) -> DeliveryReport:
    """Deliver pending events to every registered subscriber, one batch each (投递事件).

    ``now`` decides which retries are due (defaults to the current time).
    Returns what was done per subscriber; ``report.more`` says whether a full
    batch was read, so calling again may find more.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    moment = now or timezone.now()
    return DeliveryReport(
        [deliver_to(sub, batch_size=batch_size, now=moment) for sub in registry.registered()]
    )
