"""Readiness (/readyz): database, queue, outbox lag, disk; 200 when all pass, 503 otherwise."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from huey import RedisHuey, SqliteHuey

from egov.core import subscribers
from egov.core.events import publish
from egov.core.models import SubscriberPosition
from egov.core.testing import shanghai
from egov.monitoring import health, selectors
from egov.monitoring.tests.servers import closed_port
from egov.monitoring.tests.support import OUTSIDER

pytestmark = pytest.mark.django_db


@pytest.fixture
def thresholds(settings: Any) -> Any:
    settings.EGOV_READY_MIN_FREE_MB = 1
    settings.EGOV_READY_MAX_OUTBOX_LAG_SECONDS = 600
    return settings


@pytest.fixture
def slow_subscriber() -> Any:
    """The only subscriber for the test, positioned past the outbox's end (caught up)."""
    name = "monitoring-test-reader"
    SubscriberPosition.objects.update_or_create(subscriber=name, defaults={"last_event_id": 10**12})
    with subscribers.override({name: (lambda event: None, ["MonitoringTestHappened"])}):
        yield name


def test_all_checks_pass_from_loopback_with_figures(
    client: Client, thresholds: Any, slow_subscriber: str
) -> None:
    response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {"database", "queue", "outbox", "disk"} <= set(body["checks"])  # + apps' checks
    assert all(check["status"] == "ok" for check in body["checks"].values())
    assert body["checks"]["database"]["vendor"] in {"sqlite", "postgresql"}
    assert body["checks"]["queue"]["pending"] == 0
    assert body["checks"]["disk"]["free_mb"] >= 1


def test_too_little_disk_space_is_503(client: Client, thresholds: Any) -> None:
    thresholds.EGOV_READY_MIN_FREE_MB = 10**12  # an exabyte: no disk has that free

    response = client.get("/readyz")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["disk"]["status"] == "fail"
    assert checks["database"]["status"] == "ok"


def test_an_unreachable_redis_queue_is_503_naming_the_error(
    client: Client, thresholds: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = closed_port()
    monkeypatch.setattr(
        selectors, "HUEY", RedisHuey("egov-test", url=f"redis://127.0.0.1:{port}/0")
    )

    response = client.get("/readyz")

    assert response.status_code == 503
    queue = response.json()["checks"]["queue"]
    assert queue["status"] == "fail"
    assert "ConnectionError" in queue["error"]
    assert response.json()["checks"]["database"]["status"] == "ok"


def test_the_sqlite_queue_reports_its_depth(
    client: Client, thresholds: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    queue = SqliteHuey("egov-test", filename=str(tmp_path / "huey.sqlite3"))

    @queue.task()
    def pending_job() -> None:  # never run: no consumer
        pass

    pending_job()
    pending_job()
    monkeypatch.setattr(selectors, "HUEY", queue)

    response = client.get("/readyz")

    assert response.json()["checks"]["queue"] | {"ms": 0} == {
        "status": "ok",
        "backend": "sqlite",
        "pending": 2,
        "ms": 0,
    }


def test_a_failing_database_is_503(
    client: Client, thresholds: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> health.CheckResult:
        raise RuntimeError("database is locked")

    broken.__name__ = "check_database"
    monkeypatch.setattr(health, "CHECKS", (broken, *health.CHECKS[1:]))

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {
        "status": "fail",
        "error": "RuntimeError: database is locked",
    }


def test_outbox_lag_over_the_limit_is_503(
    client: Client, thresholds: Any, slow_subscriber: str, time_machine: Any
) -> None:
    SubscriberPosition.objects.filter(subscriber=slow_subscriber).update(last_event_id=0)
    time_machine.move_to(shanghai(2026, 11, 26, 9, 0), tick=False)
    publish("MonitoringTestHappened", {"n": 1}, aggregate="monitoring-test")
    time_machine.move_to(shanghai(2026, 11, 26, 9, 9), tick=False)

    assert client.get("/readyz").status_code == 200  # 9 minutes behind: within 10

    time_machine.move_to(shanghai(2026, 11, 26, 9, 11), tick=False)
    response = client.get("/readyz")

    assert response.status_code == 503
    outbox = response.json()["checks"]["outbox"]
    assert outbox["late"] == [slow_subscriber]
    [row] = [row for row in outbox["subscribers"] if row["subscriber"] == slow_subscriber]
    assert row["pending"] == 1
    assert row["lag_seconds"] == 660.0


def test_the_public_gets_the_status_but_no_details(client: Client, thresholds: Any) -> None:
    response = client.get("/readyz", REMOTE_ADDR=OUTSIDER)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_public_sees_a_failure_but_not_why(client: Client, thresholds: Any) -> None:
    thresholds.EGOV_READY_MIN_FREE_MB = 10**12

    response = client.get("/readyz", REMOTE_ADDR=OUTSIDER)

    assert response.status_code == 503
    assert response.json() == {"status": "fail"}


def test_outbox_lag_is_zero_when_caught_up(slow_subscriber: str) -> None:
    [row] = [
        lag
        for lag in selectors.outbox_lag(dt.datetime(2026, 11, 26, tzinfo=dt.UTC))
        if lag.subscriber == slow_subscriber
    ]
    assert (row.pending, row.lag_seconds) == (0, 0.0)
