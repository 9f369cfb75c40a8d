"""A crash in the middle of a batch leaves nothing of the batch applied.

A ``BaseException`` (the worker killed, interrupted) from a handler or a batch
handler rolls back the whole batch's transaction: no handler write of the batch
is kept and the position does not move, so the next run starts again at the
batch's first event and applies every write exactly once.
"""

from collections.abc import Sequence

import pytest

from egov.core import subscribers
from egov.core.events import publish
from egov.core.models import AuditEntry, Delivery, Event, SubscriberPosition
from egov.core.outbox import deliver_pending
from egov.core.services.audit import record_audit

pytestmark = pytest.mark.django_db


class WorkerKilledError(BaseException):
    """Stands for SIGTERM/KeyboardInterrupt arriving while a batch runs."""


def write_row(event: Event) -> None:
    record_audit(actor="spy", action="test.handled", object_id=str(event.payload["n"]))


def written() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("object_id", flat=True))


def nothing_applied() -> bool:
    return (
        AuditEntry.objects.count() == 0
        and Delivery.objects.count() == 0
        and SubscriberPosition.objects.get(subscriber="warehouse").last_event_id == 0
    )


def test_a_handler_killed_mid_batch_rolls_back_the_whole_batch() -> None:
    events = [publish("CaseUpdated", {"n": n}, aggregate=f"HL-{n % 3}") for n in range(1, 9)]
    seen: list[int] = []

    def dies_once_at_five(event: Event) -> None:
        seen.append(event.payload["n"])
        write_row(event)
        if event.payload["n"] == 5 and seen.count(5) == 1:
            raise WorkerKilledError

    with subscribers.override({"warehouse": dies_once_at_five}):
        with pytest.raises(WorkerKilledError):
            deliver_pending(batch_size=100)
        assert seen == [1, 2, 3, 4, 5]
        assert nothing_applied()
        report = deliver_pending(batch_size=100)

    assert report.delivered == 8
    assert seen == [1, 2, 3, 4, 5, *range(1, 9)]  # the batch is handed over again from 1
    assert written() == [str(n) for n in range(1, 9)]  # each write applied exactly once
    assert SubscriberPosition.objects.get(subscriber="warehouse").last_event_id == events[-1].pk


def test_a_batch_handler_killed_rolls_back_the_batch_without_falling_back() -> None:
    events = [publish("CaseUpdated", {"n": n}, aggregate="HL-1") for n in range(1, 5)]
    singles: list[int] = []
    crashes = [WorkerKilledError()]

    def batch(batch_events: Sequence[Event]) -> None:
        for event in batch_events:
            write_row(event)
        if crashes:
            raise crashes.pop()

    entry = subscribers.make_subscriber(
        "warehouse", lambda event: singles.append(event.payload["n"]), batch_handler=batch
    )
    with subscribers.override({"warehouse": entry}):
        with pytest.raises(WorkerKilledError):
            deliver_pending(batch_size=100)
        assert nothing_applied()
        deliver_pending(batch_size=100)

    assert singles == []  # a crash is not a failure: no one-by-one fallback
    assert written() == ["1", "2", "3", "4"]
    assert SubscriberPosition.objects.get(subscriber="warehouse").last_event_id == events[-1].pk
