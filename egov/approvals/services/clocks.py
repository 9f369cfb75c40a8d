"""The stored clock of open cases (计时存储, ADR 0047): kept by the services and refreshed daily.

Each open case carries its clock as of a date (``clock_as_of``): the current
deadline, the statutory deadline, the working days left, the phase's limit,
the light and whether it is suspended, all computed by :mod:`egov.approvals.clock`
with the core calendar. Closed cases carry none (NULL), so the queue's partial
indexes hold open cases only.

Who keeps them current:

* every case service, through :func:`store_case_clock` (called by
  ``record_step`` in the service's transaction);
* :func:`refresh_case_clocks`, once a day just after midnight (huey task and
  ``egov refresh_case_clocks``). The clock only moves with the date: for a case
  that is not suspended and whose phase does not change, the deadline stands
  and the days left fall by the working days passed since ``clock_as_of``; that
  is one UPDATE per distinct ``clock_as_of`` (usually one), and its light
  follows in SQL from the same thresholds as :func:`clock.choose_light`. Only
  the cases whose clock moves otherwise are read and recomputed in Python:
  open suspensions (their deadline moves with every working day), cases
  still in the acceptance window whose window has passed (deemed acceptance
  changes the phase) and cases never computed;
* :func:`recompute_case_clocks` after a calendar change (a subscriber of
  ``CalendarYearImported`` and ``CalendarDayChanged``): every open case whose
  clock may cross the changed days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

from django.db import connection, transaction
from django.db.models import Case as When_
from django.db.models import F, Q, QuerySet, Value, When
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone

from egov.approvals import clock
from egov.approvals.models import Case, Suspension
from egov.approvals.workflow import OPEN
from egov.core.calendar import WorkingCalendar
from egov.core.selectors.calendar import get_working_calendar

OPEN_STATUSES = tuple(status.value for status in OPEN)
RECOMPUTE_CHUNK = 2000

CLOCK_FIELDS = (
    "clock_deadline",
    "clock_statutory_deadline",
    "clock_days_left",
    "clock_limit_days",
    "clock_light",
    "clock_suspended",
    "clock_phase",
    "clock_as_of",
)

EMPTY_CLOCK: dict[str, Any] = {
    "clock_deadline": None,
    "clock_statutory_deadline": None,
    "clock_days_left": None,
    "clock_limit_days": None,
    "clock_light": "",
    "clock_suspended": False,
    "clock_phase": "",
    "clock_as_of": None,
}


def clock_values(
    case: Case,
    suspensions: Sequence[clock.Suspension],
    calendar: WorkingCalendar,
    now: dt.datetime,
) -> dict[str, Any]:
    """The stored clock columns of a case at ``now`` (empty once it is no longer open)."""
    if case.status not in OPEN_STATUSES:
        return dict(EMPTY_CLOCK)
    times = clock.CaseTimes(
        received=case.received_at,
        limit_days=case.promised_limit_days,
        accepted=case.accepted_at,
        suspensions=tuple(suspensions),
        extension_days=case.extension_days,
    )
    reading = clock.read_clock(times, calendar, now)
    statutory = clock.read_clock(
        clock.CaseTimes(
            received=times.received,
            limit_days=case.statutory_limit_days,
            accepted=times.accepted,
            suspensions=times.suspensions,
            extension_days=times.extension_days,
        ),
        calendar,
        now,
    )
    return {
        "clock_deadline": reading.deadline,
        "clock_statutory_deadline": statutory.deadline,
        "clock_days_left": reading.days_left,
        "clock_limit_days": reading.limit_days,
        "clock_light": reading.light.value,
        "clock_suspended": reading.suspended,
        "clock_phase": reading.phase.value,
        "clock_as_of": clock.local_date(now),
    }


def case_suspensions(case_ids: Iterable[int]) -> dict[int, list[clock.Suspension]]:
    """The suspensions of these cases as the clock reads them, by case id."""
    found: dict[int, list[clock.Suspension]] = {}
    rows = (
        Suspension.objects.filter(case_id__in=list(case_ids))
        .order_by("started_at", "id")
        .values_list("case_id", "kind", "started_at", "ended_at", "limit_days")
    )
    for case_id, kind, started, ended, limit in rows:
        found.setdefault(case_id, []).append(clock.Suspension(kind, started, ended, limit))
    return found


def store_case_clock(case: Case, now: dt.datetime | None = None) -> None:
    """Recompute and store one case's clock (in the caller's transaction)."""
    moment = now or timezone.now()
    suspensions = case_suspensions([case.pk]).get(case.pk, [])
    values = clock_values(case, suspensions, get_working_calendar(), moment)
    for name, value in values.items():
        setattr(case, name, value)
    Case.objects.filter(pk=case.pk).update(**values)


RECOMPUTE_COLUMNS = (
    "id",
    "status",
    "received_at",
    "accepted_at",
    "promised_limit_days",
    "statutory_limit_days",
    "extension_days",
)


def recompute(cases: QuerySet[Case], now: dt.datetime) -> int:
    """Recompute the stored clock of these cases in Python, in chunks; how many changed."""
    calendar = get_working_calendar()
    ids = list(cases.values_list("id", flat=True))
    changed = 0
    for start in range(0, len(ids), RECOMPUTE_CHUNK):
        chunk = ids[start : start + RECOMPUTE_CHUNK]
        rows = list(Case.objects.filter(pk__in=chunk).only(*RECOMPUTE_COLUMNS, *CLOCK_FIELDS))
        suspensions = case_suspensions(chunk)
        dirty = []
        for case in rows:
            values = clock_values(case, suspensions.get(case.pk, []), calendar, now)
            if any(getattr(case, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(case, name, value)
                dirty.append(case)
        write_clocks(dirty)
        changed += len(dirty)
    return changed


def write_clocks(cases: Sequence[Case]) -> None:
    """Write the stored clock columns of these cases: one prepared UPDATE, executemany.

    (``bulk_update`` builds a CASE per column per row: 100 times slower here.)
    """
    if not cases:
        return
    ops = connection.ops
    table = ops.quote_name(Case._meta.db_table)
    columns = ", ".join(f"{ops.quote_name(name)} = %s" for name in CLOCK_FIELDS)
    dates = {"clock_deadline", "clock_statutory_deadline", "clock_as_of"}
    rows = [
        [
            ops.adapt_datefield_value(getattr(case, name)) if name in dates else getattr(case, name)
            for name in CLOCK_FIELDS
        ]
        + [case.pk]
        for case in cases
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {columns} WHERE id = %s", rows)  # noqa: S608 - names are ours


def stored_open_cases() -> QuerySet[Case]:
    """Open cases (by status) whatever their stored clock says."""
    return Case.objects.filter(status__in=OPEN_STATUSES)


def needs_python(today: dt.date) -> Q:
    """Open cases whose clock moves otherwise than by the working days passed."""
    return (
        Q(clock_as_of__isnull=True)
        | Q(clock_suspended=True)
        | Q(clock_phase=clock.Phase.ACCEPTANCE.value, clock_deadline__lt=today)
    )


def light_expression(today: dt.date, left: Any, thresholds: clock.Thresholds) -> When_:
    """clock.choose_light in SQL: red when overdue, yellow when near or mostly used, else green.

    ``left`` is the days-left expression (an UPDATE reads the old columns, so it
    is the advanced value, not the stored one). The fraction used compares as
    integers (used * d >= n * limit), as exact as the float division.
    """
    fraction = Fraction(thresholds.yellow_fraction_used).limit_denominator(1000)
    used = F("clock_limit_days") - left
    mostly_used = GreaterThanOrEqual(
        used * Value(fraction.denominator), F("clock_limit_days") * Value(fraction.numerator)
    )
    return When_(
        When(clock_deadline__lt=today, then=Value(clock.Light.RED.value)),
        When(
            LessThanOrEqual(left, Value(thresholds.yellow_days_left)),
            then=Value(clock.Light.YELLOW.value),
        ),
        When(Q(clock_limit_days__gt=0) & Q(mostly_used), then=Value(clock.Light.YELLOW.value)),
        default=Value(clock.Light.GREEN.value),
    )


def advance_by_sql(today: dt.date, calendar: WorkingCalendar, thresholds: clock.Thresholds) -> int:
    """Advance the clocks that only move with working days, one UPDATE per stored date."""
    steady = stored_open_cases().exclude(needs_python(today)).filter(clock_as_of__lt=today)
    changed = 0
    for as_of in list(steady.values_list("clock_as_of", flat=True).distinct().order_by()):
        if as_of is None:
            continue
        passed = calendar.working_days_between(as_of, today)
        rows = steady.filter(clock_as_of=as_of)
        if passed == 0:
            # No working day passed: only a deadline left behind turns the light red.
            rows = rows.filter(clock_deadline__lt=today).exclude(clock_light=clock.Light.RED.value)
        left = F("clock_days_left") - Value(passed)
        changed += rows.update(
            clock_days_left=left,
            clock_light=light_expression(today, left, thresholds),
            clock_as_of=today,
        )
    return changed


def refresh_case_clocks(now: dt.datetime | None = None) -> dict[str, int]:
    """The daily refresh (每日计时刷新): every open case's stored clock as of today.

    One transaction. Returns how many rows the SQL step advanced and how many
    were recomputed in Python.
    """
    moment = now or timezone.now()
    today = clock.local_date(moment)
    calendar = get_working_calendar()
    with transaction.atomic(durable=True):
        advanced = advance_by_sql(today, calendar, clock.DEFAULT_THRESHOLDS)
        recomputed = recompute(stored_open_cases().filter(needs_python(today)), moment)
        cleared = (
            Case.objects.exclude(status__in=OPEN_STATUSES)
            .filter(clock_days_left__isnull=False)
            .update(**EMPTY_CLOCK)
        )
    return {"advanced": advanced, "recomputed": recomputed, "cleared": cleared}


def recompute_case_clocks(since: dt.date | None = None, now: dt.datetime | None = None) -> int:
    """Recompute in Python every open case whose clock may involve days from ``since`` on.

    After a calendar change (``since`` the first changed day): a change on or
    before today may alter anyone's days used; a later one only the cases whose
    deadline reaches it, or whose deadline still moves (suspended, never
    computed, still in the acceptance window). ``since=None`` recomputes all.
    """
    moment = now or timezone.now()
    cases = stored_open_cases()
    if since is not None and since > clock.local_date(moment):
        cases = cases.filter(
            Q(clock_deadline__gte=since)
            | Q(clock_statutory_deadline__gte=since)
            | Q(clock_deadline__isnull=True)
            | Q(clock_suspended=True)
            | Q(clock_phase=clock.Phase.ACCEPTANCE.value)
        )
    with transaction.atomic():
        return recompute(cases, moment)
