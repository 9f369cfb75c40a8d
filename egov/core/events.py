"""Event outbox (事件发件箱): publish domain events in the publisher's transaction.

A service publishes an event in the same transaction as the change it reports, so
the event exists if and only if the change was committed. After commit the
worker is kicked (a huey task, enqueued with ``transaction.on_commit``) and
delivers the event to every registered subscriber at least once
(see :mod:`egov.core.subscribers` and :mod:`egov.core.outbox`).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from egov.core.journal import lock_journal
from egov.core.models import Event

# Past-tense CamelCase, letters only, at least two words: CaseAccepted, CAPAlertIssued.
EVENT_TYPE_PATTERN = re.compile(r"^[A-Z][A-Za-z]*[A-Z][a-z]+$")
EVENT_TYPE_MAX = 64
AGGREGATE_MAX = 128


def event_type_problem(event_type: Any) -> str | None:
    """Why this is not a usable event type name, or None."""
    if not isinstance(event_type, str) or not event_type:
        return "required: a CamelCase name in the past tense, such as CaseAccepted"
    if len(event_type) > EVENT_TYPE_MAX:
        return f"at most {EVENT_TYPE_MAX} characters"
    if not EVENT_TYPE_PATTERN.match(event_type):
        return (
            "must be CamelCase letters only, a noun then a past-tense verb, "
            f"such as CaseAccepted; got {event_type!r}"
        )
    return None


def aggregate_problem(aggregate: Any) -> str | None:
    """Why this is not a usable aggregate key, or None."""
    if not isinstance(aggregate, str) or not aggregate.strip():
        return "required: the key of the object the event is about, such as a case number"
    if len(aggregate) > AGGREGATE_MAX:
        return f"at most {AGGREGATE_MAX} characters"
    return None


def has_non_finite(value: Any) -> bool:
    """Does the value hold NaN or an infinity (JSON has no spelling for them)?"""
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, dict):
        return any(has_non_finite(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(has_non_finite(item) for item in value)
    return False


def payload_problem(payload: Any) -> str | None:
    """Why this payload cannot be stored as JSON, or None."""
    if not isinstance(payload, dict):
        return f"must be a JSON object (a dict), got {type(payload).__name__}"
    try:
        json.dumps(payload, allow_nan=False)
    except (TypeError, ValueError) as exc:
        return f"must be JSON-serialisable (str, int, float, bool, None, list, dict): {exc}"
    if not all(isinstance(key, str) for key in payload):
        return "keys must be strings"
    if has_non_finite(payload):
        return "must not contain NaN or infinity"
    return None


def check_event(event_type: Any, payload: Any, aggregate: Any) -> None:
    """Refuse a malformed event, naming each bad field and why."""
    problems = {
        "event_type": event_type_problem(event_type),
        "aggregate": aggregate_problem(aggregate),
        "payload": payload_problem(payload),
    }
    errors = {field: reason for field, reason in problems.items() if reason}
    if errors:
        raise ValidationError(errors)


def kick_worker() -> None:
    """Ask the task worker to deliver pending events now."""
    from egov.core.tasks import deliver_outbox_events

    deliver_outbox_events()


def kick_already_scheduled() -> bool:
    """Is a kick already waiting for this transaction's commit?

    Reads Django's list of on-commit callbacks (``(savepoints, func, robust)``),
    so a transaction that publishes 200 events enqueues one task, not 200. A
    callback registered in a savepoint that was rolled back is gone from the
    list, so the next publish schedules a kick again.
    """
    pending = getattr(connection, "run_on_commit", [])
    return any(len(entry) > 1 and entry[1] is kick_worker for entry in pending)


def publish(event_type: str, payload: dict[str, Any], *, aggregate: str) -> Event:
    """Append a domain event to the outbox in the caller's transaction (发布事件).

    ``event_type`` is past-tense CamelCase (``CaseAccepted``); ``aggregate`` is
    the natural key of the object the event is about (a case number): events of
    one aggregate reach each subscriber in order. ``payload`` must be a
    JSON-serialisable dict. A bad argument raises ``ValidationError`` naming the
    field and nothing is written. The worker is kicked only after commit, so a
    rolled-back transaction publishes nothing and enqueues nothing.
    """
    check_event(event_type, payload, aggregate)
    with transaction.atomic():
        lock_journal()
        event = Event.objects.create(
            event_type=event_type,
            aggregate=aggregate,
            payload=payload,
            occurred_at=timezone.now(),
        )
        if not kick_already_scheduled():
            transaction.on_commit(kick_worker, robust=True)
    return event


def publish_many(events: list[tuple[str, dict[str, Any], str]]) -> list[Event]:
    """Append several events ``(event_type, payload, aggregate)`` at once, in order.

    The same as calling :func:`publish` on each in turn (ids ascend in list
    order), with one journal lock and one multi-row INSERT per
    :data:`INSERT_CHUNK` events. Every event is checked first: a bad one
    raises ``ValidationError`` and nothing is written.
    """
    if not events:
        return []
    for event_type, payload, aggregate in events:
        check_event(event_type, payload, aggregate)
    with transaction.atomic():
        lock_journal()
        now = timezone.now()
        ids = insert_events(events, now)
        if not kick_already_scheduled():
            transaction.on_commit(kick_worker, robust=True)
    made = [
        Event(id=pk, event_type=kind, aggregate=aggregate, payload=payload, occurred_at=now)
        for pk, (kind, payload, aggregate) in zip(ids, events, strict=True)
    ]
    for event in made:
        event._state.adding, event._state.db = False, connection.alias
    return made


# Rows per INSERT: the statement stays under 4,096 characters, the longest whose parse
# psycopg caches (a longer one is scanned again on every execution).
INSERT_CHUNK = 180


def insert_events(events: list[tuple[str, dict[str, Any], str]], now: Any) -> list[int]:
    """INSERT the events in list order, a chunk a statement; their new ids in the same order.

    Values are prepared once per field by Django's own fields (no model
    instance per row: ``bulk_create``'s cost per value was most of publishing
    in bulk). Ids come back by ``RETURNING``; sorted, they are in insertion
    order, as the journal lock lets no other publisher interleave.
    """
    meta = Event._meta
    payload_field = meta.get_field("payload")
    stamp = meta.get_field("occurred_at").get_db_prep_save(now, connection)
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(name) for name in ("event_type", "aggregate", "payload", "occurred_at")
    )
    table = quote(meta.db_table)
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(events), INSERT_CHUNK):
            chunk = events[start : start + INSERT_CHUNK]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            params: list[Any] = []
            for kind, payload, aggregate in chunk:
                params += [kind, aggregate, payload_field.get_db_prep_save(payload, connection)]
                params.append(stamp)
            sql = f"INSERT INTO {table} ({columns}) VALUES {values} RETURNING {quote('id')}"  # noqa: S608  names are ours
            cursor.execute(sql, params)
            ids += sorted(row[0] for row in cursor.fetchall())
    return ids
