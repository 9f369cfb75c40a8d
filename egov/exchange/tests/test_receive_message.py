"""An active member's signed document is stored, published and receipted by the node."""

from __future__ import annotations

import datetime as dt

import pytest

from egov.core.models import Event, SecurityEvent
from egov.exchange.envelope import check_receipt
from egov.exchange.models import Message
from egov.exchange.tests.helpers import document, post
from egov.trust.pki.certificates import load_certificate

pytestmark = pytest.mark.django_db


def test_a_signed_document_is_stored_published_and_receipted(member, node, moment):
    envelope = member.envelope(document(), created=moment - dt.timedelta(seconds=30))
    response = post(envelope)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "accepted"
    receiver = check_receipt(body["receipt"], envelope)
    assert receiver.der == load_certificate((node / "cert.pem").read_bytes()).der
    assert body["receipt"]["receiver"] == "egov-platform"
    stored = Message.objects.get(message_id=envelope["id"])
    assert stored.envelope == envelope
    assert stored.receipt == body["receipt"]
    event = Event.objects.get(pk=stored.event_id)
    assert event.event_type == "ExchangeDocumentReceived"
    assert event.payload["payload"] == envelope["payload"]
    assert event.payload["sender"] == "daoli-docs"
    assert not SecurityEvent.objects.exists()


def test_a_resent_message_is_a_duplicate_with_the_first_receipt(member, moment):
    envelope = member.envelope(document(), created=moment)
    first = post(envelope).json()
    again = post(envelope)
    assert again.status_code == 200
    assert again.json()["status"] == "duplicate"
    assert again.json()["receipt"] == first["receipt"]
    assert Message.objects.count() == 1
    assert Event.objects.filter(event_type="ExchangeDocumentReceived").count() == 1


def test_a_batch_keeps_the_good_and_refuses_the_bad(member, moment):
    good = member.envelope(document(), created=moment)
    bad = member.envelope(document("另一份"), created=moment)
    bad["payload"]["title"] = "改过的标题"
    response = post({"messages": [good, bad]})
    assert response.status_code == 200
    body = response.json()
    assert (body["accepted"], body["duplicate"], body["refused"]) == (1, 0, 1)
    assert body["results"][1]["error"]["code"] == "bad_signature"
    assert list(Message.objects.values_list("message_id", flat=True)) == [
        __import__("uuid").UUID(good["id"])
    ]


def test_without_a_node_key_the_gateway_answers_503_and_stores_nothing(member, moment, settings):
    settings.EGOV_EXCHANGE_NODE_DIR = settings.EGOV_EXCHANGE_NODE_DIR / "missing"
    response = post(member.envelope(document(), created=moment))
    assert response.status_code == 503
    assert response.json()["code"] == "node_not_configured"
    assert not Message.objects.exists()
