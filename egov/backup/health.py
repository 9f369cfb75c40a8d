"""Backup health (备份健康): is there a recent, verified, drilled backup? No Django.

Three findings make an alert to the administrators:

* ``rpo_exceeded``: the newest snapshot is older than the RPO target (default
  24 hours), or there is none: a disaster now would lose more than the target;
* ``verified_too_old``: the newest snapshot that passed a verification or a
  drill is older than its limit, or none has: the backups may not restore;
* ``drill_failed``: the newest restore drill failed.

Readiness (``/readyz``, ADR 0043) takes the RPO and drill findings, and, when
a Litestream replica is configured, ``replica_behind``: the replication lag
(:func:`replication_lag`) is over its target (default 60 s) or the replica
holds nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

RPO_EXCEEDED = "rpo_exceeded"
VERIFIED_TOO_OLD = "verified_too_old"
DRILL_FAILED = "drill_failed"
REPLICA_BEHIND = "replica_behind"
READINESS_CODES = frozenset({RPO_EXCEEDED, DRILL_FAILED})


@dataclass(frozen=True)
class Targets:
    rpo: dt.timedelta = dt.timedelta(hours=24)
    verified_max_age: dt.timedelta = dt.timedelta(hours=48)


@dataclass(frozen=True)
class State:
    """What the records say: newest snapshot, newest verified one, newest drill's outcome."""

    newest_snapshot_at: dt.datetime | None
    newest_verified_at: dt.datetime | None
    newest_drill_ok: bool | None


@dataclass(frozen=True)
class Finding:
    code: str
    age: dt.timedelta | None
    limit: dt.timedelta | None


def too_old(
    code: str, moment: dt.datetime | None, now: dt.datetime, limit: dt.timedelta
) -> Finding | None:
    if moment is None:
        return Finding(code, None, limit)
    age = now - moment
    return Finding(code, age, limit) if age > limit else None


def assess(state: State, now: dt.datetime, targets: Targets) -> list[Finding]:
    """The findings that call for an alert; [] when the backups are healthy."""
    findings = [
        too_old(RPO_EXCEEDED, state.newest_snapshot_at, now, targets.rpo),
        too_old(VERIFIED_TOO_OLD, state.newest_verified_at, now, targets.verified_max_age),
    ]
    if state.newest_drill_ok is False:
        findings.append(Finding(DRILL_FAILED, None, None))
    return [finding for finding in findings if finding is not None]


def readiness_findings(state: State, now: dt.datetime, targets: Targets) -> list[Finding]:
    """The findings that make the platform unready: RPO exceeded, newest drill failed."""
    return [f for f in assess(state, now, targets) if f.code in READINESS_CODES]


def replication_lag(
    newest_point: dt.datetime | None,
    last_write: dt.datetime | None,
    now: dt.datetime,
    resolution: dt.timedelta = dt.timedelta(seconds=1),
) -> float | None:
    """Seconds of committed work the replica may be missing; None when it holds nothing.

    0 when the database was not written after the replica's newest point (within
    the listing's ``resolution``). Otherwise the age of that newest point: the
    oldest commit the replica lacks is younger than it, so this is an upper
    bound of the work a loss now would take (it grows while replication stalls,
    and falls back to 0 at the next sync).
    """
    if newest_point is None:
        return None
    if last_write is None or last_write <= newest_point + resolution:
        return 0.0
    return max(0.0, (now - newest_point).total_seconds())


def replica_finding(lag: float | None, limit: dt.timedelta) -> Finding | None:
    """``replica_behind`` when the replica holds nothing or lags more than ``limit``."""
    if lag is None:
        return Finding(REPLICA_BEHIND, None, limit)
    age = dt.timedelta(seconds=lag)
    return Finding(REPLICA_BEHIND, age, limit) if age > limit else None
