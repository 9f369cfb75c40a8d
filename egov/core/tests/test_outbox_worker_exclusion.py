"""Two workers never deliver the same subscriber at once.

PostgreSQL: a worker holding a subscriber's advisory lock makes another skip
it. A worker whose position went stale (another worker moved it) stops before
calling any handler: test_outbox_batch_concurrent_workers.py, on both databases.
"""

import threading

import pytest
from django.db import connection, connections

from egov.core import subscribers
from egov.core.events import publish
from egov.core.models import Event
from egov.core.outbox import deliver_pending, subscriber_lock_key

pytestmark = pytest.mark.django_db


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
