"""Working-day calendar reads (工作日历): the table as a ``WorkingCalendar``.

Every deadline in every module is computed through :func:`add_working_days`
and :func:`working_days_between` here (or a ``WorkingCalendar`` from
:func:`get_working_calendar` when computing many at once).

The calendar is built once per process and cached. Each call checks a cheap
version (the revision token that every calendar service renews, the row count
and the last date) with two small queries, and rebuilds when it changed: no
process computes with a calendar older than the last committed change, and no
state is shared between processes.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max

from egov.core.calendar import Interval, WorkingCalendar, check_date
from egov.core.models.calendar import CalendarDay, CalendarRevision


@dataclass(frozen=True)
class CalendarSnapshot:
    """The calendar as built from one version of the table."""

    version: tuple[Any, ...]
    calendar: WorkingCalendar
    provisional_years: frozenset[int]
    last_seeded_year: int | None


_lock = threading.Lock()
# The per-process cache: at most one snapshot, under the key "current".
_cache: dict[str, CalendarSnapshot] = {}


def calendar_version() -> tuple[Any, ...]:
    """A cheap key that changes whenever the calendar table changes."""
    token = CalendarRevision.objects.filter(pk=1).values_list("token", flat=True).first()
    totals = CalendarDay.objects.aggregate(rows=Count("date"), last=Max("date"))
    return (token, totals["rows"], totals["last"])


def build_snapshot(version: tuple[Any, ...]) -> CalendarSnapshot:
    """Read the whole table into a calendar (a few thousand rows at most)."""
    rows = list(CalendarDay.objects.values_list("date", "is_working", "provisional"))
    provisional = frozenset(day.year for day, _, is_provisional in rows if is_provisional)
    last_year = max((day.year for day, _, _ in rows), default=None)
    calendar = WorkingCalendar((day, working) for day, working, _ in rows)
    return CalendarSnapshot(version, calendar, provisional, last_year)


def get_snapshot() -> CalendarSnapshot:
    """The cached snapshot, rebuilt if the table changed since it was built."""
    version = calendar_version()
    snapshot = _cache.get("current")
    if snapshot is not None and snapshot.version == version:
        return snapshot
    with _lock:
        snapshot = _cache.get("current")
        if snapshot is None or snapshot.version != version:
            snapshot = build_snapshot(version)
            _cache["current"] = snapshot
    return snapshot


def get_working_calendar() -> WorkingCalendar:
    """The working-day calendar (工作日历) as the table holds it now."""
    return get_snapshot().calendar


def is_working_day(day: dt.date) -> bool:
    """Is ``day`` a working day (工作日)?"""
    return get_working_calendar().is_working_day(day)


def add_working_days(start: dt.date, n: int, paused: Iterable[Interval] = ()) -> dt.date:
    """The date ``n`` working days after ``start`` (start not counted; n=0 gives start).

    Working days inside ``paused`` intervals (first, last inclusive: 补正,
    special procedures) do not count. See :mod:`egov.core.calendar`.
    """
    return get_working_calendar().add_working_days(start, n, paused)


def working_days_between(a: dt.date, b: dt.date, paused: Iterable[Interval] = ()) -> int:
    """Working days in (a, b] outside ``paused``; negative when b < a, 0 when equal."""
    return get_working_calendar().working_days_between(a, b, paused)


def provisional_years() -> frozenset[int]:
    """Years whose days are provisional: their official schedule is not yet imported."""
    return get_snapshot().provisional_years


def depends_on_provisional(start: dt.date, end: dt.date) -> bool:
    """Does a span of dates reach a year without an official schedule?

    True when any year from ``start`` to ``end`` is provisional or lies after
    the last seeded year (such years follow the bare weekly rule). A deadline
    for which this is True is recomputed when ``CalendarYearImported`` arrives.
    """
    first, last = sorted((check_date(start, "start"), check_date(end, "end")))
    snapshot = get_snapshot()
    if snapshot.last_seeded_year is None or last.year > snapshot.last_seeded_year:
        return True
    return any(first.year <= year <= last.year for year in snapshot.provisional_years)


def calendar_year(year: int) -> list[CalendarDay]:
    """The exception days of one year, in date order."""
    return list(CalendarDay.objects.filter(date__year=year).order_by("date"))
