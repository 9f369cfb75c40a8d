"""A batch handler that raises is rolled back and its events go to the single handler.

None of the batch handler's writes are kept; the single handler then takes the
same events one at a time, in id order, in the same delivery.
"""

from collections.abc import Sequence

import pytest

from egov.core import subscribers
from egov.core.events import publish
from egov.core.models import AuditEntry, Delivery, Event, SubscriberPosition
from egov.core.outbox import deliver_pending
from egov.core.services.audit import record_audit

pytestmark = pytest.mark.django_db


def test_a_raising_batch_handler_falls_back_to_one_event_at_a_time() -> None:
    events = [publish("CaseUpdated", {"n": n}, aggregate=f"HL-{n % 2}") for n in range(1, 6)]
    batch_calls: list[int] = []
    singles: list[int] = []

    def batch(batch_events: Sequence[Event]) -> None:
        batch_calls.append(len(batch_events))
        for event in batch_events:
            record_audit(actor="batch", action="test.handled", object_id=str(event.payload["n"]))
        raise RuntimeError("bulk insert refused")

    def single(event: Event) -> None:
        singles.append(event.payload["n"])
        record_audit(actor="single", action="test.handled", object_id=str(event.payload["n"]))

    entry = subscribers.make_subscriber("warehouse", single, batch_handler=batch)
    with subscribers.override({"warehouse": entry}):
        report = deliver_pending(batch_size=100)

    assert batch_calls == [5]
    assert singles == [1, 2, 3, 4, 5]
    assert report.delivered == 5
    assert report.failed == 0
    rows = list(AuditEntry.objects.order_by("id").values_list("actor", "object_id"))
    assert rows == [("single", str(n)) for n in range(1, 6)]  # nothing from the batch kept
    assert Delivery.objects.count() == 0
    assert SubscriberPosition.objects.get(subscriber="warehouse").last_event_id == events[-1].pk
