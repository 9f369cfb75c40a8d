"""Gauges computed at scrape time: outbox lag and backlog, dead letters, queue depth, incidents."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from egov.core import subscribers
from egov.core.events import publish
from egov.core.models import DeadLetter, SubscriberPosition
from egov.core.testing import shanghai
from egov.monitoring import selectors
from egov.monitoring.models import Incident

pytestmark = pytest.mark.django_db
READER = "monitoring-gauge-reader"


def gauges(client: Client) -> dict[tuple[str, tuple], float]:
    text = client.get("/metrics").content.decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


@pytest.fixture
def reader() -> Any:
    SubscriberPosition.objects.update_or_create(subscriber=READER, defaults={"last_event_id": 0})
    with subscribers.override({READER: (lambda event: None, ["GaugeTestHappened"])}):
        yield READER


def test_outbox_backlog_lag_and_dead_letters_per_subscriber(
    client: Client, reader: str, time_machine: Any
) -> None:
    time_machine.move_to(shanghai(2026, 11, 26, 9, 0), tick=False)
    first = publish("GaugeTestHappened", {"n": 1}, aggregate="gauge")
    publish("GaugeTestHappened", {"n": 2}, aggregate="gauge")
    DeadLetter.objects.create(subscriber=READER, event=first, attempts=8, last_error="boom")
    time_machine.move_to(shanghai(2026, 11, 26, 9, 5), tick=False)

    seen = gauges(client)

    label = (("subscriber", READER),)
    assert seen[("egov_outbox_pending_events", label)] == 2
    assert seen[("egov_outbox_lag_seconds", label)] == 300
    assert seen[("egov_outbox_dead_letters", label)] == 1
    assert seen[("egov_monitoring_source_up", (("source", "outbox"),))] == 1


def test_queue_depth(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors, "queue_depth", lambda: 7)

    assert gauges(client)[("egov_queue_pending_tasks", ())] == 7


def test_an_unreachable_queue_drops_its_gauge_and_says_so(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable() -> int:
        raise ConnectionError("connection refused")

    monkeypatch.setattr(selectors, "queue_depth", unreachable)

    seen = gauges(client)
    assert ("egov_queue_pending_tasks", ()) not in seen
    assert seen[("egov_monitoring_source_up", (("source", "queue"),))] == 0
    assert seen[("egov_monitoring_source_up", (("source", "outbox"),))] == 1


def test_open_incidents_by_rule_and_status(client: Client) -> None:
    moment = shanghai(2026, 11, 26, 9)
    for n, status in enumerate(["open", "open", "acknowledged", "closed"]):
        Incident.objects.create(
            rule_code="brute_force.accounts_from_one_address",
            subject=f"198.51.100.{n}",
            fingerprint=f"gauge-{n}",
            severity="high",
            summary="test",
            window_start=moment,
            window_end=moment,
            opened_at=moment,
            status=status,
        )

    seen = gauges(client)
    rule = ("rule", "brute_force.accounts_from_one_address")
    assert seen[("egov_security_incidents", (rule, ("status", "open")))] == 2
    assert seen[("egov_security_incidents", (rule, ("status", "acknowledged")))] == 1
    assert ("egov_security_incidents", (rule, ("status", "closed"))) not in seen
