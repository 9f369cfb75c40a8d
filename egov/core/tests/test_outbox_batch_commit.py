"""New events reach a subscriber in batches: one transaction and one position move per batch.

A subscriber with a batch handler gets the batch's events in one call, in id
order; one without gets them one at a time. Either way the handlers' writes
commit together with one compare-and-set of the position.
"""

from collections.abc import Sequence

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from egov.core import subscribers
from egov.core.events import publish
from egov.core.models import AuditEntry, Event, SubscriberPosition
from egov.core.outbox import deliver_pending
from egov.core.services.audit import record_audit

pytestmark = pytest.mark.django_db


def write_row(event: Event) -> None:
    record_audit(actor="spy", action="test.handled", object_id=str(event.payload["n"]))


def position_moves(queries: list[dict[str, str]]) -> int:
    return sum(
        1
        for query in queries
        if query["sql"].startswith("UPDATE") and "core_subscriberposition" in query["sql"]
    )


def handled_rows() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("object_id", flat=True))


def publish_ten() -> list[Event]:
    return [publish("CaseUpdated", {"n": n}, aggregate=f"HL-{n % 3}") for n in range(1, 11)]


def test_a_batch_handler_gets_the_whole_batch_in_one_call_and_one_position_move() -> None:
    events = publish_ten()
    calls: list[list[int]] = []

    def batch(batch_events: Sequence[Event]) -> None:
        calls.append([event.payload["n"] for event in batch_events])
        for event in batch_events:
            write_row(event)

    def single(event: Event) -> None:
        raise AssertionError("the single handler is only a fallback")

    entry = subscribers.make_subscriber("warehouse", single, batch_handler=batch)
    with (
        subscribers.override({"warehouse": entry}),
        CaptureQueriesContext(connection) as captured,
    ):
        report = deliver_pending(batch_size=100)

    assert calls == [list(range(1, 11))]
    assert report.delivered == 10
    assert handled_rows() == [str(n) for n in range(1, 11)]
    assert position_moves(captured.captured_queries) == 1
    position = SubscriberPosition.objects.get(subscriber="warehouse")
    assert position.last_event_id == events[-1].pk


def test_a_subscriber_without_batch_handler_gets_each_event_in_one_transaction() -> None:
    events = publish_ten()
    seen: list[int] = []

    def single(event: Event) -> None:
        seen.append(event.payload["n"])
        write_row(event)

    with (
        subscribers.override({"warehouse": single}),
        CaptureQueriesContext(connection) as captured,
    ):
        report = deliver_pending(batch_size=100)

    assert seen == list(range(1, 11))
    assert report.delivered == 10
    assert handled_rows() == [str(n) for n in range(1, 11)]
    assert position_moves(captured.captured_queries) == 1
    assert SubscriberPosition.objects.get(subscriber="warehouse").last_event_id == events[-1].pk


def test_batches_follow_one_another_from_the_position() -> None:
    events = publish_ten()
    calls: list[list[int]] = []

    def batch(batch_events: Sequence[Event]) -> None:
        calls.append([event.payload["n"] for event in batch_events])

    entry = subscribers.make_subscriber("warehouse", lambda event: None, batch_handler=batch)
    with subscribers.override({"warehouse": entry}):
        first = deliver_pending(batch_size=4)
        assert first.more is True
        assert SubscriberPosition.objects.get(subscriber="warehouse").last_event_id == (
            events[3].pk
        )
        deliver_pending(batch_size=4)
        last = deliver_pending(batch_size=4)

    assert calls == [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]
    assert last.more is False
