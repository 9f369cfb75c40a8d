"""Events of one aggregate reach a subscriber in order, while other aggregates proceed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from egov.core import subscribers
from egov.core.events import publish
from egov.core.models import Delivery, Event
from egov.core.outbox import deliver_pending
from egov.core.selectors.outbox import outbox_status

pytestmark = pytest.mark.django_db


class CaseWatcher:
    """Cannot handle case HL-A until ``fixed``; records what it handled."""

    def __init__(self) -> None:
        self.fixed = False
        self.handled: list[str] = []

    def __call__(self, event: Event) -> None:
        if event.aggregate == "HL-A" and not self.fixed:
            raise RuntimeError("rule engine down for HL-A")
        self.handled.append(event.payload["label"])


def publish_case_events(*labels: str) -> None:
    for label in labels:
        publish("CaseUpdated", {"label": label}, aggregate=f"HL-{label[0]}")


def test_a_failed_case_holds_back_only_its_own_later_events() -> None:
    watcher = CaseWatcher()
    # Clock read on purpose: an offset from the code's own now, true on any date.
    start = timezone.now()
    publish_case_events("A1", "B1", "A2", "B2", "A3", "B3")
    with subscribers.override({"supervision": watcher}):
        first = deliver_pending(now=start)
        assert watcher.handled == ["B1", "B2", "B3"]
        assert (first.delivered, first.failed, first.subscribers[0].deferred) == (3, 1, 2)
        row = outbox_status()[0]
        assert (row.pending, row.retrying, row.waiting) == (0, 1, 2)

        # New events arrive meanwhile: B's go through, A's queue up behind A1.
        publish_case_events("A4", "B4")
        deliver_pending(now=start + timedelta(seconds=5))
        assert watcher.handled == ["B1", "B2", "B3", "B4"]

        watcher.fixed = True
        deliver_pending(now=start + timedelta(hours=1))

    assert watcher.handled == ["B1", "B2", "B3", "B4", "A1", "A2", "A3", "A4"]
    assert Delivery.objects.count() == 0


def test_a_second_failure_inside_the_parked_run_keeps_the_rest_waiting() -> None:
    # Clock read on purpose: an offset from the code's own now, true on any date.
    start = timezone.now()
    attempts: list[str] = []

    def fails_on_a1_once_then_on_a2_once(event: Event) -> None:
        label = event.payload["label"]
        attempts.append(label)
        if label in {"A1", "A2"} and attempts.count(label) == 1:
            raise RuntimeError(f"{label} not yet")

    publish_case_events("A1", "A2", "A3")
    with subscribers.override({"supervision": fails_on_a1_once_then_on_a2_once}):
        deliver_pending(now=start)
        deliver_pending(now=start + timedelta(hours=1))
        assert attempts == ["A1", "A1", "A2"]  # A3 still waits behind A2
        deliver_pending(now=start + timedelta(hours=2))
    assert attempts == ["A1", "A1", "A2", "A2", "A3"]
    assert Delivery.objects.count() == 0
