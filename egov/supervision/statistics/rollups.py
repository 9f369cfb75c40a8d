"""Daily roll-ups of the supervision figures (统计日汇总, ADR 0050).

The dashboards and statistics read three small tables instead of the case
table, so their cost follows days × departments × items, not cases:

* :class:`ReceivedDay`: per local day of receipt, department and item, the
  cohort figures (received, concluded, judged, on time, working days used);
* :class:`DecidedDay`: per local day of decision and department, the
  engine-judged decisions (the weekly early-warning figures);
* :class:`OpenLightCount`: the open cases by department, item and light now.

They are kept here and nowhere else: ingest calls :func:`refresh_rollups_for`
with the case numbers its batch touched (the rows of those cases' days and
items are recomputed from the cases, set-based), the scan calls
:func:`apply_light_changes` with the light changes it made (or
:func:`rebuild_open_lights` after a bulk import), and the management command
``rebuild_supervision_rollups`` recomputes a day, or everything, from the
cases. Each recomputation reads the case table: the roll-ups are a cache of
it, never a source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, FloatField, Q, QuerySet, Sum
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from egov.supervision.models import (
    DecidedDay,
    DecidedWeek,
    OpenLightCount,
    ReceivedDay,
    ReceivedMonth,
    SupervisedCase,
)

CHUNK = 500  # keys per IN (...) list
PLACE = ("department_code", "region_path")
OPEN_KEY = (*PLACE, "item_code")
RECEIVED_SUMS = ("received", "concluded", "judged", "on_time", "days_total", "days_counted")
DECIDED_SUMS = ("decided", "overdue", "days_sum", "days_squares")


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def week_of(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def local_day(column: str) -> TruncDate:
    """The local (Asia/Shanghai) date of a datetime column, in SQL."""
    return TruncDate(column, tzinfo=timezone.get_current_timezone())


def in_days(column: str, days: set[dt.date]) -> Q:
    start, end = min(days), max(days)
    zone = timezone.get_current_timezone()
    return Q(
        **{
            f"{column}__gte": dt.datetime.combine(start, dt.time(), tzinfo=zone),
            f"{column}__lt": dt.datetime.combine(
                end + dt.timedelta(days=1), dt.time(), tzinfo=zone
            ),
        }
    )


def chunks(values: Iterable[str]) -> Iterator[list[str]]:
    ordered = sorted(values)
    for first in range(0, len(ordered), CHUNK):
        yield ordered[first : first + CHUNK]


# --- From the cases ------------------------------------------------------------------------


def received_rows(cases: QuerySet[SupervisedCase]) -> QuerySet:
    """The received-day figures of ``cases``, grouped (one GROUP BY)."""
    decided = Q(decided_at__isnull=False)
    return (
        cases.filter(received_at__isnull=False)
        .annotate(_day=local_day("received_at"))
        .values("_day", *OPEN_KEY)
        .annotate(
            received=Count("id"),
            concluded=Count("id", filter=decided),
            judged=Count("id", filter=decided & Q(on_time__isnull=False)),
            on_time=Count("id", filter=decided & Q(on_time=True)),
            days_total=Sum("working_days_used", filter=decided),
            days_counted=Count("working_days_used", filter=decided),
        )
        .order_by()
    )


def decided_rows(cases: QuerySet[SupervisedCase]) -> QuerySet:
    """The decided-day figures of ``cases``: engine-judged decisions with days used."""
    days = Cast("working_days_used", FloatField())
    return (
        cases.filter(
            decided_at__isnull=False, on_time__isnull=False, working_days_used__isnull=False
        )
        .annotate(_day=local_day("decided_at"))
        .values("_day", *PLACE)
        .annotate(
            decided=Count("id"),
            overdue=Count("id", filter=Q(on_time=False)),
            days_sum=Sum(days),
            days_squares=Sum(days * days),
        )
        .order_by()
    )


def open_rows(cases: QuerySet[SupervisedCase]) -> QuerySet:
    return (
        cases.filter(is_open=True).values(*OPEN_KEY, "light").annotate(cases=Count("id")).order_by()
    )


def received_day(row: dict[str, Any]) -> ReceivedDay:
    row["days_total"] = row["days_total"] or 0
    return ReceivedDay(day=row.pop("_day"), **row)


def decided_day(row: dict[str, Any]) -> DecidedDay:
    row["days_sum"] = row["days_sum"] or 0
    row["days_squares"] = row["days_squares"] or 0
    return DecidedDay(day=row.pop("_day"), **row)


# --- Months and weeks, from the days (ADR 0057) ---------------------------------------------


def summed(
    rows: Iterable[tuple[Any, ...]], sums: tuple[str, ...]
) -> dict[tuple[Any, ...], list[Any]]:
    """Rows of (period, department, region, *sums) added up by their first three values."""
    totals: dict[tuple[Any, ...], list[Any]] = {}
    for period, department, region, *values in rows:
        into = totals.setdefault((period, department, region), [0] * len(sums))
        for n, value in enumerate(values):
            into[n] += value
    return totals


def any_of(conditions: Iterable[Q]) -> Q:
    found = Q(pk__in=[])
    for condition in conditions:
        found |= condition
    return found


def refresh_months(departments: set[str] | None, months: set[dt.date] | None) -> int:
    """Recompute the received-month rows of these departments and months (None: all)."""
    days = ReceivedDay.objects.all()
    stale = ReceivedMonth.objects.all()
    if months is not None:
        if not months:
            return 0
        ends = {m: month_of(m + dt.timedelta(days=31)) for m in months}
        days = days.filter(any_of(Q(day__gte=m, day__lt=ends[m]) for m in months))
        stale = stale.filter(month__in=months)
    if departments is not None:
        days = days.filter(department_code__in=departments)
        stale = stale.filter(department_code__in=departments)
    stale.delete()
    rows = days.values_list("day", *PLACE, *RECEIVED_SUMS).iterator(chunk_size=5000)
    totals = summed(((month_of(d), *rest) for d, *rest in rows), RECEIVED_SUMS)
    made = ReceivedMonth.objects.bulk_create(
        (
            ReceivedMonth(
                month=m,
                department_code=d,
                region_path=r,
                **dict(zip(RECEIVED_SUMS, v, strict=True)),
            )
            for (m, d, r), v in totals.items()
        ),
        batch_size=2000,
    )
    return len(made)


def refresh_weeks(departments: set[str] | None, weeks: set[dt.date] | None) -> int:
    """Recompute the decided-week rows of these departments and weeks (None: all)."""
    days = DecidedDay.objects.all()
    stale = DecidedWeek.objects.all()
    if weeks is not None:
        if not weeks:
            return 0
        days = days.filter(any_of(Q(day__range=(w, w + dt.timedelta(days=6))) for w in weeks))
        stale = stale.filter(week__in=weeks)
    if departments is not None:
        days = days.filter(department_code__in=departments)
        stale = stale.filter(department_code__in=departments)
    stale.delete()
    rows = days.values_list("day", *PLACE, *DECIDED_SUMS).iterator(chunk_size=5000)
    totals = summed(((week_of(d), *rest) for d, *rest in rows), DECIDED_SUMS)
    made = DecidedWeek.objects.bulk_create(
        (
            DecidedWeek(
                week=w, department_code=d, region_path=r, **dict(zip(DECIDED_SUMS, v, strict=True))
            )
            for (w, d, r), v in totals.items()
        ),
        batch_size=2000,
    )
    return len(made)


# --- Refresh -------------------------------------------------------------------------------


def refresh_received(items: set[str], days: set[dt.date]) -> None:
    """Recompute the received-day rows of these items on these days."""
    if not items or not days:
        return
    for some in chunks(items):
        ReceivedDay.objects.filter(item_code__in=some, day__in=days).delete()
        cases = SupervisedCase.objects.filter(in_days("received_at", days), item_code__in=some)
        rows = [received_day(r) for r in received_rows(cases) if r["_day"] in days]
        ReceivedDay.objects.bulk_create(rows)


def refresh_decided(departments: set[str], days: set[dt.date]) -> None:
    """Recompute the decided-day rows of these departments on these days."""
    if not departments or not days:
        return
    for some in chunks(departments):
        DecidedDay.objects.filter(department_code__in=some, day__in=days).delete()
        cases = SupervisedCase.objects.filter(in_days("decided_at", days), department_code__in=some)
        rows = [decided_day(r) for r in decided_rows(cases) if r["_day"] in days]
        DecidedDay.objects.bulk_create(rows)


def refresh_open(items: set[str]) -> None:
    """Recompute the open-light rows of these items."""
    for some in chunks(items):
        OpenLightCount.objects.filter(item_code__in=some).delete()
        cases = SupervisedCase.objects.filter(item_code__in=some)
        OpenLightCount.objects.bulk_create(OpenLightCount(**r) for r in open_rows(cases))


def refresh_rollups_for(case_numbers: Iterable[str]) -> None:
    """Bring the roll-ups up to date for these cases (ingest, end of a batch; plain atomic).

    Recomputes, from the cases, the rows of every day and item (or department)
    these cases count in: a few GROUP BYs over the cases sharing those keys.
    """
    numbers = sorted(set(case_numbers))
    items: set[str] = set()
    departments: set[str] = set()
    received: set[dt.date] = set()
    decided: set[dt.date] = set()
    for some in chunks(numbers):
        touched = SupervisedCase.objects.filter(case_number__in=some).values_list(
            "item_code", "department_code", "received_at", "decided_at"
        )
        for item, department, received_at, decided_at in touched:
            items.add(item)
            departments.add(department)
            if received_at is not None:
                received.add(timezone.localdate(received_at))
            if decided_at is not None:
                decided.add(timezone.localdate(decided_at))
    with transaction.atomic():
        refresh_received(items, received)
        refresh_decided(departments, decided)
        refresh_open(items)
        for some in chunks(departments):
            refresh_months(set(some), {month_of(day) for day in received})
            refresh_weeks(set(some), {week_of(day) for day in decided})


def rebuild_open_lights() -> int:
    """The open-light snapshot recomputed from every open case (after a bulk import)."""
    OpenLightCount.objects.all().delete()
    rows = OpenLightCount.objects.bulk_create(
        (OpenLightCount(**r) for r in open_rows(SupervisedCase.objects.all())), batch_size=2000
    )
    return len(rows)


def rebuild_rollups(day: dt.date | None = None) -> dict[str, int]:
    """Recompute one local day's received and decided rows (or every day), and the snapshot.

    What ``egov rebuild_supervision_rollups`` runs; one transaction.
    """
    with transaction.atomic():
        if day is None:
            ReceivedDay.objects.all().delete()
            DecidedDay.objects.all().delete()
            received = SupervisedCase.objects.all()
            decided = SupervisedCase.objects.all()
        else:
            ReceivedDay.objects.filter(day=day).delete()
            DecidedDay.objects.filter(day=day).delete()
            received = SupervisedCase.objects.filter(in_days("received_at", {day}))
            decided = SupervisedCase.objects.filter(in_days("decided_at", {day}))
        made = ReceivedDay.objects.bulk_create(
            (received_day(r) for r in received_rows(received)), batch_size=2000
        )
        judged = DecidedDay.objects.bulk_create(
            (decided_day(r) for r in decided_rows(decided)), batch_size=2000
        )
        lights = rebuild_open_lights()
        months = refresh_months(None, None if day is None else {month_of(day)})
        weeks = refresh_weeks(None, None if day is None else {week_of(day)})
    return {
        "received_days": len(made),
        "decided_days": len(judged),
        "open_lights": lights,
        "received_months": months,
        "decided_weeks": weeks,
    }


# --- The scan's light changes ---------------------------------------------------------------


def apply_light_changes(changes: Sequence[dict[str, Any]]) -> None:
    """Move open cases between lights in the snapshot (the scan's changes; plain atomic).

    ``changes``: rows of department_code, region_path, item_code, ``was``,
    ``now`` and ``n`` (how many cases moved). Each (place, light) gets its net
    change added by one ``INSERT … ON CONFLICT DO UPDATE`` (SQLite ≥ 3.24 and
    PostgreSQL), sent as one ``executemany``: Django's ``bulk_update`` writes a
    CASE branch per row, which SQLite evaluates row by row.
    """
    deltas: dict[tuple[Any, ...], int] = {}
    for change in changes:
        place = tuple(change[k] for k in OPEN_KEY)
        deltas[(*place, change["was"])] = deltas.get((*place, change["was"]), 0) - change["n"]
        deltas[(*place, change["now"])] = deltas.get((*place, change["now"]), 0) + change["n"]
    rows = [(*key, n) for key, n in deltas.items() if n]
    if not rows:
        return
    table = connection.ops.quote_name(OpenLightCount._meta.db_table)
    columns = (*OPEN_KEY, "light")
    names = ", ".join(columns)
    sql = (
        f"INSERT INTO {table} ({names}, cases) VALUES (%s, %s, %s, %s, %s) "  # noqa: S608 - our names
        f"ON CONFLICT (item_code, department_code, region_path, light) "
        f"DO UPDATE SET cases = {table}.cases + excluded.cases"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, rows)
