"""The statutory clock of a case (办理时限计时), pure: no Django import.

Given when a case was received and accepted, its limit in working days, the
intervals when the clock stood still (补正 waiting for materials, special
procedures such as hearings, testing, expert review, on-site inspection), the
extensions a leader approved (延期) and "now", :func:`read_clock` tells the
deadline, the working days used and left, the suspended intervals, whether the
case is overdue, and a light (green, yellow, red).

Counting rules (one convention, documented in ``docs/case-events.md``):

* Times are instants (aware datetimes); they are counted by their local date
  in ``tz`` (Asia/Shanghai by default).
* A period starts counting on the day after the event that starts it (the day
  of receipt or acceptance is not counted): the core calendar's
  ``add_working_days`` convention, as the Civil Code art. 201 counts periods.
* Acceptance (受理): within 5 working days of receipt the office accepts or
  refuses; if it does neither, the case counts as accepted on the fifth
  working day (《中华人民共和国行政许可法》第三十二条). Suspensions before
  acceptance stop this window too.
* A suspension started on day ``s`` and ended on day ``e`` stops the days
  ``s+1 .. e``: the day it starts was worked, the day it ends is not counted
  (counting resumes the next day). An open suspension stops every day after
  ``s`` up to now; the deadline shown is then the earliest possible one (as if
  it ended today).
* Extensions add working days to the limit.
* When the case stops (decided, refused, withdrawn, terminated) the clock
  freezes at that instant.

Every date arithmetic goes through the calendar object passed in (a
``egov.core.calendar.WorkingCalendar``); this module never adds days itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
ACCEPTANCE_WINDOW_DAYS = 5  # 行政许可法第三十二条: 五日内

Interval = tuple[dt.date, dt.date]


class Calendar(Protocol):
    """The two core calendar functions the clock uses."""

    def add_working_days(
        self, start: dt.date, n: int, paused: Sequence[Interval] = ()
    ) -> dt.date: ...

    def working_days_between(
        self, a: dt.date, b: dt.date, paused: Sequence[Interval] = ()
    ) -> int: ...


class Light(StrEnum):
    """The clock light (亮灯): green on time, yellow near the deadline, red overdue."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


class Phase(StrEnum):
    """Which period the clock is counting."""

    ACCEPTANCE = "acceptance"  # 受理期: the 5-working-day window after receipt
    PROCESSING = "processing"  # 办理期: from acceptance to decision


@dataclass(frozen=True)
class Suspension:
    """A span when the clock stands still (计时暂停): 补正 or a special procedure.

    ``ended`` is None while it lasts. ``limit_days`` is the procedure's own
    limit in working days, if it has one.
    """

    kind: str
    started: dt.datetime
    ended: dt.datetime | None = None
    limit_days: int | None = None


@dataclass(frozen=True)
class CaseTimes:
    """The facts of one case that the clock reads."""

    received: dt.datetime
    limit_days: int
    accepted: dt.datetime | None = None
    stopped: dt.datetime | None = None
    suspensions: Sequence[Suspension] = ()
    extension_days: int = 0


@dataclass(frozen=True)
class Thresholds:
    """When the light turns yellow: few days left or most of the limit used."""

    yellow_days_left: int = 2
    yellow_fraction_used: float = 0.8


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class SuspendedInterval:
    """A suspension as counted: the dates that did not count and its own deadline."""

    kind: str
    first: dt.date
    last: dt.date | None
    open: bool
    working_days: int
    own_deadline: dt.date | None


@dataclass(frozen=True)
class ClockReading:
    """The clock of one case at one moment."""

    phase: Phase
    start: dt.date
    limit_days: int
    deadline: dt.date
    days_used: int
    days_left: int
    overdue: bool
    light: Light
    suspended: bool
    acceptance_due: dt.date
    deemed_accepted_on: dt.date | None
    intervals: tuple[SuspendedInterval, ...] = field(default=())


def local_date(instant: dt.datetime, tz: dt.tzinfo = SHANGHAI) -> dt.date:
    """The local calendar date of an aware instant."""
    if instant.tzinfo is None:
        raise ValueError("times must be timezone-aware (stored in UTC)")
    return instant.astimezone(tz).date()


def paused_intervals(
    suspensions: Sequence[Suspension], today: dt.date, tz: dt.tzinfo = SHANGHAI
) -> list[Interval]:
    """The date intervals (first, last inclusive) that do not count, up to ``today``."""
    intervals: list[Interval] = []
    for suspension in suspensions:
        first = local_date(suspension.started, tz) + dt.timedelta(days=1)
        last = today if suspension.ended is None else local_date(suspension.ended, tz)
        if last >= first:
            intervals.append((first, last))
    return intervals


def acceptance_due(received: dt.date, paused: Sequence[Interval], calendar: Calendar) -> dt.date:
    """The last day to accept or refuse: the fifth working day after receipt."""
    return calendar.add_working_days(received, ACCEPTANCE_WINDOW_DAYS, paused)


def choose_light(used: int, left: int, total: int, overdue: bool, thresholds: Thresholds) -> Light:
    """Red when overdue; yellow when few days are left or most are used; else green."""
    if overdue:
        return Light.RED
    near = left <= thresholds.yellow_days_left
    mostly_used = total > 0 and used / total >= thresholds.yellow_fraction_used
    return Light.YELLOW if near or mostly_used else Light.GREEN


def describe_intervals(
    suspensions: Sequence[Suspension], today: dt.date, calendar: Calendar, tz: dt.tzinfo
) -> tuple[SuspendedInterval, ...]:
    """Each suspension with the working days it stopped and its own deadline."""
    described = []
    for suspension in suspensions:
        first = local_date(suspension.started, tz)
        last = None if suspension.ended is None else local_date(suspension.ended, tz)
        counted_to = min(today, last) if last is not None else today
        stopped = max(calendar.working_days_between(first, counted_to), 0)
        own = None
        if suspension.limit_days is not None:
            own = calendar.add_working_days(first, suspension.limit_days)
        described.append(
            SuspendedInterval(suspension.kind, first, last, last is None, stopped, own)
        )
    return tuple(described)


def check_times(times: CaseTimes) -> None:
    """Refuse facts that cannot describe a case."""
    if times.limit_days < 0 or times.extension_days < 0:
        raise ValueError("limit_days and extension_days must be >= 0")
    if times.accepted is not None and times.accepted < times.received:
        raise ValueError("accepted: before received")
    for index, suspension in enumerate(times.suspensions):
        if suspension.ended is not None and suspension.ended < suspension.started:
            raise ValueError(f"suspensions[{index}]: ended before started")


def read_clock(
    times: CaseTimes,
    calendar: Calendar,
    now: dt.datetime,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    tz: dt.tzinfo = SHANGHAI,
) -> ClockReading:
    """The clock of a case at ``now`` (计时): deadline, days used and left, light."""
    check_times(times)
    end = min(now, times.stopped) if times.stopped is not None else now
    today = max(local_date(end, tz), local_date(times.received, tz))
    paused = paused_intervals(times.suspensions, today, tz)
    received = local_date(times.received, tz)
    due = acceptance_due(received, paused, calendar)
    deemed = None
    if times.accepted is not None:
        phase, start, total = Phase.PROCESSING, local_date(times.accepted, tz), times.limit_days
    elif today > due:
        phase, start, total = Phase.PROCESSING, due, times.limit_days
        deemed = due
    else:
        phase, start, total = Phase.ACCEPTANCE, received, ACCEPTANCE_WINDOW_DAYS
    if phase is Phase.PROCESSING:
        total += times.extension_days
    deadline = calendar.add_working_days(start, total, paused)
    used = max(calendar.working_days_between(start, today, paused), 0)
    left = total - used
    overdue = today > deadline
    open_suspension = times.stopped is None and any(s.ended is None for s in times.suspensions)
    return ClockReading(
        phase=phase,
        start=start,
        limit_days=total,
        deadline=deadline,
        days_used=used,
        days_left=left,
        overdue=overdue,
        light=choose_light(used, left, total, overdue, thresholds),
        suspended=open_suspension,
        acceptance_due=due,
        deemed_accepted_on=deemed,
        intervals=describe_intervals(times.suspensions, today, calendar, tz),
    )
