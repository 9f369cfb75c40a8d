"""Alerts: a snapshot older than the RPO target, no recent verified snapshot, a failed drill."""

from __future__ import annotations

import datetime as dt

from egov.backup.health import (
    DRILL_FAILED,
    RPO_EXCEEDED,
    VERIFIED_TOO_OLD,
    State,
    Targets,
    assess,
)
from egov.core.testing import shanghai

NOW = shanghai(2026, 11, 26, 9, 0)
TARGETS = Targets(rpo=dt.timedelta(hours=24), verified_max_age=dt.timedelta(hours=48))


def codes(state: State) -> list[str]:
    return [finding.code for finding in assess(state, NOW, TARGETS)]


def test_recent_verified_and_drilled_backups_are_healthy() -> None:
    last_night = shanghai(2026, 11, 26, 2, 30)
    assert codes(State(last_night, last_night, True)) == []


def test_snapshot_older_than_the_rpo_target() -> None:
    two_nights_ago = shanghai(2026, 11, 25, 2, 30)
    findings = assess(State(two_nights_ago, two_nights_ago, True), NOW, TARGETS)
    assert [f.code for f in findings] == [RPO_EXCEEDED]
    assert findings[0].age == dt.timedelta(hours=30, minutes=30)


def test_verified_snapshot_too_old_although_snapshots_are_recent() -> None:
    assert codes(State(shanghai(2026, 11, 26, 2), shanghai(2026, 11, 23, 2), True)) == [
        VERIFIED_TOO_OLD
    ]


def test_no_backups_at_all_and_a_failed_drill() -> None:
    assert codes(State(None, None, False)) == [RPO_EXCEEDED, VERIFIED_TOO_OLD, DRILL_FAILED]
    assert codes(State(None, None, None)) == [RPO_EXCEEDED, VERIFIED_TOO_OLD]
