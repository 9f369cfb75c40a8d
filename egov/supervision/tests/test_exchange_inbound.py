"""Case events a department system sends through the exchange gateway reach supervision."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client

from egov.core import subscribers
from egov.core.outbox import deliver_pending
from egov.exchange.models import Message
from egov.exchange.testing import make_member, write_node_identity
from egov.supervision.collection.exchange_inbound import SUBSCRIBER
from egov.supervision.models import CaseEvent, SupervisedCase
from egov.supervision.tests.factories import CaseStory, at, item_published

pytestmark = pytest.mark.django_db
URL = "/api/v1/exchange/messages"
# The moment of these tests: after the stories' March 2026 events, inside the CA's life.
MOMENT = dt.datetime(2026, 11, 16, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def sender(regions, settings, tmp_path):
    with time_machine.travel(MOMENT, tick=False):
        settings.EGOV_EXCHANGE_NODE_DIR = tmp_path / "node"
        write_node_identity(tmp_path / "node")
        make_member("harbin-market", "230100-SCJG")  # another region's department
        yield make_member("daoli-market", "230102-SCJG", may_send=("case-event", "ItemPublished"))


def send(member, event, message_type="case-event"):
    envelope = member.envelope(event, message_type=message_type, created=MOMENT)
    data = json.dumps(envelope, ensure_ascii=False)
    return Client().post(URL, data=data, content_type="application/json")


def only_ours():
    return subscribers.override({SUBSCRIBER: subscribers.get(SUBSCRIBER)})


def test_case_events_through_the_gateway_make_the_case(sender):
    story = CaseStory().accept(at(2026, 3, 3)).decide(at(2026, 3, 9))
    with time_machine.travel(MOMENT, tick=False):
        answers = [send(sender, event) for event in story.events]
        assert [a.status_code for a in answers] == [200, 200, 200]
        with only_ours():
            deliver_pending()
    case = SupervisedCase.objects.get(case_number=story.number)
    assert case.source == "exchange"
    assert case.status == "approved"
    assert case.event_count == 3
    assert set(CaseEvent.objects.values_list("source_system", flat=True)) == {"daoli-market"}


def test_an_item_published_message_updates_the_catalogue_copy(sender):
    event = item_published()
    with time_machine.travel(MOMENT, tick=False):
        assert send(sender, event, "ItemPublished").status_code == 200
        with only_ours():
            deliver_pending()
    assert CaseEvent.objects.filter(event_id=event["event_id"], source="exchange").exists()


def test_a_case_event_failing_the_event_schema_is_refused_at_the_gateway(sender):
    event = CaseStory().events[0]
    del event["case_number"]
    with time_machine.travel(MOMENT, tick=False):
        response = send(sender, event)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_payload"
    assert response.json()["field"] == "payload.case_number"
    assert not Message.objects.exists()


def test_a_case_event_sent_as_an_item_is_refused(sender):
    with time_machine.travel(MOMENT, tick=False):
        response = send(sender, CaseStory().events[0], "ItemPublished")
    assert response.status_code == 400
    assert response.json()["field"] == "payload.type"
    assert not Message.objects.exists()
