"""Retention keeps the newest snapshot of each of the last N days, ISO weeks and months."""

from __future__ import annotations

import datetime as dt

from egov.backup.retention import Dated, KeepPolicy, snapshots_to_forget
from egov.core.testing import shanghai


def nightly(first: dt.datetime, days: int) -> list[Dated]:
    return [Dated(f"s{n:03d}", first + dt.timedelta(days=n)) for n in range(days)]


def test_nothing_to_forget_within_the_policy() -> None:
    snapshots = nightly(shanghai(2026, 11, 20, 2, 30), 5)
    assert snapshots_to_forget(snapshots, KeepPolicy(daily=7, weekly=0, monthly=0)) == []


def test_daily_keeps_one_per_day_the_newest_of_that_day() -> None:
    morning = Dated("morning", shanghai(2026, 11, 26, 2, 30))
    noon = Dated("noon", shanghai(2026, 11, 26, 12, 0))
    yesterday = Dated("yesterday", shanghai(2026, 11, 25, 2, 30))
    before = Dated("before", shanghai(2026, 11, 24, 2, 30))
    forget = snapshots_to_forget(
        [morning, noon, yesterday, before], KeepPolicy(daily=2, weekly=0, monthly=0)
    )
    assert forget == ["before", "morning"]


def test_days_are_counted_on_the_provinces_clock() -> None:
    # 23:30 UTC on the 25th is 07:30 on the 26th in Harbin: the same day as 02:30 on the 26th.
    late_utc = Dated("late", dt.datetime(2026, 11, 25, 23, 30, tzinfo=dt.UTC))
    early = Dated("early", shanghai(2026, 11, 26, 2, 30))
    assert snapshots_to_forget([early, late_utc], KeepPolicy(daily=1, weekly=0, monthly=0)) == [
        "early"
    ]


def test_weekly_and_monthly_reach_further_back_than_daily() -> None:
    snapshots = nightly(shanghai(2026, 8, 1, 2, 30), 120)  # 1 August to 28 November 2026
    forget = set(snapshots_to_forget(snapshots, KeepPolicy(daily=7, weekly=4, monthly=4)))
    kept = {s.snapshot_id: s.taken_at.date() for s in snapshots if s.snapshot_id not in forget}
    assert sorted(kept.values())[-7:] == [dt.date(2026, 11, d) for d in range(22, 29)]
    # Weekly: four ISO weeks, the current one included; the daily ones already hold the
    # Sunday closing the week before, so the weekly rule adds the two Sundays before that.
    assert {dt.date(2026, 11, 15), dt.date(2026, 11, 8)} <= set(kept.values())
    assert dt.date(2026, 11, 1) not in kept.values()
    # Monthly: the last day of October, September and August.
    assert {dt.date(2026, 10, 31), dt.date(2026, 9, 30), dt.date(2026, 8, 31)} <= set(kept.values())
    assert len(kept) == 7 + 2 + 3


def test_the_newest_snapshot_is_never_forgotten() -> None:
    snapshots = nightly(shanghai(2026, 11, 1, 2, 30), 3)
    assert snapshots_to_forget(snapshots, KeepPolicy(daily=0, weekly=0, monthly=0)) == [
        "s000",
        "s001",
    ]
    assert snapshots_to_forget([], KeepPolicy()) == []
