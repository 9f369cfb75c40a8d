"""Outbox delivery (事件投递): hand each subscriber the events it has not yet handled.

For each registered subscriber, :func:`deliver_pending` does two passes:

1. **Retries.** Events the subscriber failed on (``Delivery`` rows) are tried
   again once due, oldest first. Within one aggregate only the earliest open
   delivery is tried; the ones behind it wait. After
   ``settings.OUTBOX_MAX_ATTEMPTS`` attempts an event goes to ``DeadLetter``
   and the aggregate's later events move on.
2. **New events**, in batches: up to ``batch_size`` events after the
   subscriber's position that it wants, in id order, in **one transaction**.
   The position is advanced once, to the batch's last event (a compare-and-set
   on the position row, which also takes its row lock); when fewer than a full
   batch of wanted events follow, it moves on to the newest event, so events
   the subscriber does not want are skipped without being read. Events of an
   aggregate that already has a parked ``Delivery`` are parked behind it.

   * A subscriber with a ``batch_handler`` gets the rest of the batch in one
     call, in a savepoint. If it raises ``Exception``, its writes are rolled
     back to that savepoint and the same events go to ``handler`` one at a time
     in the same transaction, as below, which isolates the failing one.
   * Otherwise (and in that fallback) each event's handler runs in its own
     savepoint. A handler that raises ``Exception`` has its writes rolled back
     and the event parked as a ``Delivery`` with exponential backoff; later
     events of the same aggregate, in this batch and after, are parked behind
     it (in order) while other aggregates' events of the batch proceed and
     commit.

A crash (``BaseException``: the worker killed, interrupted, shut down) rolls
back the whole batch's transaction: every handler's writes of the batch and
the position move vanish together, so the next run starts again at the batch's
first event. Hence **at least once**: every event is handled; the events a
handler can see twice are those of the batch in flight when its worker died
(plus re-queued dead letters), and a handler's database writes are never
applied twice because they commit with the position. The batch size bounds
both how much work a crash repeats and how long one transaction holds
SQLite's write lock (``settings.OUTBOX_BATCH_SIZE``, default 500;
``batch_size=1`` is the former one-transaction-per-event delivery).

Two workers never deliver to the same subscriber at once: on PostgreSQL the
first takes a session advisory lock per subscriber and the second skips that
subscriber; on SQLite IMMEDIATE transactions serialise writers and the
compare-and-set on the position makes a worker that lost the race stop.
"""

from __future__ import annotations

import hashlib
import logging
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from egov.core import subscribers as registry
from egov.core.models import DeadLetter, Delivery, Event, SubscriberPosition
from egov.core.subscribers import Subscriber

logger = logging.getLogger(__name__)
ERROR_TEXT_MAX = 4000
DEFAULT_BATCH_SIZE = 500
WAITING = "waiting for an earlier event of the same aggregate"


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


def claim(name: str, *, position: int, until: int) -> bool:
    """Move the position from ``position`` to ``until`` (compare-and-set, takes the row lock)."""
    moved = SubscriberPosition.objects.filter(subscriber=name, last_event_id=position).update(
        last_event_id=until, updated_at=timezone.now()
    )
    return bool(moved)


def park_behind(name: str, events: Sequence[Event], *, now: datetime) -> None:
    """Park events whose aggregate waits behind an earlier failed event (attempts 0)."""
    Delivery.objects.bulk_create(
        Delivery(subscriber=name, event=event, next_attempt_at=now, last_error=WAITING)
        for event in events
    )


def deliver_each(
    subscriber: Subscriber,
    events: Sequence[Event],
    *,
    blocked: set[str],
    now: datetime,
    report: SubscriberReport,
) -> None:
    """One event at a time, each in its own savepoint; a failure parks its aggregate's rest."""
    waiting: list[Event] = []
    for event in events:
        if event.aggregate in blocked:
            waiting.append(event)
            continue
        error = run_handler(subscriber, event)
        if error is None:
            report.delivered += 1
            continue
        parked = Delivery(subscriber=subscriber.name, event=event, next_attempt_at=now)
        if not record_failure(parked, error, now=now, report=report):
            blocked.add(event.aggregate)
    park_behind(subscriber.name, waiting, now=now)
    report.deferred += len(waiting)


def run_batch_handler(subscriber: Subscriber, events: Sequence[Event]) -> bool:
    """Call the batch handler in a savepoint; False (its writes rolled back) if it raised."""
    assert subscriber.batch_handler is not None
    try:
        with transaction.atomic():
            subscriber.batch_handler(events)
    except Exception as exc:
        logger.warning(
            "outbox: subscriber %s failed on a batch of %d events (%s..%s), "
            "handing them over one at a time: %s",
            subscriber.name,
            len(events),
            events[0].pk,
            events[-1].pk,
            exc,
        )
        return False
    return True


def deliver_batch(
    subscriber: Subscriber,
    events: Sequence[Event],
    *,
    blocked: set[str],
    now: datetime,
    report: SubscriberReport,
) -> None:
    """Hand a batch over inside the caller's transaction: whole if possible, else one by one."""
    if subscriber.batch_handler is None or not events:
        deliver_each(subscriber, events, blocked=blocked, now=now, report=report)
        return
    waiting = [event for event in events if event.aggregate in blocked]
    ready = [event for event in events if event.aggregate not in blocked]
    if ready and run_batch_handler(subscriber, ready):
        report.delivered += len(ready)
    else:
        deliver_each(subscriber, ready, blocked=blocked, now=now, report=report)
    park_behind(subscriber.name, waiting, now=now)
    report.deferred += len(waiting)


@dataclass(frozen=True)
class Batch:
    """The wanted events after a position, and how far reading them has seen."""

    events: list[Event]
    until: int  # the new position: the last event seen, wanted or not
    full: bool  # batch_size wanted events were read: more may follow


def next_batch(subscriber: Subscriber, position: int, batch_size: int) -> Batch:
    """The next batch of events after the position that this subscriber wants.

    Events commit in id order (the journal lock), so once the newest id is read,
    every event up to it is visible: when fewer than ``batch_size`` wanted
    events follow the position, the position can move past the unwanted ones
    up to that newest id, and a subscriber of rare types skips the rest cheaply.
    """
    newest = Event.objects.aggregate(newest=Max("id"))["newest"] or 0
    if newest <= position:
        return Batch([], position, full=False)
    events = Event.objects.filter(id__gt=position, id__lte=newest).order_by("id")
    if subscriber.event_types is not None:
        events = events.filter(event_type__in=subscriber.event_types)
    found = list(events[:batch_size])
    if len(found) == batch_size:
        return Batch(found, found[-1].pk, full=True)
    return Batch(found, newest, full=False)


def deliver_new(
    subscriber: Subscriber, *, batch_size: int, now: datetime, report: SubscriberReport
) -> None:
    """The forward pass: one batch after the position, in one transaction."""
    position_row, _ = SubscriberPosition.objects.get_or_create(subscriber=subscriber.name)
    position = position_row.last_event_id
    batch = next_batch(subscriber, position, batch_size)
    report.more = batch.full
    if batch.until == position:
        return
    with transaction.atomic():
        if not claim(subscriber.name, position=position, until=batch.until):
            report.more = True  # another worker moved it: let the caller read again
            return
        blocked = blocked_aggregates(subscriber.name) if batch.events else set()
        deliver_batch(subscriber, batch.events, blocked=blocked, now=now, report=report)


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


def default_batch_size() -> int:
    return max(1, int(getattr(settings, "OUTBOX_BATCH_SIZE", DEFAULT_BATCH_SIZE)))


def deliver_pending(
    *, batch_size: int | None = None, now: datetime | None = None
) -> DeliveryReport:
    """Deliver pending events to every registered subscriber, one batch each (投递事件).

    ``batch_size`` (default ``settings.OUTBOX_BATCH_SIZE``, else 500) is how many
    new events each subscriber gets in its one transaction. ``now`` decides
    which retries are due (defaults to the current time). Returns what was done
    per subscriber; ``report.more`` says whether a full batch was read, so
    calling again may find more.
    """
    size = default_batch_size() if batch_size is None else batch_size
    if size < 1:
        raise ValueError("batch_size must be at least 1")
    moment = now or timezone.now()
    return DeliveryReport(
        [deliver_to(sub, batch_size=size, now=moment) for sub in registry.registered()]
    )
