"""Replication lag (pure): caught up is 0; behind is the age of the replica's newest point."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from egov.backup import health, replication
from egov.core.testing import shanghai

NOW = shanghai(2026, 11, 26, 9, 0)
SECOND = dt.timedelta(seconds=1)


def test_no_write_since_the_newest_point_is_no_lag() -> None:
    newest = NOW - dt.timedelta(hours=3)
    assert health.replication_lag(newest, newest - dt.timedelta(minutes=1), NOW, SECOND) == 0.0


def test_a_write_within_the_listing_resolution_is_caught_up() -> None:
    newest = NOW - dt.timedelta(minutes=5)
    written = newest + dt.timedelta(milliseconds=900)
    assert health.replication_lag(newest, written, NOW, SECOND) == 0.0


def test_a_write_after_the_newest_point_is_the_points_age() -> None:
    newest = NOW - dt.timedelta(seconds=90)
    written = NOW - dt.timedelta(seconds=10)
    assert health.replication_lag(newest, written, NOW, SECOND) == 90.0


def test_an_empty_replica_has_no_lag_to_state() -> None:
    assert health.replication_lag(None, NOW, NOW, SECOND) is None


def test_the_finding_names_the_lag_over_the_target() -> None:
    limit = dt.timedelta(seconds=60)
    assert health.replica_finding(59.0, limit) is None
    assert health.replica_finding(61.0, limit) == health.Finding(
        health.REPLICA_BEHIND, dt.timedelta(seconds=61), limit
    )
    assert health.replica_finding(None, limit) == health.Finding(health.REPLICA_BEHIND, None, limit)


def test_newest_timestamp_of_every_level_of_the_listing() -> None:
    listing = json.dumps(
        [
            {"level": 0, "max_txid": "0000000000000004", "timestamp": "2026-11-26T00:59:31Z"},
            {"level": 1, "max_txid": "0000000000000003", "timestamp": "2026-11-26T00:59:35Z"},
            {"level": 9, "max_txid": "0000000000000001", "timestamp": "2026-11-26T00:58:33Z"},
        ]
    )
    assert replication.newest_timestamp(listing) == dt.datetime(
        2026, 11, 26, 0, 59, 35, tzinfo=dt.UTC
    )
    assert replication.newest_timestamp("[]") is None


def test_last_write_is_the_logs_time_not_a_later_checkpoints(tmp_path: Path) -> None:
    database = tmp_path / "egov.sqlite3"
    database.write_bytes(b"")
    log = tmp_path / "egov.sqlite3-wal"
    log.write_bytes(b"")
    os.utime(log, (NOW.timestamp() - 60, NOW.timestamp() - 60))
    os.utime(database, (NOW.timestamp() - 5, NOW.timestamp() - 5))  # a checkpoint, no commit

    assert replication.last_write(database) == NOW - dt.timedelta(seconds=60)


def test_without_a_log_the_database_files_time(tmp_path: Path) -> None:
    database = tmp_path / "egov.sqlite3"
    database.write_bytes(b"")
    os.utime(database, (NOW.timestamp() - 5, NOW.timestamp() - 5))

    assert replication.last_write(database) == NOW - dt.timedelta(seconds=5)
    assert replication.last_write(tmp_path / "absent.sqlite3") is None
