"""/metrics' backup gauges: snapshot and verified ages, last drill, replication lag."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from django.test import Client

from egov.backup.tests.readiness_support import (
    drill_at,
    replica_positions,
    scraped,
    snapshot_at,
    with_replica,
)
from egov.core.testing import shanghai

pytestmark = pytest.mark.django_db
NOW = shanghai(2026, 11, 26, 9, 0)


@pytest.fixture
def at_nine(settings: Any, time_machine: Any) -> Any:
    time_machine.move_to(NOW, tick=False)
    settings.EGOV_BACKUP_REPLICA = ""
    return settings


def test_ages_and_last_drill(client: Client, at_nine: Any) -> None:
    snapshot_at(NOW - dt.timedelta(hours=30), verified=True)
    snapshot_at(NOW - dt.timedelta(hours=6, minutes=30), verified=None)
    drill_at(NOW - dt.timedelta(hours=5), succeeded=False)

    gauges = scraped(client)

    assert gauges["egov_backup_newest_snapshot_age_seconds"] == 23400.0
    assert gauges["egov_backup_newest_verified_age_seconds"] == 108000.0
    assert gauges["egov_backup_last_drill_ok"] == 0.0
    assert "egov_backup_replication_lag_seconds" not in gauges  # no replica configured


def test_before_the_first_snapshot_the_gauges_are_absent(client: Client, at_nine: Any) -> None:
    gauges = scraped(client)

    assert "egov_backup_newest_snapshot_age_seconds" not in gauges
    assert "egov_backup_newest_verified_age_seconds" not in gauges
    assert "egov_backup_last_drill_ok" not in gauges


def test_a_successful_drill_is_one(client: Client, at_nine: Any) -> None:
    drill_at(NOW - dt.timedelta(hours=5), succeeded=True)

    assert scraped(client)["egov_backup_last_drill_ok"] == 1.0


@pytest.mark.skipif(bool(os.environ.get("EGOV_TEST_POSTGRES")), reason="replica is SQLite's")
def test_replication_lag(client: Client, at_nine: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    with_replica(at_nine)
    replica_positions(monkeypatch, NOW - dt.timedelta(seconds=42), NOW - dt.timedelta(seconds=5))

    gauges = scraped(client)

    assert gauges["egov_backup_replication_lag_seconds"] == 42.0


@pytest.mark.skipif(bool(os.environ.get("EGOV_TEST_POSTGRES")), reason="replica is SQLite's")
def test_an_unreadable_replica_drops_its_gauge_only(
    client: Client, at_nine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from egov.backup import replication

    def unreachable(location: str, timeout: float) -> None:
        raise replication.ReplicationError("litestream ltx did not finish in 10 s")

    with_replica(at_nine)
    snapshot_at(NOW - dt.timedelta(hours=1))
    monkeypatch.setattr(replication, "newest_point", unreachable)

    text = client.get("/metrics").content.decode()

    assert 'egov_monitoring_source_up{source="backup_replica"} 0.0' in text
    assert 'egov_monitoring_source_up{source="backup"} 1.0' in text
    assert "egov_backup_newest_snapshot_age_seconds 3600.0" in text
    assert "egov_backup_replication_lag_seconds " not in text
