"""/readyz's "backup" check: the replica within its lag; stale snapshots and failed drills warn.

A stale backup must not take the web tier out of service (readiness), so it is a
warning in the check's figures; the gauges and e-mail alert on it.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from django.test import Client

from egov.backup.tests.readiness_support import (
    drill_at,
    replica_positions,
    snapshot_at,
    with_replica,
)
from egov.core.testing import shanghai

pytestmark = pytest.mark.django_db
NOW = shanghai(2026, 11, 26, 9, 0)
sqlite_only = pytest.mark.skipif(
    bool(os.environ.get("EGOV_TEST_POSTGRES")), reason="the Litestream replica is for SQLite"
)


@pytest.fixture
def backups_on(settings: Any, time_machine: Any) -> Any:
    time_machine.move_to(NOW, tick=False)
    settings.EGOV_READY_MIN_FREE_MB = 1
    settings.EGOV_BACKUP_PASSWORD = "test-backup-password"
    settings.EGOV_BACKUP_RPO_HOURS = 24
    settings.EGOV_BACKUP_REPLICA = ""
    return settings


def backup_check(client: Client) -> tuple[int, dict[str, Any]]:
    response = client.get("/readyz")
    return response.status_code, response.json()["checks"]["backup"]


def test_recent_snapshot_and_good_drill_pass(client: Client, backups_on: Any) -> None:
    snapshot_at(NOW - dt.timedelta(hours=6, minutes=30))
    drill_at(NOW - dt.timedelta(hours=5, minutes=30), succeeded=True)

    status, check = backup_check(client)

    assert check == {
        "status": "ok",
        "snapshots": "on",
        "newest_snapshot_age_seconds": 23400.0,
        "rpo_seconds": 86400.0,
        "newest_drill_ok": True,
        "problems": [],
        "warnings": [],
    }
    assert status in {200, 503}  # the other checks are not this test's subject


def test_a_snapshot_older_than_the_rpo_warns(client: Client, backups_on: Any) -> None:
    snapshot_at(NOW - dt.timedelta(hours=24, minutes=1))

    _status, check = backup_check(client)

    assert check["status"] == "ok"
    assert (check["problems"], check["warnings"]) == ([], ["rpo_exceeded"])
    assert check["newest_snapshot_age_seconds"] == 86460.0


def test_no_snapshot_at_all_warns_once_backups_are_on(client: Client, backups_on: Any) -> None:
    _status, check = backup_check(client)

    assert check["status"] == "ok"
    assert (check["problems"], check["warnings"]) == ([], ["rpo_exceeded"])
    assert check["newest_snapshot_age_seconds"] is None


def test_a_failed_newest_drill_warns(client: Client, backups_on: Any) -> None:
    snapshot_at(NOW - dt.timedelta(hours=1))
    drill_at(NOW - dt.timedelta(days=1), succeeded=True)
    drill_at(NOW - dt.timedelta(minutes=30), succeeded=False)

    _status, check = backup_check(client)

    assert check["status"] == "ok"
    assert (check["problems"], check["warnings"]) == ([], ["drill_failed"])
    assert check["newest_drill_ok"] is False


def test_without_a_backup_password_snapshots_are_not_judged(
    client: Client, backups_on: Any
) -> None:
    backups_on.EGOV_BACKUP_PASSWORD = None

    _status, check = backup_check(client)

    assert check == {"status": "ok", "snapshots": "off", "problems": [], "warnings": []}


@sqlite_only
def test_a_replica_caught_up_passes(
    client: Client, backups_on: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshot_at(NOW - dt.timedelta(hours=1))
    with_replica(backups_on)
    # Last write 0.4 s after the newest point: within the listing's one-second resolution.
    replica_positions(
        monkeypatch, NOW - dt.timedelta(minutes=10), NOW - dt.timedelta(seconds=599.6)
    )

    _status, check = backup_check(client)

    assert check["status"] == "ok"
    assert check["replica"] == {"lag_seconds": 0.0, "max_lag_seconds": 60.0}


@sqlite_only
def test_a_replica_behind_by_more_than_its_target_fails(
    client: Client, backups_on: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshot_at(NOW - dt.timedelta(hours=1))
    with_replica(backups_on)
    replica_positions(monkeypatch, NOW - dt.timedelta(seconds=75), NOW - dt.timedelta(seconds=2))

    status, check = backup_check(client)

    assert status == 503
    assert check["problems"] == ["replica_behind"]
    assert check["replica"] == {"lag_seconds": 75.0, "max_lag_seconds": 60.0}


@sqlite_only
def test_a_replica_behind_within_its_target_passes(
    client: Client, backups_on: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshot_at(NOW - dt.timedelta(hours=1))
    with_replica(backups_on)
    replica_positions(monkeypatch, NOW - dt.timedelta(seconds=3), NOW - dt.timedelta(seconds=1))

    _status, check = backup_check(client)

    assert check["status"] == "ok"
    assert check["replica"]["lag_seconds"] == 3.0


@sqlite_only
def test_an_empty_replica_fails(
    client: Client, backups_on: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    backups_on.EGOV_BACKUP_PASSWORD = None
    with_replica(backups_on)
    replica_positions(monkeypatch, None, NOW - dt.timedelta(seconds=1))

    status, check = backup_check(client)

    assert status == 503
    assert check["problems"] == ["replica_behind"]
    assert check["replica"]["lag_seconds"] is None
