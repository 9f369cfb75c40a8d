"""Backup health (备份健康): is there a recent, verified, drilled backup? No Django.

Three findings make an alert to the administrators:

* ``rpo_exceeded``: the newest snapshot is older than the RPO target (default
  24 hours), or there is none: a disaster now would lose more than the target;
* ``verified_too_old``: the newest snapshot that passed a verification or a
  drill is older than its limit, or none has: the backups may not restore;
* ``drill_failed``: the newest restore drill failed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

RPO_EXCEEDED = "rpo_exceeded"
VERIFIED_TOO_OLD = "verified_too_old"
DRILL_FAILED = "drill_failed"


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
