"""Retention of snapshots (保留策略): which to keep, daily, weekly, monthly; no Django.

The rule is restic's ``forget --keep-daily/--keep-weekly/--keep-monthly``: walk
the snapshots newest first; for each kind of period, the newest snapshot of each
of the last N periods that have one is kept. Periods are counted on the
province's clock (Asia/Shanghai), not the backup host's, and the newest
snapshot is always kept, so retention never leaves a repository empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class KeepPolicy:
    """How many days, ISO weeks and months to keep one snapshot of."""

    daily: int = 7
    weekly: int = 4
    monthly: int = 12


@dataclass(frozen=True)
class Dated:
    """A snapshot as retention sees it: its id and when it was taken (aware)."""

    snapshot_id: str
    taken_at: dt.datetime


def day(moment: dt.date) -> Hashable:
    return (moment.year, moment.month, moment.day)


def week(moment: dt.date) -> Hashable:
    iso = moment.isocalendar()
    return (iso.year, iso.week)


def month(moment: dt.date) -> Hashable:
    return (moment.year, moment.month)


def kept_by_period(
    newest_first: Sequence[Dated], count: int, period: Callable[[dt.date], Hashable], tz: ZoneInfo
) -> set[str]:
    """The newest snapshot of each of the ``count`` newest periods that have one."""
    kept: set[str] = set()
    seen: set[Hashable] = set()
    for snapshot in newest_first:
        if len(seen) >= count:
            break
        key = period(snapshot.taken_at.astimezone(tz).date())
        if key not in seen:
            seen.add(key)
            kept.add(snapshot.snapshot_id)
    return kept


def snapshots_to_forget(
    snapshots: Sequence[Dated], policy: KeepPolicy, tz: ZoneInfo = SHANGHAI
) -> list[str]:
    """The ids to forget under ``policy``, oldest first; never the newest snapshot."""
    newest_first = sorted(snapshots, key=lambda s: s.taken_at, reverse=True)
    if not newest_first:
        return []
    kept = {newest_first[0].snapshot_id}
    kept |= kept_by_period(newest_first, policy.daily, day, tz)
    kept |= kept_by_period(newest_first, policy.weekly, week, tz)
    kept |= kept_by_period(newest_first, policy.monthly, month, tz)
    return [s.snapshot_id for s in reversed(newest_first) if s.snapshot_id not in kept]
