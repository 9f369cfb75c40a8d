"""Backup reads (备份查询): recent snapshots and drills, and the health findings."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet

from egov.backup import health
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
