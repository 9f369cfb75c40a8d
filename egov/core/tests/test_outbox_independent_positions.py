"""Two subscribers keep their own positions: one failing or filtering does not move the other."""

import pytest

from egov.core import subscribers
from egov.core.events import publish
from egov.core.models import Delivery, Event, SubscriberPosition
from egov.core.outbox import deliver_pending

pytestmark = pytest.mark.django_db


def test_positions_advance_independently() -> None:
    accepted = publish("CaseAccepted", {"case": "HL-1"}, aggregate="HL-1")
    published = publish("ArticlePublished", {"id": 7}, aggregate="ART-7")
    warehouse_seen: list[int] = []
    supervision_seen: list[int] = []

    def supervision(event: Event) -> None:
        supervision_seen.append(event.pk)
        raise RuntimeError("supervision rules failing")

    with subscribers.override(
        {
            "warehouse": warehouse_seen.append,
            "supervision": (supervision, {"CaseAccepted"}),
        }
    ):
        deliver_pending()
        later = publish("CaseAccepted", {"case": "HL-2"}, aggregate="HL-2")
        report = deliver_pending()

    assert [e.pk for e in warehouse_seen] == [accepted.pk, published.pk, later.pk]
    # supervision only ever saw CaseAccepted events; its failure parked them for itself alone.
    assert supervision_seen == [accepted.pk, later.pk]
    positions = dict(SubscriberPosition.objects.values_list("subscriber", "last_event_id"))
    assert positions == {"warehouse": later.pk, "supervision": later.pk}
    assert set(Delivery.objects.values_list("subscriber", "event_id")) == {
        ("supervision", accepted.pk),
        ("supervision", later.pk),
    }
    by_name = {line.subscriber: line for line in report.subscribers}
    assert (by_name["warehouse"].delivered, by_name["supervision"].failed) == (1, 1)


def test_a_new_subscriber_starts_from_the_first_event() -> None:
    first = publish("CaseAccepted", {"case": "HL-1"}, aggregate="HL-1")
    with subscribers.override({"warehouse": lambda e: None}):
        deliver_pending()
    late_seen: list[int] = []
    with subscribers.override({"warehouse": lambda e: None, "evaluation": late_seen.append}):
        deliver_pending()
    assert [e.pk for e in late_seen] == [first.pk]
