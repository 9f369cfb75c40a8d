"""``egov backup``: disaster recovery (docs/backup.md).

``now|list|verify|restore|drill|status`` (restic snapshots), ``replicate|replica-restore``
(Litestream, SQLite only).
"""

from __future__ import annotations

import datetime as dt
import os
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from egov.backup import replication, restic
from egov.backup.alerts import describe
from egov.backup.selectors import backup_findings, replica_configured, replication_lag
from egov.backup.services import (
    BackupError,
    apply_retention,
    configured_repositories,
    keep_policy,
    replica_location,
    repository_named,
    restore_replica,
    restore_snapshot,
    run_drill,
    take_snapshot,
    verify_repository,
)

ACTOR = "egov backup"


class Command(BaseCommand):
    help = "Disaster recovery (容灾备份): snapshots, verification, restore, restore drills."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        now = sub.add_parser("now", help="snapshot the database and media into every repository")
        now.add_argument("--no-retention", action="store_true", help="forget nothing afterwards")
        for name, text in (
            ("list", "list the snapshots of a repository (default: each)"),
            ("verify", "check a repository and read all its data back (default: each)"),
            ("drill", "restore the newest snapshot into a scratch instance, compare, serve"),
        ):
            sub.add_parser(name, help=text).add_argument(
                "--repository", help="position (0 first) or location of a configured repository"
            )
        restore = sub.add_parser("restore", help="restore a snapshot into a target directory")
        restore.add_argument("--target", type=Path, required=True, help="var directory to fill")
        restore.add_argument("--snapshot", help="snapshot id or prefix (default: the newest)")
        restore.add_argument("--repository", help="position or location (default: the first)")
        restore.add_argument("--database", default="", help="PostgreSQL: database to restore into")
        restore.add_argument("--force", action="store_true", help="overwrite a non-empty target")
        sub.add_parser("status", help="the health findings: RPO, verification, drills")
        sub.add_parser(
            "replicate", help="SQLite: run Litestream, shipping each transaction to the replica"
        )
        replica = sub.add_parser(
            "replica-restore", help="SQLite: rebuild the database from the continuous replica"
        )
        replica.add_argument("--target", type=Path, required=True, help="var directory to fill")
        replica.add_argument(
            "--at", type=dt.datetime.fromisoformat, help="to this moment (ISO 8601, with zone)"
        )
        replica.add_argument("--force", action="store_true", help="overwrite a non-empty target")

    def handle(self, *args: Any, **options: Any) -> None:
        handler = getattr(self, f"do_{options['subcommand'].replace('-', '_')}")
        try:
            handler(options)
        except (BackupError, restic.ResticError, replication.ReplicationError) as exc:
            raise CommandError(str(exc), returncode=1) from exc

    def chosen(self, options: dict[str, Any]) -> list[restic.Repository]:
        if options.get("repository") is not None:
            return [repository_named(options["repository"])]
        return configured_repositories()

    def do_now(self, options: dict[str, Any]) -> None:
        outcome = take_snapshot(actor=ACTOR)
        for snapshot in outcome.recorded:
            self.stdout.write(
                f"snapshot {snapshot.snapshot_id} in {snapshot.repository}: {snapshot.tables} "
                f"tables, {snapshot.rows} rows, {snapshot.files} files"
            )
        for failure in outcome.failures:
            self.stderr.write(f"FAILED {failure}")
        if not options["no_retention"]:
            for repository in configured_repositories():
                forgotten = apply_retention(
                    actor=ACTOR, repository=repository, policy=keep_policy()
                )
                if forgotten:
                    self.stdout.write(f"{repository.label}: forgot {len(forgotten)} snapshots")
        if outcome.failures:
            raise CommandError("a repository did not take the snapshot", returncode=1)

    def do_list(self, options: dict[str, Any]) -> None:
        for repository in self.chosen(options):
            self.stdout.write(f"{repository.label}:")
            for snapshot in restic.snapshots(repository):
                moment = timezone.localtime(snapshot.taken_at)
                self.stdout.write(f"  {snapshot.snapshot_id[:8]}  {moment:%Y-%m-%d %H:%M:%S %Z}")

    def do_verify(self, options: dict[str, Any]) -> None:
        broken = []
        for repository in self.chosen(options):
            problem = verify_repository(actor=ACTOR, repository=repository)
            self.stdout.write(f"{repository.label}: {'BROKEN: ' + problem if problem else 'sound'}")
            if problem:
                broken.append(repository.label)
        if broken:
            raise CommandError(f"verification failed: {', '.join(broken)}", returncode=1)

    def do_restore(self, options: dict[str, Any]) -> None:
        snapshot = restore_snapshot(
            actor=ACTOR,
            repository=repository_named(options["repository"]),
            target=options["target"].resolve(),
            snapshot_id=options["snapshot"],
            database_name=options["database"],
            force=options["force"],
        )
        moment = timezone.localtime(snapshot.taken_at)
        self.stdout.write(
            f"restored snapshot {snapshot.snapshot_id[:8]} of {moment:%Y-%m-%d %H:%M:%S %Z} "
            f"into {options['target']}"
        )

    def do_drill(self, options: dict[str, Any]) -> None:
        failed = []
        for repository in self.chosen(options):
            drill = run_drill(actor=ACTOR, repository=repository)
            rpo = f"{drill.rpo_seconds / 3600:.2f} h" if drill.rpo_seconds is not None else "—"
            rto = f"{drill.rto_seconds:.1f} s" if drill.rto_seconds is not None else "—"
            verdict = "succeeded" if drill.succeeded else "FAILED"
            self.stdout.write(
                f"{repository.label}: drill {verdict}, snapshot {drill.snapshot_id or '—'}, "
                f"{drill.tables_checked} tables and {drill.files_checked} files checked, "
                f"RPO {rpo}, RTO {rto}"
            )
            for problem in drill.problems:
                self.stdout.write(f"  problem: {problem}")
            if not drill.succeeded:
                failed.append(repository.label)
        if failed:
            raise CommandError(f"drill failed: {', '.join(failed)}", returncode=1)

    def do_status(self, options: dict[str, Any]) -> None:
        findings = backup_findings(timezone.now())
        for finding in findings:
            self.stdout.write(describe(finding))
        if not findings:
            self.stdout.write("backups healthy: recent, verified, last drill succeeded")
        if settings.EGOV_BACKUP_REPLICA:
            newest = replication.newest_point(settings.EGOV_BACKUP_REPLICA)
            age = f"{(timezone.now() - newest).total_seconds():.0f} s old" if newest else "empty"
            self.stdout.write(f"replica {settings.EGOV_BACKUP_REPLICA}: newest point {age}")
        if replica_configured():
            lag = replication_lag(timezone.now())
            self.stdout.write(
                "replication lag: " + ("no replicated point" if lag is None else f"{lag:.0f} s")
            )

    def do_replicate(self, options: dict[str, Any]) -> None:
        """Become the Litestream daemon (for systemd or a container; stops on SIGTERM)."""
        argv = replication.replicate_argv(
            Path(connection.settings_dict["NAME"]), replica_location()
        )
        self.stdout.write(f"replicating {argv[2]} to {argv[3]}")
        self.stdout.flush()
        os.execv(argv[0], argv)  # noqa: S606 - the fixed litestream binary, no shell

    def do_replica_restore(self, options: dict[str, Any]) -> None:
        path = restore_replica(
            actor=ACTOR,
            target=options["target"].resolve(),
            force=options["force"],
            moment=options["at"],
        )
        self.stdout.write(f"rebuilt {path} from the replica")
