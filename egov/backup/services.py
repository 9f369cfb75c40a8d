"""Backup writes (容灾备份): take a snapshot, verify, restore, drill, retention, alerts.

Each top-level service records what it did in the audit chain. Snapshots are
taken by the ``restic`` command line (ADR 0040); the database part and the
manifest come from :mod:`egov.backup.database` and :mod:`egov.backup.manifest`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from egov.backup import database, replication, restic, retention
from egov.backup.manifest import (
    MANIFEST_NAME,
    Manifest,
    TableSummary,
    compare_manifests,
    file_digests,
)
from egov.backup.models import Drill, Snapshot
from egov.backup.serving import time_until_served
from egov.core.services.audit import record_audit


class BackupError(RuntimeError):
    """A backup operation was refused or failed; nothing it would have recorded is recorded."""


def configured_repositories() -> list[restic.Repository]:
    """The configured repositories with their password; refused when no password is set."""
    password = settings.EGOV_BACKUP_PASSWORD
    if not password:
        raise BackupError(
            "no backup password: set EGOV_BACKUP_PASSWORD or EGOV_BACKUP_PASSWORD_FILE"
        )
    return [restic.Repository(location, password) for location in settings.EGOV_BACKUP_REPOSITORIES]


def repository_named(label_or_index: str | int | None) -> restic.Repository:
    """A configured repository by position (0 first) or label; the first when None."""
    repositories = configured_repositories()
    if label_or_index is None:
        return repositories[0]
    for index, repository in enumerate(repositories):
        if str(label_or_index) in (str(index), repository.label, repository.location):
            return repository
    raise BackupError(f"no configured repository {label_or_index}")


def live_engine() -> str:
    return database.engine_of(connection.settings_dict)


def media_root() -> Path:
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    return root


@contextmanager
def scratch_directory(prefix: str, parent: Path | None = None) -> Iterator[Path]:
    """A private directory removed afterwards, however the block ends."""
    base = parent or Path(settings.EGOV_BACKUP_SCRATCH_DIR)
    base.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=base))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def dump_live_database(target_dir: Path) -> tuple[str, dict[str, TableSummary]]:
    """A consistent copy of the live database in ``target_dir``; its name and tables."""
    engine = live_engine()
    target = target_dir / database.DUMP_NAMES[engine]
    if engine == database.SQLITE:
        connection.ensure_connection()
        return target.name, database.copy_sqlite(connection.connection, target)
    return target.name, database.dump_postgresql(connection.settings_dict, target)


def stage_snapshot(staging: Path, taken_at: dt.datetime) -> Manifest:
    """Write the database copy and the manifest into ``staging``."""
    (staging / "database").mkdir()
    dump_name, tables = dump_live_database(staging / "database")
    media = media_root()
    manifest = Manifest(
        taken_at=taken_at.astimezone(dt.UTC).isoformat(),
        engine=live_engine(),
        database_file=f"database/{dump_name}",
        staging_path=str(staging),
        media_path=str(media),
        tables=tables,
        files=file_digests(media),
    )
    (staging / MANIFEST_NAME).write_text(manifest.to_json(), encoding="utf-8")
    return manifest


@dataclass(frozen=True)
class SnapshotOutcome:
    recorded: list[Snapshot]
    failures: list[str]


def take_snapshot(*, actor: Any, taken_at: dt.datetime | None = None) -> SnapshotOutcome:
    """Snapshot the database and the media files into every repository (备份快照).

    One staging copy, backed up to each repository with the same time; a
    repository that fails is named in ``failures`` while the others are
    recorded. Raises BackupError when no repository took the snapshot.
    """
    repositories = configured_repositories()
    moment = (taken_at or timezone.now()).replace(microsecond=0)
    taken: list[tuple[restic.Repository, str]] = []
    failures: list[str] = []
    with scratch_directory("staging-") as staging:
        manifest = stage_snapshot(staging, moment)
        for repository in repositories:
            try:
                restic.initialise(repository)
                snapshot_id = restic.backup(repository, [staging, media_root()], taken_at=moment)
            except restic.ResticError as exc:
                failures.append(f"{repository.label}: {exc}")
                continue
            taken.append((repository, snapshot_id))
    recorded = record_snapshots(actor=actor, manifest=manifest, moment=moment, taken=taken)
    if not recorded:
        raise BackupError("no repository took the snapshot: " + "; ".join(failures))
    return SnapshotOutcome(recorded, failures)


def record_snapshots(
    *,
    actor: Any,
    manifest: Manifest,
    moment: dt.datetime,
    taken: list[tuple[restic.Repository, str]],
) -> list[Snapshot]:
    rows = sum(summary.rows for summary in manifest.tables.values())
    recorded = []
    with transaction.atomic(durable=True):
        for repository, snapshot_id in taken:
            recorded.append(
                Snapshot.objects.create(
                    repository=repository.label,
                    snapshot_id=snapshot_id,
                    taken_at=moment,
                    engine=manifest.engine,
                    manifest=manifest_data(manifest),
                    tables=len(manifest.tables),
                    rows=rows,
                    files=len(manifest.files),
                )
            )
            record_audit(
                actor=actor,
                action="backup.snapshot",
                object_type="backup.snapshot",
                object_id=snapshot_id,
                summary=f"{repository.label}: {len(manifest.tables)} tables, {rows} rows, "
                f"{len(manifest.files)} files",
            )
    return recorded


def manifest_data(manifest: Manifest) -> dict[str, Any]:
    return json.loads(manifest.to_json())


def same_snapshot(full_id: str, recorded_id: str) -> bool:
    return full_id.startswith(recorded_id) or recorded_id.startswith(full_id)


def rows_of(repository: restic.Repository, snapshot_id: str) -> Any:
    return Snapshot.objects.filter(
        repository=repository.label, snapshot_id__in=[snapshot_id, snapshot_id[:8]]
    )


def verify_repository(*, actor: Any, repository: restic.Repository) -> str:
    """Check the repository and read back all its data (校验); '' when sound, else why not.

    Every recorded snapshot of the repository is marked verified or not.
    """
    try:
        restic.check(repository, read_data=True)
        problem = ""
    except restic.ResticError as exc:
        problem = str(exc)
    now = timezone.now()
    with transaction.atomic(durable=True):
        Snapshot.objects.filter(repository=repository.label, forgotten_at__isnull=True).update(
            verified_at=now, verification_ok=not problem
        )
        record_audit(
            actor=actor,
            action="backup.verify",
            object_type="backup.repository",
            object_id=repository.label[:128],
            summary=problem[:500] or "repository sound: structure and all data read back",
        )
    return problem


@dataclass(frozen=True)
class Restored:
    """A snapshot restored into scratch: its manifest, database file and media directory."""

    snapshot: restic.SnapshotInfo
    manifest: Manifest
    database_file: Path
    media: Path


def find_snapshot(repository: restic.Repository, snapshot_id: str | None) -> restic.SnapshotInfo:
    """The snapshot ``snapshot_id`` (a prefix will do), or the newest one."""
    found = restic.snapshots(repository)
    if snapshot_id:
        found = [s for s in found if same_snapshot(s.snapshot_id, snapshot_id)]
    if not found:
        raise BackupError(f"no snapshot {snapshot_id or ''} in {repository.label}".strip())
    return found[-1]


def restore_to_scratch(
    repository: restic.Repository, snapshot: restic.SnapshotInfo, scratch: Path
) -> Restored:
    """restic restore into ``scratch``; the restored pieces found through the manifest."""
    restic.restore(repository, snapshot.snapshot_id, scratch)
    found = sorted(scratch.rglob(MANIFEST_NAME))
    if len(found) != 1:
        raise BackupError(f"snapshot {snapshot.snapshot_id[:8]} holds no single manifest")
    manifest = Manifest.from_json(found[0].read_text(encoding="utf-8"))
    staging = found[0].parent
    media = Path(
        os.path.normpath(staging / os.path.relpath(manifest.media_path, manifest.staging_path))
    )
    media.mkdir(parents=True, exist_ok=True)
    return Restored(snapshot, manifest, staging / manifest.database_file, media)


def restored_tables(restored: Restored, engine: str, database_name: str) -> dict[str, TableSummary]:
    if engine == database.SQLITE:
        return database.sqlite_file_summaries(restored.database_file)
    return database.pg_database_summaries(connection.settings_dict, database_name)


def check_restored(restored: Restored, tables: dict[str, TableSummary]) -> list[str]:
    """Differences between the restored copy and its manifest (and the recorded one)."""
    problems = compare_manifests(restored.manifest, tables, file_digests(restored.media))
    recorded = (
        Snapshot.objects.filter(snapshot_id__in=[restored.snapshot.snapshot_id[:8]])
        .values_list("manifest", flat=True)
        .first()
    )
    if recorded is not None and recorded != manifest_data(restored.manifest):
        problems.append("the manifest in the snapshot differs from the one recorded when taken")
    return problems


def is_non_empty(directory: Path) -> bool:
    return directory.exists() and any(directory.iterdir())


def place_sqlite(database_file: Path, target: Path) -> None:
    """Move the restored database into ``target``, removing an old one and its WAL files."""
    for suffix in ("", "-wal", "-shm"):
        (target / f"{database.DUMP_NAMES[database.SQLITE]}{suffix}").unlink(missing_ok=True)
    shutil.move(database_file, target / database.DUMP_NAMES[database.SQLITE])


def place_media(media: Path, target: Path) -> None:
    shutil.rmtree(target / "media", ignore_errors=True)
    shutil.move(media, target / "media")


def refuse_non_empty(target: Path, database_name: str, engine: str) -> None:
    occupied = is_non_empty(target)
    if engine == database.POSTGRESQL and not occupied:
        occupied = database.pg_has_tables(connection.settings_dict, database_name)
    if occupied:
        where = str(target) if engine == database.SQLITE else f"{target} / {database_name}"
        raise BackupError(f"the restore target {where} is not empty: pass --force to overwrite it")


def restore_into_postgresql(restored: Restored, database_name: str, *, clean: bool) -> None:
    """pg_restore, then the restored tables compared with the manifest."""
    database.restore_postgresql(
        connection.settings_dict, database_name, restored.database_file, clean=clean
    )
    tables = database.pg_database_summaries(connection.settings_dict, database_name)
    problems = compare_manifests(restored.manifest, tables, restored.manifest.files)
    if problems:
        raise BackupError(
            f"database {database_name} restored but differs from the manifest: "
            + "; ".join(problems[:5])
        )


def restore_snapshot(
    *,
    actor: Any,
    repository: restic.Repository,
    target: Path,
    snapshot_id: str | None = None,
    database_name: str = "",
    force: bool = False,
) -> restic.SnapshotInfo:
    """Restore a snapshot (恢复): the database and ``media/`` into ``target``.

    SQLite: ``target/egov.sqlite3``; PostgreSQL: into ``database_name`` (by
    default the configured one). A non-empty target (directory or database)
    is refused unless ``force``. The restored copy is checked against its
    manifest first: a copy that differs is never put in place.
    """
    engine = live_engine()
    database_name = database_name or str(connection.settings_dict["NAME"])
    if not force:
        refuse_non_empty(target, database_name, engine)
    snapshot = find_snapshot(repository, snapshot_id)
    target.mkdir(parents=True, exist_ok=True)
    with scratch_directory(".egov-restore-", parent=target.parent) as scratch:
        restored = restore_to_scratch(repository, snapshot, scratch)
        if restored.manifest.engine != engine:
            raise BackupError(f"snapshot is of {restored.manifest.engine}, this is {engine}")
        tables = (
            database.sqlite_file_summaries(restored.database_file)
            if engine == database.SQLITE
            else restored.manifest.tables
        )
        problems = compare_manifests(restored.manifest, tables, file_digests(restored.media))
        if problems:
            raise BackupError("restored copy differs from its manifest: " + "; ".join(problems[:5]))
        if engine == database.SQLITE:
            place_sqlite(restored.database_file, target)
        else:
            restore_into_postgresql(restored, database_name, clean=force)
        place_media(restored.media, target)
    with transaction.atomic(durable=True):
        record_audit(
            actor=actor,
            action="backup.restore",
            object_type="backup.snapshot",
            object_id=snapshot.snapshot_id[:8],
            summary=f"{repository.label} → {target}"
            + (f" (database {database_name})" if engine == database.POSTGRESQL else "")
            + (" --force" if force else ""),
        )
    return snapshot


@dataclass
class DrillReport:
    """What a drill found, filled in step by step."""

    snapshot: restic.SnapshotInfo | None = None
    problems: list[str] | None = None
    tables: int = 0
    files: int = 0
    rto_seconds: float | None = None


def drill_restore(
    repository: restic.Repository, scratch: Path, report: DrillReport, started: float
) -> None:
    """Restore the newest snapshot into ``scratch``, compare, serve; fills ``report``."""
    engine = live_engine()
    report.snapshot = find_snapshot(repository, None)
    restored = restore_to_scratch(repository, report.snapshot, scratch / "restic")
    var_dir = scratch / "var"
    var_dir.mkdir()
    drill_database = settings.EGOV_BACKUP_DRILL_DATABASE
    if engine == database.SQLITE:
        place_sqlite(restored.database_file, var_dir)
        restored = Restored(
            restored.snapshot, restored.manifest, var_dir / "egov.sqlite3", restored.media
        )
        database_url = f"sqlite:///{var_dir / 'egov.sqlite3'}"
    else:
        database.recreate_pg_database(connection.settings_dict, drill_database)
        database.restore_postgresql(
            connection.settings_dict, drill_database, restored.database_file, clean=False
        )
        database_url = scratch_postgres_url(drill_database)
    tables = restored_tables(restored, engine, drill_database)
    report.problems = check_restored(restored, tables)
    report.tables, report.files = len(tables), len(restored.manifest.files)
    place_media(restored.media, var_dir)
    served = time_until_served(
        var_dir=var_dir,
        database_url=database_url,
        timeout=settings.EGOV_BACKUP_DRILL_SERVE_SECONDS,
        audit_key=settings.EGOV_AUDIT_KEY,
    )
    if served.error:
        report.problems.append(served.error)
    else:
        report.rto_seconds = time.perf_counter() - started


def scratch_postgres_url(name: str) -> str:
    env = database.pg_environment(connection.settings_dict, name)
    credentials = env.get("PGUSER", "")
    if env.get("PGPASSWORD"):
        credentials += f":{env['PGPASSWORD']}"
    host = env.get("PGHOST", "localhost") + (f":{env['PGPORT']}" if env.get("PGPORT") else "")
    return f"postgres://{credentials}@{host}/{name}"


def run_drill(
    *, actor: Any, repository: restic.Repository, now: dt.datetime | None = None
) -> Drill:
    """Restore drill (恢复演练): newest snapshot into a scratch instance, checked and served.

    Every table's rows and checksum and every file's SHA-256 are compared with
    the manifest taken with the snapshot; RPO is the snapshot's age when the
    drill starts, RTO the time from the start until the restored instance
    answers ``/`` on loopback. A failed drill is recorded too, with its problems.
    """
    started_at = now or timezone.now()
    started = time.perf_counter()
    report = DrillReport()
    with scratch_directory("drill-") as scratch:
        try:
            drill_restore(repository, scratch, report, started)
        except (BackupError, restic.ResticError, database.DatabaseBackupError, OSError) as exc:
            report.problems = [*(report.problems or []), str(exc)]
        finally:
            drop_drill_database()
    return record_drill(actor=actor, repository=repository, started_at=started_at, report=report)


def drop_drill_database() -> None:
    """Remove the drill's scratch PostgreSQL database (a leftover is dropped by the next drill)."""
    if live_engine() == database.POSTGRESQL:
        with contextlib.suppress(psycopg.Error):
            database.drop_pg_database(connection.settings_dict, settings.EGOV_BACKUP_DRILL_DATABASE)


def record_drill(
    *, actor: Any, repository: restic.Repository, started_at: dt.datetime, report: DrillReport
) -> Drill:
    snapshot = report.snapshot
    problems = report.problems if report.problems is not None else ["not restored"]
    succeeded = not problems and report.rto_seconds is not None
    with transaction.atomic(durable=True):
        drill = Drill.objects.create(
            started_at=started_at,
            repository=repository.label,
            snapshot_id=snapshot.snapshot_id[:8] if snapshot else "",
            snapshot_taken_at=snapshot.taken_at if snapshot else None,
            succeeded=succeeded,
            rpo_seconds=(started_at - snapshot.taken_at).total_seconds() if snapshot else None,
            rto_seconds=report.rto_seconds,
            tables_checked=report.tables,
            files_checked=report.files,
            problems=problems,
        )
        if snapshot is not None and succeeded:
            rows_of(repository, snapshot.snapshot_id[:8]).update(
                verified_at=started_at, verification_ok=True
            )
        record_audit(
            actor=actor,
            action="backup.drill",
            object_type="backup.drill",
            object_id=str(drill.pk),
            summary=("succeeded" if succeeded else "FAILED: " + "; ".join(problems)[:400]),
        )
    return drill


def apply_retention(
    *, actor: Any, repository: restic.Repository, policy: retention.KeepPolicy
) -> list[str]:
    """Forget and prune the snapshots the policy does not keep (保留策略); their ids."""
    dated = [retention.Dated(s.snapshot_id, s.taken_at) for s in restic.snapshots(repository)]
    forget = retention.snapshots_to_forget(dated, policy)
    if not forget:
        return []
    restic.forget(repository, forget)
    with transaction.atomic(durable=True):
        Snapshot.objects.filter(
            repository=repository.label, snapshot_id__in=[i[:8] for i in forget]
        ).update(forgotten_at=timezone.now())
        record_audit(
            actor=actor,
            action="backup.forget",
            object_type="backup.repository",
            object_id=repository.label[:128],
            summary=f"forgot {len(forget)} snapshots: " + " ".join(i[:8] for i in forget)[:400],
        )
    return forget


def keep_policy() -> retention.KeepPolicy:
    return retention.KeepPolicy(
        daily=settings.EGOV_BACKUP_KEEP_DAILY,
        weekly=settings.EGOV_BACKUP_KEEP_WEEKLY,
        monthly=settings.EGOV_BACKUP_KEEP_MONTHLY,
    )


def replica_location() -> str:
    """The Litestream replica (B.1), refused when unset or when the database is not SQLite."""
    location = settings.EGOV_BACKUP_REPLICA
    if not location:
        raise BackupError("no replica: set EGOV_BACKUP_REPLICA (a directory or an s3:// URL)")
    if live_engine() != database.SQLITE:
        raise BackupError(
            "continuous replication here is for SQLite; PostgreSQL uses streaming replicas"
        )
    return location


def integrity_problem(path: Path) -> str:
    """'' when SQLite's integrity check passes, else its first complaint."""
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as restored:
        verdict = restored.execute("PRAGMA integrity_check").fetchone()[0]
    return "" if verdict == "ok" else str(verdict)


def restore_replica(
    *, actor: Any, target: Path, force: bool = False, moment: dt.datetime | None = None
) -> Path:
    """Rebuild the database from the continuous replica into ``target`` (从实时副本恢复).

    To its newest transaction, or to ``moment``. Refused when ``target`` is not
    empty, unless ``force``; the rebuilt database must pass SQLite's integrity
    check before it is put in place.
    """
    location = replica_location()
    if not force:
        refuse_non_empty(target, "", database.SQLITE)
    target.mkdir(parents=True, exist_ok=True)
    with scratch_directory(".egov-replica-", parent=target.parent) as scratch:
        rebuilt = scratch / database.DUMP_NAMES[database.SQLITE]
        try:
            replication.restore(location, rebuilt, moment=moment)
        except replication.ReplicationError as exc:
            raise BackupError(str(exc)) from exc
        problem = integrity_problem(rebuilt)
        if problem:
            raise BackupError(f"the database rebuilt from the replica is damaged: {problem}")
        place_sqlite(rebuilt, target)
    with transaction.atomic(durable=True):
        record_audit(
            actor=actor,
            action="backup.replica_restore",
            object_type="backup.replica",
            object_id=restic.Repository(location, "").label[:128],
            summary=f"→ {target}" + (f" as of {moment.isoformat()}" if moment else ""),
        )
    return target / database.DUMP_NAMES[database.SQLITE]
