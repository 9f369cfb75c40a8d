"""Continuous replication on demo-sized data: RPO under a write burst, RTO of a rebuild.

Usage:

    .venv/bin/python -m bench.replica_rpo [--seconds 30] [--rate 20]

Migrates a SQLite database in a temporary var directory and loads the demo
data, then starts ``egov backup replicate`` (Litestream, as deployed) into a
replica directory and, once its first snapshot is there:

* **RPO**: commits one row per transaction, ``--rate`` a second for
  ``--seconds``, sampling the replication lag as ``/metrics`` reports it
  (``egov_backup_replication_lag_seconds``) every second; then kills the
  replicating process (SIGKILL) while the burst goes on, rebuilds the database
  from the replica, and measures the work lost: how long before the kill the
  oldest missing commit was made (0 when none is missing).
* **RTO**: ``egov backup replica-restore --target DIR`` (a fresh process), then
  ``egov serve --web-only`` on the rebuilt data until ``/`` answers 200 (as a
  restore drill serves it, ``collectstatic`` included).

Prints the section for docs/benchmarks.md. Bounded: the burst, 60 s for the
first replication, 180 s for serving.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.backup_drill import setup
from bench.machine import describe_machine

FIRST_SYNC_SECONDS = 60
SERVE_SECONDS = 180
RESTORE_SECONDS = 600
AFTER_KILL_SECONDS = 1.0


@dataclass
class Burst:
    """Commit times (monotonic), the kill's time, and the lag gauge's samples."""

    committed_at: list[float] = field(default_factory=list)
    killed_at: float = 0.0
    lag_samples: list[float] = field(default_factory=list)


def egov(*arguments: str) -> list[str]:
    return [str(Path(sys.executable).parent / "egov"), *arguments]


def start_replicating(database: Path, replica: str) -> subprocess.Popen[bytes]:
    from egov.backup import replication

    daemon = subprocess.Popen(  # noqa: S603 - our own command, argument list
        egov("backup", "replicate"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + FIRST_SYNC_SECONDS
    while replication.newest_point(replica) is None:
        if time.monotonic() > deadline:
            daemon.kill()
            raise SystemExit(f"no replicated point after {FIRST_SYNC_SECONDS} s")
        time.sleep(0.5)
    return daemon


def sample_lag(database: Path, replica: str, burst: Burst, stop: threading.Event) -> None:
    """Every second, the lag as the gauge computes it (the real clock: this is a benchmark)."""
    from egov.backup import health, replication

    while not stop.wait(1.0):
        with contextlib.suppress(replication.ReplicationError):
            lag = health.replication_lag(
                replication.newest_point(replica),
                replication.last_write(database),
                dt.datetime.now(dt.UTC),
                replication.LISTING_RESOLUTION,
            )
            if lag is not None:
                burst.lag_samples.append(lag)


def write_burst(
    database: Path, daemon: subprocess.Popen[bytes], seconds: float, rate: float, burst: Burst
) -> None:
    """One row per transaction at ``rate``; kill the replicator at ``seconds``, go on 1 s more."""
    live = sqlite3.connect(database, isolation_level=None, timeout=30)
    live.execute("CREATE TABLE bench_replica_commits (id INTEGER PRIMARY KEY, at REAL)")
    started = time.monotonic()
    while time.monotonic() - started < seconds + AFTER_KILL_SECONDS:
        live.execute("BEGIN IMMEDIATE")
        live.execute("INSERT INTO bench_replica_commits VALUES (?, ?)", (None, time.time()))
        live.execute("COMMIT")
        burst.committed_at.append(time.monotonic())
        if not burst.killed_at and time.monotonic() - started >= seconds:
            os.kill(daemon.pid, signal.SIGKILL)
            burst.killed_at = time.monotonic()
        time.sleep(1 / rate)
    live.close()


def replica_restore(target: Path) -> float:
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own command, argument list
        egov("backup", "replica-restore", "--target", str(target)),
        check=True,
        timeout=RESTORE_SECONDS,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def lost_window(burst: Burst, replicated: int) -> float:
    """Seconds before the kill that the oldest commit missing from the replica was made."""
    if replicated >= len(burst.committed_at):
        return 0.0
    return max(0.0, burst.killed_at - burst.committed_at[replicated])


def replicated_commits(database: Path) -> int:
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as rebuilt:
        return int(rebuilt.execute("SELECT COUNT(*) FROM bench_replica_commits").fetchone()[0])


def serve(target: Path) -> float:
    from django.conf import settings

    from egov.backup.serving import time_until_served

    served = time_until_served(
        var_dir=target,
        database_url=f"sqlite:///{target}/egov.sqlite3",
        timeout=SERVE_SECONDS,
        audit_key=settings.EGOV_AUDIT_KEY,
    )
    if served.seconds is None:
        raise SystemExit(f"the rebuilt instance did not serve /: {served.error}")
    return served.seconds


@dataclass(frozen=True)
class Figures:
    version: str
    database_mib: float
    replicated: int
    lost: float
    restore: float
    serve: float


def table(burst: Burst, figures: Figures) -> list[tuple[str, str, str]]:
    before_kill = sum(1 for moment in burst.committed_at if moment <= burst.killed_at)
    lags = burst.lag_samples or [0.0]
    counts = f"{len(burst.committed_at)} / {before_kill} / {figures.replicated}"
    return [
        ("commits in the burst / before the kill / in the rebuilt replica", counts, ""),
        (
            f"replication lag gauge during the burst: median / max ({len(lags)} samples)",
            f"{statistics.median(lags):.1f} s / {max(lags):.1f} s",
            "≤ 60 s",
        ),
        ("**RPO**: work lost at the kill (oldest missing commit's age)", f"{figures.lost:.2f} s",
         "≤ 1 min"),
        ("`egov backup replica-restore` (fresh process)", f"{figures.restore:.1f} s", ""),
        ("`egov serve --web-only` on the rebuilt data until `/` answers 200",
         f"{figures.serve:.1f} s", ""),
        ("**RTO**: rebuild + serve", f"{figures.restore + figures.serve:.1f} s", "≤ 15 min"),
    ]  # fmt: skip


def report(args: argparse.Namespace, burst: Burst, figures: Figures) -> None:
    command = f"python -m bench.replica_rpo --seconds {args.seconds:g} --rate {args.rate:g}"
    print("## Backup: continuous replication, RPO and RTO (egov backup replicate)\n")
    print(f"Command: `.venv/bin/{command}`  ")
    print(f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC  ")  # the real date, reported
    print(f"Machine: {describe_machine()}, Litestream {figures.version}\n")
    print(
        f"Data: the demo (`egov load_demo_data`), SQLite {figures.database_mib:.1f} MiB; "
        "Litestream replicating to a local directory (sync interval 1 s, its default).\n"
    )
    print("| figure | measured | goal |")
    print("|---|---:|---:|")
    for row in table(burst, figures):
        print("| " + " | ".join(row) + " |")


def litestream_version() -> str:
    from egov.backup import replication

    return replication.run([replication.program(), "version"], 30).strip()


def measure(var_dir: Path, args: argparse.Namespace) -> None:
    database, replica = var_dir / "egov.sqlite3", os.environ["EGOV_BACKUP_REPLICA"]
    daemon = start_replicating(database, replica)
    burst, stop = Burst(), threading.Event()
    sampler = threading.Thread(target=sample_lag, args=(database, replica, burst, stop))
    sampler.start()
    try:
        write_burst(database, daemon, args.seconds, args.rate, burst)
    finally:
        stop.set()
        sampler.join(timeout=30)
        if daemon.poll() is None:
            daemon.kill()
        daemon.wait(timeout=30)
    target = var_dir.parent / (var_dir.name + "-rebuilt")
    restore_seconds = replica_restore(target)
    replicated = replicated_commits(target / "egov.sqlite3")
    figures = Figures(
        version=litestream_version(),
        database_mib=database.stat().st_size / 2**20,
        replicated=replicated,
        lost=lost_window(burst, replicated),
        restore=restore_seconds,
        serve=serve(target),
    )
    report(args, burst, figures)
    shutil.rmtree(target, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--rate", type=float, default=20)
    args = parser.parse_args()
    var_dir = Path(tempfile.mkdtemp(prefix="egov-bench-replica-"))
    os.environ["EGOV_BACKUP_REPLICA"] = str(var_dir.parent / (var_dir.name + "-replica"))
    try:
        setup(var_dir)
        measure(var_dir, args)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
        shutil.rmtree(os.environ["EGOV_BACKUP_REPLICA"], ignore_errors=True)


if __name__ == "__main__":
    main()
