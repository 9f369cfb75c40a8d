"""A worker killed mid-batch resumes where it stopped.

Delivery is at least once, precisely: a batch commits as one transaction, so
after a crash the next run starts at the first event of the batch that was in
flight; those events reach the handler twice, every other event exactly once.
The batch's database writes were rolled back with its position, so every write
is applied exactly once.
"""

import pytest

from egov.core import subscribers
from egov.core.events import publish
from egov.core.models import AuditEntry, Event, SubscriberPosition
from egov.core.outbox import deliver_pending
from egov.core.services.audit import record_audit

pytestmark = pytest.mark.django_db


class WorkerKilledError(BaseException):
    """Stands for SIGTERM/KeyboardInterrupt arriving while a handler runs."""


class DiesOnce:
    def __init__(self, die_at: int) -> None:
        self.die_at = die_at
        self.seen: list[int] = []

    def __call__(self, event: Event) -> None:
        number = event.payload["n"]
        self.seen.append(number)
        record_audit(actor="spy", action="test.handled", object_id=str(number))
        if number == self.die_at and self.seen.count(number) == 1:
            raise WorkerKilledError


def test_a_crash_mid_batch_resumes_at_the_event_in_flight() -> None:
    events = [publish("CaseUpdated", {"n": n}, aggregate=f"HL-{n % 3}") for n in range(1, 11)]
    spy = DiesOnce(die_at=5)
    with subscribers.override({"warehouse": spy}):
        with pytest.raises(WorkerKilledError):
            deliver_pending(batch_size=100)
        assert spy.seen == [1, 2, 3, 4, 5]
        position = SubscriberPosition.objects.get(subscriber="warehouse")
        assert position.last_event_id == 0  # the batch 1..10 was in flight: none is done
        assert AuditEntry.objects.count() == 0  # the in-flight batch's writes rolled back

        report = deliver_pending(batch_size=100)

    assert report.delivered == 10
    assert spy.seen == [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    handled_writes = list(AuditEntry.objects.values_list("object_id", flat=True))
    assert handled_writes == [str(n) for n in range(1, 11)]
    position.refresh_from_db()
    assert position.last_event_id == events[-1].pk


def test_small_batches_continue_from_the_position() -> None:
    for n in range(1, 8):
        publish("CaseUpdated", {"n": n}, aggregate="HL-1")
    seen: list[int] = []
    with subscribers.override({"warehouse": lambda e: seen.append(e.payload["n"])}):
        first = deliver_pending(batch_size=3)
        assert (seen, first.more) == ([1, 2, 3], True)
        deliver_pending(batch_size=3)
        last = deliver_pending(batch_size=3)
    assert seen == [1, 2, 3, 4, 5, 6, 7]
    assert last.more is False
