"""Backup's readiness check and gauges for ``/readyz`` and ``/metrics`` (ADR 0043).

Registered with core's registry (``egov.core.health``) from the app's
``ready()``: monitoring reads them without importing backup (siblings in the
platform layer). The check ``backup`` fails when ``EGOV_BACKUP_REPLICA`` is set
and the replication lag is over ``EGOV_BACKUP_REPLICA_MAX_LAG_SECONDS``. A
snapshot older than ``EGOV_BACKUP_RPO_HOURS`` (or none) and a failed newest
drill are reported as ``warnings`` without failing it: readiness takes web
processes out of the load balancer, and a stale nightly backup is a reason to
alert (the gauges, the e-mail of ``egov.backup.alerts``), never to stop serving
every process at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone

from egov.backup import health, selectors
from egov.core.health import Gauge, Readiness, register_gauge_source, register_readiness_check


def age_seconds(moment: dt.datetime | None, now: dt.datetime) -> float | None:
    return None if moment is None else round((now - moment).total_seconds(), 1)


def snapshot_figures(now: dt.datetime) -> tuple[list[str], dict[str, Any]]:
    """The snapshot and drill findings (warnings, not failures), and the figures."""
    if not settings.EGOV_BACKUP_PASSWORD:
        return [], {"snapshots": "off"}
    state = selectors.backup_state()
    targets = selectors.targets()
    problems = [f.code for f in health.readiness_findings(state, now, targets)]
    return problems, {
        "snapshots": "on",
        "newest_snapshot_age_seconds": age_seconds(state.newest_snapshot_at, now),
        "rpo_seconds": targets.rpo.total_seconds(),
        "newest_drill_ok": state.newest_drill_ok,
    }


def replica_figures(now: dt.datetime) -> tuple[list[str], dict[str, Any]]:
    """The replica finding (lag over its target, or nothing replicated) and the figures."""
    if not selectors.replica_configured():
        return [], {}
    limit = dt.timedelta(seconds=settings.EGOV_BACKUP_REPLICA_MAX_LAG_SECONDS)
    lag = selectors.replication_lag(now)
    finding = health.replica_finding(lag, limit)
    figures = {"lag_seconds": lag, "max_lag_seconds": limit.total_seconds()}
    return ([finding.code] if finding else []), {"replica": figures}


def backup_readiness() -> Readiness:
    """Replica within its lag target; snapshot age and the last drill as warnings."""
    now = timezone.now()
    warnings, figures = snapshot_figures(now)
    problems, replica = replica_figures(now)
    return Readiness(
        not problems, {**figures, **replica, "problems": problems, "warnings": warnings}
    )


def gauge(name: str, documentation: str, value: float | None) -> Gauge:
    """A gauge with one unlabelled sample, or none when there is nothing to measure yet."""
    return Gauge(name, documentation, () if value is None else (((), value),))


def backup_gauges() -> list[Gauge]:
    """Ages of the newest snapshot and newest verified one, the last drill's outcome."""
    now = timezone.now()
    state = selectors.backup_state()
    drill = None if state.newest_drill_ok is None else float(state.newest_drill_ok)
    return [
        gauge(
            "egov_backup_newest_snapshot_age_seconds",
            "Age of the newest kept backup snapshot (absent before the first).",
            age_seconds(state.newest_snapshot_at, now),
        ),
        gauge(
            "egov_backup_newest_verified_age_seconds",
            "Age of the newest snapshot verified by a check or a restore drill.",
            age_seconds(state.newest_verified_at, now),
        ),
        gauge(
            "egov_backup_last_drill_ok",
            "1 if the newest restore drill succeeded, 0 if it failed (absent before the first).",
            drill,
        ),
    ]


def replica_gauges() -> list[Gauge]:
    """The replication lag, when a Litestream replica is configured and holds a point."""
    if not selectors.replica_configured():
        return []
    return [
        gauge(
            "egov_backup_replication_lag_seconds",
            "Upper bound of the age of commits the Litestream replica may lack (0: caught up).",
            selectors.replication_lag(timezone.now()),
        )
    ]


def register() -> None:
    register_readiness_check("backup", backup_readiness)
    register_gauge_source("backup", backup_gauges)
    register_gauge_source("backup_replica", replica_gauges)
