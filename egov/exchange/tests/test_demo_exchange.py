"""The demo's exchange data (交换演示数据): a member, its signed case history, loaded once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine

from egov.core import demo as core_demo
from egov.core.demo import load_demo_organisations
from egov.core.models import Event
from egov.exchange.demo import (
    DEMO_CA_PASSPHRASE,
    MEMBER_CODE,
    MEMBER_NAME,
    case_history,
    load_demo_exchange,
    send_demo_exchange,
)
from egov.exchange.envelope import check_receipt
from egov.exchange.models import Member, Message
from egov.exchange.node import node_identity
from egov.trust.tsa import services as tsa_services

pytestmark = pytest.mark.django_db

# The demo's "now": a Tuesday morning in Harbin; envelopes are dated by it.
MOMENT = dt.datetime(2026, 11, 24, 1, 30, tzinfo=dt.UTC)


@pytest.fixture
def demo_world(settings: Any, tmp_path: Path, monkeypatch: Any) -> Any:
    monkeypatch.delenv("EGOV_CA_PASSPHRASE", raising=False)
    monkeypatch.delenv("EGOV_CA_PASSPHRASE_FILE", raising=False)
    settings.EGOV_EXCHANGE_NODE_DIR = tmp_path / "node"
    with time_machine.travel(MOMENT, tick=False):
        load_demo_organisations()
        yield


def test_the_loader_and_its_ca_passphrase_are_registered() -> None:
    assert core_demo._app_loaders["exchange.member_and_messages"] is load_demo_exchange
    setting = core_demo._demo_settings["EGOV_CA_PASSPHRASE"]
    assert setting.value == DEMO_CA_PASSPHRASE


def test_the_exchange_waits_until_the_demo_data_is_committed(
    demo_world: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        load_demo_exchange()
    assert callbacks == [send_demo_exchange]
    assert not Member.objects.exists()


def test_the_member_and_its_receipted_messages_are_loaded_once(demo_world: None) -> None:
    assert send_demo_exchange() == 5
    member = Member.objects.get(code=MEMBER_CODE)
    assert member.status == Member.Status.ACTIVE
    assert member.kind == Member.Kind.SYSTEM
    assert member.name == MEMBER_NAME
    assert member.organisation.code == "230102-SCJG"
    assert member.may_send == ["case-event"]
    messages = list(Message.objects.filter(sender=MEMBER_CODE).order_by("pk"))
    assert [m.message_type for m in messages] == ["case-event"] * 5
    node = node_identity()  # written by the loader into the node directory
    for message in messages:
        assert check_receipt(message.receipt, message.envelope).serial_hex == (
            node.certificate.serial_hex
        )
    assert tsa_services.active_unit("sm").is_active  # so the worker stamps the log
    assert send_demo_exchange() == 0
    assert Member.objects.count() == 1
    assert Message.objects.count() == 5


def test_the_case_history_happened_before_the_demos_now() -> None:
    # Its schema is checked by the gateway: case-event's payload check (registered by
    # supervision) refuses an invalid event, and the loader raises on a refusal.
    events = case_history(MOMENT)
    assert all(event["occurred_at"] < "2026-11-24T01:30:00Z" for event in events)
    assert [e["status"] for e in events] == [
        "submitted",
        "accepted",
        "approved",
        "concluded",
        "delivered",
    ]
    assert len({e["case_number"] for e in events}) == 1


def test_each_message_is_published_to_the_outbox_for_supervision(demo_world: None) -> None:
    send_demo_exchange()
    events = Event.objects.filter(event_type="ExchangeCaseEventReceived").order_by("pk")
    assert [e.payload["sender"] for e in events] == [MEMBER_CODE] * 5
    assert [e.payload["payload"]["type"] for e in events] == [
        "ApplicationSubmitted",
        "CaseAccepted",
        "CaseDecided",
        "CaseConcluded",
        "CaseDelivered",
    ]
