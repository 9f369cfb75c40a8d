"""ItemPublished end to end: the approvals demo catalogue reaches the engine's reference copy.

Through the approvals app's command and the core outbox only (the layer
contract keeps the two apps from importing each other).
"""

from __future__ import annotations

import pytest
from django.core.management import call_command

from egov.core import subscribers
from egov.core.demo import load_demo_organisations
from egov.core.models import Event
from egov.core.outbox import deliver_pending
from egov.supervision.collection.internal import EVENT_TYPES, SUBSCRIBER, collect
from egov.supervision.models import CaseEvent, ReferenceItem

pytestmark = pytest.mark.django_db
DELIVERED = 25


def test_the_demo_catalogue_reaches_the_reference_copy_through_the_outbox():
    load_demo_organisations()
    call_command("load_demo_catalogue", stdout=None)
    published = Event.objects.filter(event_type="ItemPublished").order_by("id")
    assert published.count() > DELIVERED
    with subscribers.override({SUBSCRIBER: (collect, EVENT_TYPES)}):
        report = deliver_pending(batch_size=DELIVERED)
    assert report.delivered == DELIVERED
    assert report.failed == 0
    first = [event.payload for event in published[:DELIVERED]]
    items = {item.code: item for item in ReferenceItem.objects.all()}
    assert set(items) == {payload["item_code"] for payload in first}
    for payload in first:
        item, data = items[payload["item_code"]], payload["data"]
        assert (item.name, item.department_code, item.region_code) == (
            data["name"],
            data["department_code"],
            data["region_code"],
        )
        assert item.promised_limit_days == data["promised_limit_days"]
        assert item.fees == data["fees"]
        assert item.materials == data["materials"]
    assert CaseEvent.objects.filter(type="ItemPublished", source="internal").count() == DELIVERED
