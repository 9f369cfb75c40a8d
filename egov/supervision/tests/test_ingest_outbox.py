"""The outbox subscriber supervision.collect: our approvals' events and ItemPublished."""

from __future__ import annotations

import pytest

from egov.core import subscribers
from egov.core.events import publish
from egov.core.models import Event
from egov.core.outbox import deliver_pending
from egov.core.testing import make_organisation
from egov.supervision.collection.internal import EVENT_TYPES, SUBSCRIBER, collect
from egov.supervision.models import CaseEvent, ReferenceItem, SupervisedCase
from egov.supervision.tests.factories import CaseStory, at, citizen_applicant, item_published

pytestmark = pytest.mark.django_db


@pytest.fixture
def department(regions):
    return make_organisation("230102-SCJG")


def publish_all(events: list[dict]) -> None:
    for event in events:
        aggregate = event.get("case_number") or event["item_code"]
        publish(event["type"], event, aggregate=aggregate)


def only_ours():
    return subscribers.override({SUBSCRIBER: (collect, EVENT_TYPES)})


def test_the_subscriber_is_registered():
    registered = subscribers.get(SUBSCRIBER)
    assert registered is not None
    assert {"ApplicationSubmitted", "CaseDecided", "ItemPublished"} <= registered.event_types


def test_case_events_through_the_outbox_make_the_case(department):
    story = CaseStory(applicant=citizen_applicant()).accept(at(2026, 3, 3))
    with only_ours():
        publish_all(story.events)
        deliver_pending()
    case = SupervisedCase.objects.get(case_number=story.number)
    assert case.source == "internal"
    assert case.status == "accepted"
    assert case.complete
    assert set(CaseEvent.objects.values_list("source_system", flat=True)) == {"approvals"}


def test_a_redelivered_event_changes_nothing(department):
    story = CaseStory().accept(at(2026, 3, 3))
    with only_ours():
        publish_all(story.events)
        deliver_pending()
    before = SupervisedCase.objects.values("status", "deadline", "event_count").get()
    for event in Event.objects.order_by("id"):
        collect(event)
    assert CaseEvent.objects.count() == 2
    assert SupervisedCase.objects.values("status", "deadline", "event_count").get() == before


def test_item_published_keeps_the_latest_copy_of_the_item(department):
    first = item_published(when=at(2026, 1, 5), promised=10)
    later = item_published(when=at(2026, 2, 5), promised=8, fees=(("工本费", 1000, "某依据"),))
    with only_ours():
        publish_all([later, first])  # the older one arrives last
        deliver_pending()
    item = ReferenceItem.objects.get(code=first["item_code"])
    assert item.promised_limit_days == 8
    assert item.fees == [{"name": "工本费", "amount_fen": 1000, "basis": "某依据"}]
    assert item.materials == [{"code": "M01", "name": "申请书", "required": True}]
    assert CaseEvent.objects.filter(type="ItemPublished", case_number="").count() == 2


def test_a_refused_outbox_event_is_logged_not_retried(department, caplog):
    story = CaseStory()
    bad = dict(story.events[0], region_code="999999")
    with only_ours():
        publish_all([bad])
        report = deliver_pending()
    assert report.delivered == 1
    assert report.failed == 0
    assert not CaseEvent.objects.exists()
    assert "999999" not in caplog.text
    assert "region_code" in caplog.text
