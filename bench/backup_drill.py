"""One snapshot and one restore drill on demo-sized data: RPO and RTO (docs/benchmarks.md).

Usage:

    .venv/bin/python -m bench.backup_drill [--media-files 200] [--media-kib 100]

Migrates a SQLite database in a temporary var directory, loads the demo data
(``egov load_demo_data``), writes random media files (incompressible, the worst
case for restic's compression), then times ``egov backup now`` into two
repositories (same-city and "remote", both local directories here) and runs
``egov backup drill`` on each. Prints the section for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.machine import describe_machine


def setup(var_dir: Path) -> None:
    os.environ["EGOV_VAR_DIR"] = str(var_dir)
    os.environ["EGOV_LOG_LEVEL"] = "WARNING"
    os.environ["EGOV_DATABASE_URL"] = f"sqlite:///{var_dir}/egov.sqlite3"
    os.environ["EGOV_BACKUP_PASSWORD"] = "bench-backup-password"  # noqa: S105 - scratch repos
    os.environ["EGOV_BACKUP_REPOSITORIES"] = f"{var_dir}/repo-harbin,{var_dir}/repo-remote"
    os.environ["DJANGO_SETTINGS_MODULE"] = "egov.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("load_demo_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def write_media(media: Path, files: int, kib: int) -> None:
    for number in range(files):
        folder = media / "attachments" / f"{number // 50:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"attachment-{number:05d}.bin").write_bytes(os.urandom(kib * 1024))


def directory_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--media-files", type=int, default=200)
    parser.add_argument("--media-kib", type=int, default=100)
    args = parser.parse_args()
    var_dir = Path(tempfile.mkdtemp(prefix="egov-bench-backup-"))
    setup(var_dir)
    from egov.backup.services import configured_repositories, run_drill, take_snapshot

    write_media(var_dir / "media", args.media_files, args.media_kib)
    started = time.perf_counter()
    outcome = take_snapshot(actor="bench")
    snapshot_seconds = time.perf_counter() - started
    snapshot = outcome.recorded[0]
    database_bytes = (var_dir / "egov.sqlite3").stat().st_size
    rows = []
    for repository in configured_repositories():
        drill = run_drill(actor="bench", repository=repository)
        rows.append((repository, drill))
    print("## Backup: snapshot and restore drill (egov.backup)\n")
    print(
        f"Command: `.venv/bin/python -m bench.backup_drill --media-files {args.media_files} "
        f"--media-kib {args.media_kib}`  "
    )
    print(f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC  ")  # the real date, reported
    print(f"Machine: {describe_machine()}, restic 0.14.0\n")
    print(
        f"Data: demo database {database_bytes / 2**20:.1f} MiB ({snapshot.tables} tables, "
        f"{snapshot.rows:,} rows), {snapshot.files} media files "
        f"({directory_bytes(var_dir / 'media') / 2**20:.1f} MiB random). "
        f"`take_snapshot` into both repositories: {snapshot_seconds:.1f} s.\n"
    )
    print("| repository | drill | RPO at drill | RTO | tables / files checked | repo size |")
    print("|---|---|---:|---:|---:|---:|")
    for repository, drill in rows:
        size = directory_bytes(Path(repository.location)) / 2**20
        print(
            f"| {Path(repository.location).name} | {'ok' if drill.succeeded else 'FAILED'} | "
            f"{drill.rpo_seconds:.0f} s | {drill.rto_seconds or 0:.1f} s | "
            f"{drill.tables_checked} / {drill.files_checked} | {size:.1f} MiB |"
        )
        for problem in drill.problems:
            print(f"problem: {problem}", file=sys.stderr)
    shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
