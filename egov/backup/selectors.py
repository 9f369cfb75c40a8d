"""Backup reads (备份查询): recent snapshots and drills, and the health findings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.models import QuerySet

from egov.backup import database, health, replication
from egov.backup.models import Drill, Snapshot


def recent_snapshots(limit: int = 30) -> QuerySet[Snapshot]:
    return Snapshot.objects.filter(forgotten_at__isnull=True)[:limit]


def recent_drills(limit: int = 20) -> QuerySet[Drill]:
    return Drill.objects.all()[:limit]


def targets() -> health.Targets:
    return health.Targets(
        rpo=dt.timedelta(hours=settings.EGOV_BACKUP_RPO_HOURS),
        verified_max_age=dt.timedelta(hours=settings.EGOV_BACKUP_VERIFIED_MAX_AGE_HOURS),
    )


def backup_state() -> health.State:
    """The newest snapshot, the newest verified one and the newest drill's outcome."""
    kept = Snapshot.objects.filter(forgotten_at__isnull=True)
    newest = kept.order_by("-taken_at").values_list("taken_at", flat=True).first()
    verified = (
        kept.filter(verification_ok=True)
        .order_by("-taken_at")
        .values_list("taken_at", flat=True)
        .first()
    )
    drill = Drill.objects.order_by("-started_at").values_list("succeeded", flat=True).first()
    return health.State(newest, verified, drill)


def backup_findings(now: dt.datetime) -> list[health.Finding]:
    return health.assess(backup_state(), now, targets())


# How long /readyz and /metrics wait for ``litestream ltx`` (an S3 listing) at most.
REPLICA_LIST_TIMEOUT = 10


def replica_configured() -> bool:
    """A Litestream replica is set and the database is SQLite (the only one it replicates)."""
    default = connections["default"].settings_dict
    return bool(settings.EGOV_BACKUP_REPLICA) and database.engine_of(default) == database.SQLITE


def replication_lag(now: dt.datetime) -> float | None:
    """Seconds of commits the replica may lack (``health.replication_lag``); None: it is empty."""
    newest = replication.newest_point(settings.EGOV_BACKUP_REPLICA, timeout=REPLICA_LIST_TIMEOUT)
    written = replication.last_write(Path(connections["default"].settings_dict["NAME"]))
    return health.replication_lag(newest, written, now, replication.LISTING_RESOLUTION)
