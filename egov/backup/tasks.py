"""Scheduled backups, drills and verification (huey periodic tasks; crontab times are UTC)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from egov.backup.alerts import send_backup_alerts
from egov.backup.services import (
    BackupError,
    apply_retention,
    configured_repositories,
    keep_policy,
    run_drill,
    take_snapshot,
    verify_repository,
)

log = logging.getLogger(__name__)


def configured() -> bool:
    if not settings.EGOV_BACKUP_PASSWORD:
        log.warning("backups are not configured: set EGOV_BACKUP_PASSWORD (docs/backup.md)")
        return False
    return True


@db_periodic_task(crontab(minute="30", hour="18"))
def take_nightly_snapshot() -> int:
    """02:30 Beijing time: snapshot into every repository, then apply retention; snapshots."""
    if not configured():
        return 0
    try:
        outcome = take_snapshot(actor="system")
    except BackupError:
        log.exception("nightly snapshot failed")  # the RPO alert follows
        return 0
    for failure in outcome.failures:
        log.error("snapshot failed in %s", failure)
    for repository in configured_repositories():
        apply_retention(actor="system", repository=repository, policy=keep_policy())
    return len(outcome.recorded)


@db_periodic_task(crontab(minute="30", hour="19"))
def run_nightly_restore_drill() -> int:
    """03:30 Beijing time: a restore drill per repository; alert at once if one fails."""
    if not configured():
        return 0
    drills = [
        run_drill(actor="system", repository=repository) for repository in configured_repositories()
    ]
    if not all(drill.succeeded for drill in drills):
        send_backup_alerts(now=timezone.now())
    return sum(drill.succeeded for drill in drills)


@db_periodic_task(crontab(minute="0", hour="20", day_of_week="0"))
def verify_repositories_weekly() -> int:
    """Sunday 04:00 Beijing time: check every repository and read all its data back."""
    if not configured():
        return 0
    problems = [
        verify_repository(actor="system", repository=repository)
        for repository in configured_repositories()
    ]
    return sum(1 for problem in problems if not problem)


@db_periodic_task(crontab(minute="0", hour="1"))
def send_daily_backup_alerts() -> int:
    """09:00 Beijing time: e-mail the administrators if backups are stale, unverified or failing."""
    return len(send_backup_alerts(now=timezone.now()))
