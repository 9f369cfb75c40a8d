"""Events a subscriber does not want are skipped without handing them over.

Its position moves past them (up to the newest event) in the same move that
delivers the wanted ones, so a subscriber of rare event types does not re-read
a long tail of other events on every run.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from egov.core import subscribers
from egov.core.events import publish
from egov.core.models import Event, SubscriberPosition
from egov.core.outbox import deliver_pending

pytestmark = pytest.mark.django_db


def test_the_position_moves_past_unwanted_events() -> None:
    wanted = publish("CaseAccepted", {"n": 1}, aggregate="HL-1")
    others = [publish("ArticlePublished", {"n": n}, aggregate=f"ART-{n}") for n in range(5)]
    seen: list[Event] = []
    with subscribers.override({"supervision": (seen.append, {"CaseAccepted"})}):
        report = deliver_pending(batch_size=100)
        assert [event.pk for event in seen] == [wanted.pk]
        assert report.more is False
        position = SubscriberPosition.objects.get(subscriber="supervision")
        assert position.last_event_id == others[-1].pk

        more = [publish("ArticlePublished", {"n": n}, aggregate=f"ART-{n}") for n in range(3)]
        with CaptureQueriesContext(connection) as captured:
            deliver_pending(batch_size=100)

    assert len(seen) == 1
    position.refresh_from_db()
    assert position.last_event_id == more[-1].pk
    event_reads = [q["sql"] for q in captured.captured_queries if 'FROM "core_event"' in q["sql"]]
    # The newest id, then one query for the batch, which found nothing wanted.
    assert len(event_reads) == 2


def test_a_full_batch_of_wanted_events_stops_at_its_last_event() -> None:
    wanted = [publish("CaseAccepted", {"n": n}, aggregate="HL-1") for n in range(3)]
    publish("ArticlePublished", {"n": 0}, aggregate="ART-0")
    seen: list[Event] = []
    with subscribers.override({"supervision": (seen.append, {"CaseAccepted"})}):
        report = deliver_pending(batch_size=3)
    assert report.more is True
    assert SubscriberPosition.objects.get(subscriber="supervision").last_event_id == wanted[-1].pk
