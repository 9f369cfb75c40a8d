"""Two workers delivering at once never hand a batch's events over twice.

The batch's position move is a compare-and-set: a worker whose position went
stale after it read its batch (another worker delivered it meanwhile) stops
before calling any handler. On PostgreSQL, two workers really running at once
(threads with their own connections) leave every event's write exactly once:
a row that would refuse a second write (a unique name).
"""

import threading
from collections.abc import Sequence

import pytest
from django.db import connection, connections

from egov.core import outbox, subscribers
from egov.core.events import publish
from egov.core.models import AuditEntry, Delivery, Event, SubscriberPosition
from egov.core.outbox import Batch, deliver_pending
from egov.core.services.audit import record_audit


def write_row(event: Event) -> None:
    record_audit(actor="spy", action="test.handled", object_id=str(event.pk))


@pytest.mark.django_db
def test_a_worker_whose_position_went_stale_hands_nothing_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    events = [publish("CaseUpdated", {"n": n}, aggregate="HL-1") for n in range(4)]
    seen: list[int] = []
    read_batch = outbox.next_batch

    def another_worker_was_faster(subscriber: object, position: int, size: int) -> Batch:
        batch = read_batch(subscriber, position, size)  # type: ignore[arg-type]
        SubscriberPosition.objects.filter(subscriber="warehouse").update(last_event_id=events[1].pk)
        return batch

    def batch(batch_events: Sequence[Event]) -> None:
        seen.extend(event.pk for event in batch_events)

    entry = subscribers.make_subscriber("warehouse", write_row, batch_handler=batch)
    monkeypatch.setattr(outbox, "next_batch", another_worker_was_faster)
    with subscribers.override({"warehouse": entry}):
        report = deliver_pending(batch_size=100)

    assert seen == []
    assert report.delivered == 0
    assert report.more is True  # read again from the moved position
    assert SubscriberPosition.objects.get(subscriber="warehouse").last_event_id == events[1].pk
    assert AuditEntry.objects.count() == 0
    assert Delivery.objects.count() == 0


def write_marker(event: Event) -> None:
    """A row that cannot be written twice (position rows have unique names)."""
    SubscriberPosition.objects.create(subscriber=f"seen-{event.pk}")


def deliver_until_done() -> None:
    for _ in range(100):
        if not deliver_pending(batch_size=7).more:
            break


def worker(errors: list[BaseException]) -> None:
    try:
        deliver_until_done()
    except BaseException as exc:  # reported to the test's thread
        errors.append(exc)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_apply_every_event_exactly_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("threads on SQLite's in-memory test database share one lock, not a race")
    with subscribers.override({}):  # the kick after each commit finds no subscriber
        events = [publish("CaseUpdated", {"n": n}, aggregate=f"HL-{n % 5}") for n in range(60)]
    errors: list[BaseException] = []
    with subscribers.override({"warehouse": write_marker}):
        threads = [threading.Thread(target=worker, args=(errors,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        deliver_until_done()  # whatever a worker that was skipped left

    assert errors == []
    markers = SubscriberPosition.objects.filter(subscriber__startswith="seen-")
    written = sorted(
        int(name.removeprefix("seen-")) for name in markers.values_list("subscriber", flat=True)
    )
    assert written == [event.pk for event in events]
    assert Delivery.objects.count() == 0  # a second write of a marker would have failed
    assert SubscriberPosition.objects.get(subscriber="warehouse").last_event_id == events[-1].pk
