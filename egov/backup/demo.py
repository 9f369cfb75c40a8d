"""Demo backups (备份演示数据): one snapshot and one restore drill, taken by the worker.

``egov demo`` gives itself and its children :data:`DEMO_BACKUP_PASSWORD` when
``EGOV_BACKUP_PASSWORD`` is unset, and prints it beside the demo accounts: a
demo-only password for the demo's own repository under ``var/``, never a
default of the real settings (which have none).

A snapshot and a drill restore and serve a copy of the platform (about 10 s
more each), so the demo loader does not take them: once the demo data is
committed it queues :func:`take_demo_backup`, which the worker runs when it
starts. The task does nothing when restic is missing, no password is set
(``egov load_demo_data`` alone), or a snapshot already exists (idempotent), so
``/backup/`` shows figures a few seconds after the demo starts.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from huey.contrib.djhuey import db_task

from egov.backup import restic
from egov.backup.models import Snapshot
from egov.backup.services import BackupError, configured_repositories, run_drill, take_snapshot

log = logging.getLogger(__name__)

DEMO_ACTOR = "demo-loader"
DEMO_BACKUP_PASSWORD = "Longjiang-backup-demo-2026"  # noqa: S105 - the documented demo-only password


def demo_backup_wanted() -> bool:
    """restic installed, a password set (the worker of ``egov demo``), no snapshot yet."""
    return (
        restic.available() and bool(settings.EGOV_BACKUP_PASSWORD) and not Snapshot.objects.exists()
    )


@db_task()
def take_demo_backup() -> dict[str, int]:
    """One snapshot into every repository, then a restore drill of each (演示备份与恢复演练)."""
    if not demo_backup_wanted():
        return {}
    try:
        outcome = take_snapshot(actor=DEMO_ACTOR)
    except BackupError:
        log.exception("the demo snapshot failed")
        return {"snapshots": 0}
    drills = [
        run_drill(actor=DEMO_ACTOR, repository=repository)
        for repository in configured_repositories()
    ]
    return {
        "snapshots": len(outcome.recorded),
        "drills": sum(drill.succeeded for drill in drills),
    }


def load_demo_backup() -> None:
    """Demo loader: queue the demo backup for the worker once the demo data is committed."""
    if restic.available() and not Snapshot.objects.exists():
        transaction.on_commit(take_demo_backup)
