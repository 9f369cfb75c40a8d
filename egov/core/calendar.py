"""Working-day calendar arithmetic (工作日历), pure: no Django import.

The weekly rule is Monday to Friday work, Saturday and Sunday rest. A
:class:`WorkingCalendar` is built from the exception days that break that rule:
public holidays on weekdays (``False``: rest) and weekend make-up working days
(调休上班, ``True``: work). Every statutory deadline on the platform is counted
in working days through this module (by way of ``egov.core.selectors.calendar``).

Counting convention, used everywhere:

* ``working_days_between(a, b)`` counts the working days in the half-open
  interval (a, b]: ``a`` excluded, ``b`` included. For ``b < a`` it is the
  negative of ``working_days_between(b, a)``, and it is 0 when ``a == b``, so
  counts are additive: ``between(a, b) + between(b, c) == between(a, c)`` for
  any three dates.
* ``add_working_days(start, n)`` is the first date ``d`` with
  ``working_days_between(start, d) == n``: ``start`` itself is not counted,
  so for ``n >= 1`` the result is always a working day after ``start``. For
  ``n == 0`` it is ``start`` itself (zero working days later, even when
  ``start`` is a rest day).
* ``paused`` is a sequence of ``(first, last)`` date intervals, both ends
  included, whose days do not count: the statutory clock is suspended
  (补正 while the applicant corrects the file, 特别程序 such as hearings or
  expert review). Intervals may overlap; they are merged.

Dates outside the range the calendar was seeded with follow the weekly rule:
with no exception days known, Monday to Friday are working days.

Each call is O(log k + p) for k exception days and p paused intervals: the
number of working days up to any date is the weekly-rule count (arithmetic on
the date's ordinal) plus the cumulative correction of the exception days
before it (a bisect over a sorted table), and ``add_working_days`` inverts that
by a bisect plus arithmetic. No call loops over days.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple

WORKDAYS_PER_WEEK = 5
DAYS_PER_WEEK = 7

Interval = tuple[dt.date, dt.date]


def is_weekly_working_day(day: dt.date) -> bool:
    """The weekly rule: Monday to Friday work (True), Saturday and Sunday rest."""
    return day.weekday() < WORKDAYS_PER_WEEK


def weekly_count(ordinal: int) -> int:
    """Weekly-rule working days among ordinals 1..ordinal (ordinal 1 is a Monday)."""
    weeks, rest = divmod(ordinal, DAYS_PER_WEEK)
    return WORKDAYS_PER_WEEK * weeks + min(rest, WORKDAYS_PER_WEEK)


def check_date(value: Any, argument: str) -> dt.date:
    """Refuse anything but a plain date (a datetime would silently lose its time)."""
    if type(value) is dt.date:
        return value
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValueError(f"{argument}: expected a datetime.date, got {type(value).__name__}")
    return value


def check_count(value: Any, argument: str) -> int:
    """Refuse a working-day count that is not an int >= 0."""
    if type(value) is int and value >= 0:
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{argument}: expected an int, got {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{argument}: must be >= 0, got {value}")
    return value


def merge_paused(paused: Iterable[Any]) -> tuple[tuple[int, int], ...]:
    """Check paused intervals and merge them into sorted, disjoint ordinal ranges."""
    if isinstance(paused, str | bytes) or not isinstance(paused, Iterable):
        raise ValueError("paused: expected a sequence of (first, last) date pairs")
    ranges: list[tuple[int, int]] = []
    for index, interval in enumerate(paused):
        if not isinstance(interval, Sequence) or isinstance(interval, str) or len(interval) != 2:
            raise ValueError(f"paused[{index}]: expected a (first, last) pair of dates")
        first = check_date(interval[0], f"paused[{index}] first")
        last = check_date(interval[1], f"paused[{index}] last")
        if last < first:
            raise ValueError(f"paused[{index}]: last {last} is before first {first}")
        ranges.append((first.toordinal(), last.toordinal()))
    ranges.sort()
    merged: list[tuple[int, int]] = []
    for first_ord, last_ord in ranges:
        if merged and first_ord <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last_ord))
        else:
            merged.append((first_ord, last_ord))
    return tuple(merged)


class WorkingCalendar:
    """An immutable working-day calendar (工作日历) built from its exception days.

    ``WorkingCalendar({date(2026, 10, 1): False, date(2026, 9, 27): True})``.
    Entries that agree with the weekly rule (a Saturday marked rest) change
    nothing and are dropped. Building costs O(k log k) for k exception days.
    """

    __slots__ = ("_corrections", "_exceptions", "_ordinals", "_reached")

    _ordinals: tuple[int, ...]
    _corrections: tuple[int, ...]
    _reached: tuple[int, ...]
    _exceptions: Mapping[dt.date, bool]

    def __init__(self, exceptions: Mapping[dt.date, bool] | Iterable[tuple[dt.date, bool]] = ()):
        items = exceptions.items() if isinstance(exceptions, Mapping) else exceptions
        table: dict[dt.date, bool] = {}
        for day, working in items:
            check_date(day, "exceptions date")
            if not isinstance(working, bool):
                raise ValueError(f"exceptions[{day}]: is_working must be a bool")
            if working != is_weekly_working_day(day):
                table[day] = working
        days = sorted(table)
        ordinals = tuple(day.toordinal() for day in days)
        corrections: list[int] = [0]
        reached: list[int] = []
        total = 0
        for day, ordinal in zip(days, ordinals, strict=True):
            total += 1 if table[day] else -1
            corrections.append(total)
            reached.append(weekly_count(ordinal) + total)
        set_ = object.__setattr__
        set_(self, "_ordinals", ordinals)
        set_(self, "_corrections", tuple(corrections))
        set_(self, "_reached", tuple(reached))
        set_(self, "_exceptions", MappingProxyType({day: table[day] for day in days}))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("WorkingCalendar is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("WorkingCalendar is immutable")

    def __repr__(self) -> str:
        return f"<WorkingCalendar {len(self._ordinals)} exception days>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WorkingCalendar):
            return NotImplemented
        return self._exceptions == other._exceptions

    def __hash__(self) -> int:
        return hash(tuple(self._exceptions.items()))

    @property
    def exceptions(self) -> Mapping[dt.date, bool]:
        """The exception days, sorted by date (read-only)."""
        return self._exceptions

    def is_working_day(self, day: dt.date) -> bool:
        """Is ``day`` a working day (工作日)?"""
        check_date(day, "day")
        working = self._exceptions.get(day)
        return is_weekly_working_day(day) if working is None else working

    # _count and _inverse are the hot path, so the weekly-rule arithmetic is
    # inlined; _corrections[i] is the summed correction of the first i exceptions.
    # The weekly inverse: the m-th weekly working day (m >= 1) is ordinal
    # 7 * ((m - 1) // 5) + (m - 1) % 5 + 1.

    def _count(self, ordinal: int) -> int:
        """Working days among ordinals 1..ordinal (a cumulative index)."""
        weeks, rest = divmod(ordinal, DAYS_PER_WEEK)
        weekly = WORKDAYS_PER_WEEK * weeks + (
            rest if rest < WORKDAYS_PER_WEEK else WORKDAYS_PER_WEEK
        )
        return weekly + self._corrections[bisect_right(self._ordinals, ordinal)]

    def _inverse(self, count: int) -> int:
        """The smallest ordinal whose cumulative count reaches ``count``: a working day."""
        index = bisect_left(self._reached, count)
        weeks, rest = divmod(count - self._corrections[index] - 1, WORKDAYS_PER_WEEK)
        candidate = DAYS_PER_WEEK * weeks + rest + 1
        ordinals = self._ordinals
        if index < len(ordinals) and candidate >= ordinals[index]:
            return ordinals[index]
        return candidate

    def _paused_count(self, ranges: tuple[tuple[int, int], ...], ordinal: int) -> int:
        """Working days that fall in paused ranges among ordinals 1..ordinal."""
        total = 0
        for first, last in ranges:
            if first > ordinal:
                break
            total += self._count(min(last, ordinal)) - self._count(first - 1)
        return total

    def working_days_between(self, a: dt.date, b: dt.date, paused: Iterable[Interval] = ()) -> int:
        """Working days in (a, b], outside ``paused``; negative when b < a, 0 when equal."""
        first = check_date(a, "a").toordinal()
        last = check_date(b, "b").toordinal()
        ranges = merge_paused(paused) if paused else ()
        counted_to_b = self._count(last) - self._paused_count(ranges, last)
        counted_to_a = self._count(first) - self._paused_count(ranges, first)
        return counted_to_b - counted_to_a

    def add_working_days(self, start: dt.date, n: int, paused: Iterable[Interval] = ()) -> dt.date:
        """The date ``n`` working days after ``start`` (``start`` not counted; n=0 gives start).

        Working days inside ``paused`` intervals do not count, so the result
        moves later by as many working days as the pauses swallowed.
        """
        origin = check_date(start, "start").toordinal()
        check_count(n, "n")
        ranges = merge_paused(paused) if paused else ()
        if n == 0:
            return start
        target = self._count(origin) + n
        for first, last in ranges:
            if last <= origin:
                continue
            first = max(first, origin + 1)
            if self._inverse(target) < first:
                break
            target += self._count(last) - self._count(first - 1)
        try:
            return dt.date.fromordinal(self._inverse(target))
        except (ValueError, OverflowError):
            raise ValueError(f"n: {n} working days after {start} is beyond {dt.date.max}") from None


# --- Sources of exception days: the published schedules ---------------------


class ExceptionDay(NamedTuple):
    """One day that breaks the weekly rule, as a source or an import gives it."""

    date: dt.date
    is_working: bool
    name: str
    provisional: bool = False
    source: str = ""


# chinesecalendar names its festivals in English; the calendar shows them in Chinese.
FESTIVAL_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
MAKE_UP_SUFFIX = "调休上班"


def festival_name(name: object) -> str:
    """The Chinese name of a chinesecalendar festival (its English name if unknown)."""
    return FESTIVAL_NAMES.get(str(name), str(name))


def official_years() -> range:
    """The years the installed ``chinesecalendar`` has official schedules for."""
    import chinese_calendar

    years = {day.year for day in chinese_calendar.holidays}
    return range(min(years), max(years) + 1)


def official_exception_days(years: Iterable[int]) -> list[ExceptionDay]:
    """Official State Council exception days from ``chinesecalendar`` (国务院办公厅通知).

    Holidays on weekdays become rest days, named after the festival; make-up
    working days on weekends become working days. Holiday days that fall on a
    weekend are not exceptions and are left out.
    """
    import chinese_calendar

    wanted = set(years)
    source = f"chinesecalendar {chinese_calendar.__version__}"
    days = [
        ExceptionDay(day, False, festival_name(name), False, source)
        for day, name in chinese_calendar.holidays.items()
        if day.year in wanted and is_weekly_working_day(day)
    ]
    days += [
        ExceptionDay(day, True, festival_name(name) + MAKE_UP_SUFFIX, False, source)
        for day, name in chinese_calendar.workdays.items()
        if day.year in wanted and not is_weekly_working_day(day)
    ]
    return sorted(days)


def provisional_exception_days(years: Iterable[int]) -> list[ExceptionDay]:
    """Provisional rest days from ``holidays.China`` for years not yet published (暂定).

    That package computes the festivals by rule and has no make-up working
    days, so every day it gives is marked provisional and is replaced when the
    official schedule is imported.
    """
    import holidays

    source = f"holidays {holidays.__version__} (provisional)"
    # country_holidays("CN") is holidays.China, through the package's typed entry point.
    table = holidays.country_holidays("CN", years=list(years), language="zh_CN")
    days = [
        ExceptionDay(day, False, str(name), True, source)
        for day, name in table.items()
        if is_weekly_working_day(day)
    ]
    return sorted(days)


# --- Import files: a newly published year ------------------------------------

IMPORT_COLUMNS = ("date", "is_working", "name")
NAME_MAX = 64
TRUE_WORDS = frozenset({"true", "1", "yes"})
FALSE_WORDS = frozenset({"false", "0", "no"})


class CalendarFileError(ValueError):
    """A bad row in a calendar import file; ``where`` names the line or item."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


class ImportedYear(NamedTuple):
    """One year's exception days, checked, as an import file gives them."""

    year: int
    days: tuple[ExceptionDay, ...]


def parse_flag(value: Any) -> bool:
    """``is_working`` from a file: a JSON bool, or true/false, 1/0, yes/no."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower() if isinstance(value, str | int) else ""
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"is_working: expected true or false, got {value!r}")


def parse_row(record: Mapping[str, Any], source: str) -> ExceptionDay:
    """One exception day from one record; ValueError names the field and the reason."""
    missing = [column for column in IMPORT_COLUMNS if column not in record]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    raw_date = record["date"]
    try:
        day = dt.date.fromisoformat(str(raw_date).strip())
    except ValueError:
        raise ValueError(f"date: {raw_date!r} is not a date in YYYY-MM-DD form") from None
    working = parse_flag(record["is_working"])
    name = str(record["name"] or "").strip()
    if not name:
        raise ValueError("name: required (the festival, or the festival the make-up day serves)")
    if len(name) > NAME_MAX:
        raise ValueError(f"name: at most {NAME_MAX} characters, got {len(name)}")
    if working == is_weekly_working_day(day):
        kind = "a working weekday" if working else "a weekend rest day"
        raise ValueError(
            f"date: {day} ({day:%A}) marked {kind} does not break the weekly rule; "
            "list only weekday holidays and weekend make-up working days"
        )
    return ExceptionDay(day, working, name, False, source)


def check_year(records: Iterable[tuple[str, Mapping[str, Any]]], source: str) -> ImportedYear:
    """Check every record of a file; the year is the first row's, one row per date."""
    days: list[ExceptionDay] = []
    seen: dict[dt.date, str] = {}
    for where, record in records:
        try:
            day = parse_row(record, source)
        except ValueError as exc:
            raise CalendarFileError(where, str(exc)) from None
        if days and day.date.year != days[0].date.year:
            raise CalendarFileError(
                where, f"date: {day.date} is not in {days[0].date.year}, the year of the file"
            )
        if day.date in seen:
            raise CalendarFileError(
                where, f"date: {day.date} is listed twice (also {seen[day.date]})"
            )
        seen[day.date] = where
        days.append(day)
    if not days:
        raise CalendarFileError("file", "no rows: a year has at least one holiday")
    return ImportedYear(days[0].date.year, tuple(sorted(days)))


def csv_records(text: str) -> Iterable[tuple[str, Mapping[str, Any]]]:
    """Records of a CSV file with a header line ``date,is_working,name``."""
    import csv
    import io

    reader = csv.DictReader(io.StringIO(text))
    header = [column.strip() for column in reader.fieldnames or ()]
    missing = [column for column in IMPORT_COLUMNS if column not in header]
    if missing:
        raise CalendarFileError("line 1", f"header lacks column {', '.join(missing)}")
    reader.fieldnames = header
    for row in reader:
        if None in row:
            raise CalendarFileError(f"line {reader.line_num}", "more fields than the header")
        if any(value is None for value in row.values()):
            raise CalendarFileError(f"line {reader.line_num}", "fewer fields than the header")
        yield f"line {reader.line_num}", row


def json_records(text: str) -> Iterable[tuple[str, Mapping[str, Any]]]:
    """Records of a JSON list of objects with keys ``date``, ``is_working``, ``name``."""
    import json

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CalendarFileError(f"line {exc.lineno}", f"not valid JSON: {exc.msg}") from None
    if not isinstance(data, list):
        raise CalendarFileError("file", "expected a JSON list of objects")
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise CalendarFileError(f"item {index}", "expected an object")
        yield f"item {index}", item


def parse_calendar_file(text: str, file_format: str, source: str = "import") -> ImportedYear:
    """Check an import file's text (``csv`` or ``json``); CalendarFileError names the row."""
    if file_format == "csv":
        return check_year(csv_records(text), source)
    if file_format == "json":
        return check_year(json_records(text), source)
    raise ValueError(f"file_format: expected csv or json, got {file_format!r}")
