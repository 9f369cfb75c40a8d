"""A subscriber that fails several times then recovers loses nothing and sees order kept.

Its failing event is retried with backoff; later events of the same aggregate
wait behind it; events of other aggregates are not held up.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from egov.core import subscribers
from egov.core.events import publish
from egov.core.models import Delivery, Event, SubscriberPosition
from egov.core.outbox import deliver_pending, retry_delay

pytestmark = pytest.mark.django_db


class FlakySubscriber:
    """Fails the first ``failures`` times it sees the case HL-A's first event."""

    def __init__(self, failures: int) -> None:
        self.failures_left = failures
        self.calls: list[str] = []
        self.handled: list[str] = []

    def __call__(self, event: Event) -> None:
        label = event.payload["label"]
        self.calls.append(label)
        if label == "A1" and self.failures_left:
            self.failures_left -= 1
            raise ConnectionError("warehouse unreachable")
        self.handled.append(label)


def publish_interleaved() -> None:
    for label in ["A1", "B1", "A2", "B2", "A3"]:
        publish("CaseUpdated", {"label": label}, aggregate=f"HL-{label[0]}")


def test_three_failures_then_success_delivers_everything_in_order_per_case() -> None:
    flaky = FlakySubscriber(failures=3)
    publish_interleaved()
    # Clock read on purpose: an offset from the code's own now, true on any date.
    start = timezone.now()
    with subscribers.override({"warehouse": flaky}):
        first = deliver_pending(now=start)
        # Case B went through at once; case A waits behind its failed first event.
        assert flaky.handled == ["B1", "B2"]
        assert (first.delivered, first.failed) == (2, 1)
        parked = Delivery.objects.get(event__payload__label="A1")
        assert parked.attempts == 1
        assert "warehouse unreachable" in parked.last_error
        assert parked.next_attempt_at == start + retry_delay(1)
        # Not yet due: nothing happens.
        assert deliver_pending(now=start + timedelta(seconds=1)).failed == 0
        moment = start
        for _ in range(3):
            moment += timedelta(hours=1)
            deliver_pending(now=moment)

    assert flaky.calls.count("A1") == 4
    assert flaky.handled == ["B1", "B2", "A1", "A2", "A3"]
    assert [x for x in flaky.handled if x[0] == "A"] == ["A1", "A2", "A3"]
    assert sorted(flaky.handled) == ["A1", "A2", "A3", "B1", "B2"]  # each exactly once
    assert Delivery.objects.count() == 0
    assert SubscriberPosition.objects.get(subscriber="warehouse").last_event_id == (
        Event.objects.latest("id").pk
    )


def test_backoff_grows_exponentially_up_to_a_cap() -> None:
    delays = [retry_delay(n).total_seconds() for n in range(1, 10)]
    assert delays[:4] == [30, 60, 120, 240]
    assert delays[-1] == 3600
    assert delays == sorted(delays)
