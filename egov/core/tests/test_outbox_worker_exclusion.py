"""Two workers never deliver the same subscriber at once.

PostgreSQL: a worker holding a subscriber's advisory lock makes another skip
it. Both databases: a worker whose position is stale (another worker moved it)
stops before calling the handler, because advancing is a compare-and-set.
"""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from egov.core import subscribers
from egov.core.events import publish
from egov.core.models import Delivery, Event, SubscriberPosition
from egov.core.outbox import SubscriberReport, deliver_one, deliver_pending, subscriber_lock_key

pytestmark = pytest.mark.django_db


def test_a_stale_position_stops_the_worker_before_the_handler() -> None:
    first = publish("CaseAccepted", {"n": 1}, aggregate="HL-1")
    second = publish("CaseAccepted", {"n": 2}, aggregate="HL-1")
    seen: list[Event] = []
    entry = subscribers.as_subscriber("warehouse", seen.append)
    SubscriberPosition.objects.create(subscriber="warehouse", last_event_id=first.pk)
    report = SubscriberReport("warehouse")
    # This worker read position 0 before another worker handled the first event.
    # Clock read on purpose: an offset from the code's own now, true on any date.
    advanced = deliver_one(
        entry, second, position=0, blocked=set(), now=timezone.now(), report=report
    )
    assert advanced is False
    assert seen == []
    assert SubscriberPosition.objects.get(subscriber="warehouse").last_event_id == first.pk
    assert Delivery.objects.count() == 0


def hold_lock(key: int, held: threading.Event, release: threading.Event) -> None:
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [key])
            held.set()
            release.wait(timeout=30)
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
    finally:
        other.close()


def test_a_subscriber_held_by_another_worker_is_skipped_on_postgresql() -> None:
    publish("CaseAccepted", {"n": 1}, aggregate="HL-1")
    seen: list[Event] = []
    held, release = threading.Event(), threading.Event()
    on_postgresql = connection.vendor == "postgresql"
    holder = threading.Thread(
        target=hold_lock, args=(subscriber_lock_key("warehouse"), held, release)
    )
    if on_postgresql:
        holder.start()
        assert held.wait(timeout=30)
    try:
        with subscribers.override({"warehouse": seen.append}):
            report = deliver_pending()
    finally:
        release.set()
        if on_postgresql:
            holder.join()
    # SQLite has no advisory locks: its IMMEDIATE transactions and the
    # compare-and-set above keep workers apart, so delivery goes ahead there.
    assert report.subscribers[0].skipped is on_postgresql
    assert len(seen) == (0 if on_postgresql else 1)
