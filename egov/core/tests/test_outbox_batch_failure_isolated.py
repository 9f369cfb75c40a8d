"""A failing event in a batch is isolated; the rest of its batch still commits.

It is parked for retry, its aggregate's later events of the batch are parked
behind it in order, and other aggregates' events are delivered and committed
in the same transaction.
"""

from collections.abc import Sequence

import pytest
from django.utils import timezone

from egov.core import subscribers
from egov.core.events import publish
from egov.core.models import AuditEntry, Delivery, Event, SubscriberPosition
from egov.core.outbox import WAITING, deliver_pending
from egov.core.services.audit import record_audit

pytestmark = pytest.mark.django_db

LABELS = ["A1", "B1", "A2", "C1", "B2", "A3", "C2"]


def publish_labels() -> list[Event]:
    return [publish("CaseUpdated", {"label": x}, aggregate=f"HL-{x[0]}") for x in LABELS]


def handle(event: Event) -> None:
    label = event.payload["label"]
    record_audit(actor="spy", action="test.handled", object_id=label)
    if label == "A2":
        raise RuntimeError("rule engine cannot judge A2")


def handle_batch(events: Sequence[Event]) -> None:
    for event in events:
        handle(event)


def written() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("object_id", flat=True))


@pytest.mark.parametrize("with_batch_handler", [False, True])
def test_the_failing_event_is_parked_and_the_rest_of_the_batch_commits(
    with_batch_handler: bool,
) -> None:
    events = publish_labels()
    by_label = dict(zip(LABELS, events, strict=True))
    entry = subscribers.make_subscriber(
        "supervision", handle, batch_handler=handle_batch if with_batch_handler else None
    )
    # Clock read on purpose: the parked rows are due from the code's own now, any date.
    start = timezone.now()
    with subscribers.override({"supervision": entry}):
        report = deliver_pending(batch_size=100, now=start)

    line = report.subscribers[0]
    assert (line.delivered, line.failed, line.deferred) == (5, 1, 1)
    # A1, B*, C* committed; A2's own write was rolled back; A3 never reached the handler.
    assert written() == ["A1", "B1", "C1", "B2", "C2"]
    parked = list(Delivery.objects.order_by("event_id"))
    assert [(row.event_id, row.attempts) for row in parked] == [
        (by_label["A2"].pk, 1),
        (by_label["A3"].pk, 0),
    ]
    assert "cannot judge A2" in parked[0].last_error
    assert parked[1].last_error == WAITING
    assert SubscriberPosition.objects.get(subscriber="supervision").last_event_id == (events[-1].pk)


def test_a_later_batch_keeps_the_aggregate_waiting_behind_its_failure() -> None:
    publish_labels()
    entry = subscribers.make_subscriber("supervision", handle, batch_handler=handle_batch)
    # Clock read on purpose: nothing here depends on the date, only on "not yet due".
    start = timezone.now()
    with subscribers.override({"supervision": entry}):
        deliver_pending(batch_size=100, now=start)
        later = [
            publish("CaseUpdated", {"label": label}, aggregate=f"HL-{label[0]}")
            for label in ["A4", "B3"]
        ]
        report = deliver_pending(batch_size=100, now=start)

    assert (report.delivered, report.subscribers[0].deferred) == (1, 1)
    assert written()[-1] == "B3"
    waiting = Delivery.objects.filter(attempts=0).order_by("event_id")
    assert list(waiting.values_list("event__payload__label", flat=True)) == ["A3", "A4"]
    assert later[0].pk in set(waiting.values_list("event_id", flat=True))
