"""Messages to a peer: queued, posted in order, delivered only with the peer's receipt.

The peer here is this very platform served by pytest-django's live server:
this node is registered as a member of itself, so each message really goes
out over HTTP on loopback and comes back in through the gateway's checks.
"""

from __future__ import annotations

import datetime as dt
import socket

import pytest
import time_machine

from egov.core.models import Event
from egov.exchange import outbound, services
from egov.exchange.errors import ExchangeError
from egov.exchange.models import Message, OutboundMessage
from egov.exchange.testing import NODE_CODE, write_node_identity
from egov.exchange.tests.helpers import document

MOMENT = dt.datetime(2026, 11, 16, 2, 0, tzinfo=dt.UTC)


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


@pytest.fixture
def peer(
    transactional_db, emptied_audit_chain_afterwards, regions, settings, tmp_path, live_server
):
    """This node as its own peer, reachable at the live server."""
    with time_machine.travel(MOMENT, tick=False):
        settings.EGOV_EXCHANGE_NODE_DIR = tmp_path / "node"
        certificate = write_node_identity(tmp_path / "node")
        services.register_member(
            actor="system",
            code=NODE_CODE,
            name="本平台",
            organisation_code="230000-GOV",
            certificate_serial=certificate.serial,
            may_send=["document"],
            may_receive=["document"],
            kind="peer",
            endpoint_url=live_server.url,
        )
        yield live_server


def queue(title: str) -> OutboundMessage:
    return outbound.queue_message(
        actor="system", recipient=NODE_CODE, message_type="document", payload=document(title)
    )


def test_a_queued_message_is_delivered_with_the_peers_receipt(peer):
    with time_machine.travel(MOMENT, tick=False):
        first, second = queue("第一份"), queue("第二份")
        assert outbound.deliver_outbound() == 2
    first.refresh_from_db()
    assert first.state == "delivered"
    assert first.receipt["message_id"] == str(first.message_id)
    assert first.receipt["envelope_digest"]["value"] == first.envelope_digest
    received = [str(m) for m in Message.objects.order_by("pk").values_list("message_id", flat=True)]
    assert received == [str(first.message_id), str(second.message_id)]  # in the order queued
    assert Event.objects.filter(event_type="ExchangeDocumentReceived").count() == 2


def test_a_peer_that_is_down_loses_nothing_and_gets_the_messages_in_order(peer, settings):
    from egov.exchange.models import Member

    Member.objects.filter(code=NODE_CODE).update(endpoint_url=closed_port_url())
    with time_machine.travel(MOMENT, tick=False):
        first, second = queue("第一份"), queue("第二份")
        assert outbound.deliver_outbound() == 0
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, first.attempts) == ("pending", 1)
    assert first.next_attempt_at == MOMENT + dt.timedelta(seconds=30)
    assert "Connection refused" in first.last_error
    assert second.attempts == 0  # waits behind the first

    assert outbound.deliver_outbound(now=MOMENT + dt.timedelta(seconds=10)) == 0
    first.refresh_from_db()
    assert first.attempts == 1  # not yet due: not tried again

    at = MOMENT
    for _ in range(outbound.MAX_ATTEMPTS - 1):
        first.refresh_from_db()
        at = first.next_attempt_at
        outbound.deliver_outbound(now=at)
    first.refresh_from_db()
    assert (first.state, first.attempts) == ("failed", outbound.MAX_ATTEMPTS)
    assert at - MOMENT > dt.timedelta(hours=1)  # backed off: 30 s, 1, 2, 4, 8, 16, 32 min

    Member.objects.filter(code=NODE_CODE).update(endpoint_url=peer.url)
    outbound.resend_message(actor="system", message_id=str(first.message_id), recipient=NODE_CODE)
    with time_machine.travel(MOMENT + dt.timedelta(minutes=3), tick=False):
        assert outbound.deliver_outbound() == 2
    received = [str(m) for m in Message.objects.order_by("pk").values_list("message_id", flat=True)]
    assert received == [str(first.message_id), str(second.message_id)]


def test_only_a_delivered_message_has_a_receipt_and_only_failed_ones_are_resent(peer):
    with time_machine.travel(MOMENT, tick=False):
        pending = queue("待发")
        with pytest.raises(ExchangeError) as refused:
            outbound.resend_message(
                actor="system", message_id=str(pending.message_id), recipient=NODE_CODE
            )
    assert refused.value.field == "message_id"
    assert OutboundMessage.objects.get().receipt is None


def test_a_type_the_peer_may_not_receive_is_not_queued(peer):
    with pytest.raises(ExchangeError) as refused:
        outbound.queue_message(
            actor="system", recipient=NODE_CODE, message_type="case-event", payload={}
        )
    assert refused.value.code == "type_not_allowed"
    assert not OutboundMessage.objects.exists()
