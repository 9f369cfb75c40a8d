"""Supervision statistics (统计分析): aggregate queries over the engine's own records.

Every figure is scoped by the viewer's region grants (a province supervisor
sees the province, a city's its city and counties) and computed in SQL with
GROUP BY, never by looping over cases in Python:

* the **case figures** of a period count the cases *received* in it (a
  cohort, as approvals' department statistics do): received, concluded (a
  decision made), of those judged by the engine (``on_time`` known; a refusal
  to accept has a judgement of its own, not counted here), on time, and the
  average working days used by the decided ones;
* **open cases by light** are a snapshot of now, whatever the period;
* **findings** are those found in the period, dismissed ones left out.

Rows are grouped by region (the level below the viewer's region: the
province sees its cities, a city its counties, a region's own departments
show as 本级), by department or by item. The early-warning figures group the
decided cases by department and week (:func:`department_weeks`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    CharField,
    Count,
    DateField,
    DateTimeField,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.core.models import Organisation, Region
from egov.core.permissions import scopes_for
from egov.supervision import permissions
from egov.supervision.models import (
    DecidedWeek,
    Finding,
    Light,
    OpenLightCount,
    ReceivedDay,
    ReceivedMonth,
    ReferenceItem,
    SupervisedCase,
)
from egov.supervision.statistics.warning import WeekFigures

REGION, DEPARTMENT, ITEM = "region", "department", "item"
DIMENSIONS = (REGION, DEPARTMENT, ITEM)
SEGMENT = 7  # one region code and its slash in a region path ("230100/")
MAX_PERIOD_DAYS = 3 * 366
UNCOUNTED_FINDINGS = (Finding.Status.DISMISSED,)
# Where the case figures come from (ADR 0050): the daily roll-ups (what the pages
# use), or the case table itself (the oracle of the tests and the benchmark's baseline).
ROLLUPS, RAW = "rollups", "raw"


class PeriodError(ValueError):
    """A period that cannot be read: the field at fault and why."""

    def __init__(self, fields: dict[str, str]) -> None:
        self.fields = fields
        super().__init__("; ".join(f"{name}: {why}" for name, why in fields.items()))


@dataclass(frozen=True)
class Period:
    """Local dates ``start`` … ``end``, both included (统计期)."""

    start: dt.date
    end: dt.date

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The period as aware datetimes [start 00:00, the day after end 00:00) in local time."""
        zone = timezone.get_current_timezone()
        start = dt.datetime.combine(self.start, dt.time(), tzinfo=zone)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), tzinfo=zone)
        return start, end

    def holds(self, column: str) -> Q:
        """The rows whose ``column`` (a datetime) falls in the period: start <= t < end."""
        start, end = self.bounds()
        return Q(**{f"{column}__gte": start, f"{column}__lt": end})

    @property
    def label(self) -> str:
        return f"{self.start.isoformat()} ~ {self.end.isoformat()}"


def month_period(year: int, month: int) -> Period:
    """A calendar month (月度)."""
    start = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return Period(start, following - dt.timedelta(days=1))


def read_date(text: str, name: str, errors: dict[str, str]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        errors[name] = _("日期格式应为 YYYY-MM-DD")
        return None


def parse_period(
    *, month: str = "", start: str = "", end: str = "", today: dt.date | None = None
) -> Period:
    """The period a page or an export asks for: ``month=YYYY-MM``, or ``from``/``to`` dates.

    Neither given: the current month. Raises :class:`PeriodError` naming the field.
    """
    today = today or timezone.localdate()
    month, start, end = month.strip(), start.strip(), end.strip()
    if month and not (start or end):
        try:
            year, number = (int(part) for part in month.split("-"))
            return month_period(year, number)
        except ValueError:
            raise PeriodError({"month": _("月份格式应为 YYYY-MM")}) from None
    if not (start or end):
        return month_period(today.year, today.month)
    errors: dict[str, str] = {}
    first = read_date(start, "from", errors) if start else today.replace(day=1)
    last = read_date(end, "to", errors) if end else today
    if first and last and last < first:
        errors["to"] = _("截止日期早于起始日期")
    elif first and last and (last - first).days > MAX_PERIOD_DAYS:
        errors["to"] = _("统计期不能超过三年")
    if errors or first is None or last is None:
        raise PeriodError(errors)
    return Period(first, last)


# --- Scope ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ViewScope:
    """The region subtrees a viewer's figures cover (one path each, none inside another)."""

    roots: tuple[str, ...]
    department: str = ""  # narrowed to one department's cases and findings (部门详情)

    @property
    def is_empty(self) -> bool:
        return not self.roots

    def subtree(self, column: str = "region_path") -> Q:
        query = Q(pk__in=[])
        for root in self.roots:
            query |= Q(**{f"{column}__startswith": root})
        if self.department:
            query &= Q(department_code=self.department)
        return query


def outermost(paths: Iterable[str]) -> tuple[str, ...]:
    """The paths not inside another one of them, sorted."""
    unique = sorted(set(paths))
    return tuple(p for p in unique if not any(p != q and p.startswith(q) for q in unique))


def viewer_scope(user: Any, region_code: str = "") -> ViewScope | None:
    """The viewer's scope, or one region inside it (drill-down); None: not theirs to see.

    A user with no grant for ``supervision.view`` gets an empty scope.
    """
    roots = outermost(grant.region_path for grant in scopes_for(user, permissions.VIEW))
    if not region_code:
        return ViewScope(roots)
    path = Region.objects.filter(code=region_code).values_list("path", flat=True).first()
    if path is None or not any(path.startswith(root) for root in roots):
        return None
    return ViewScope((path,))


def department_scope(scope: ViewScope, code: str) -> ViewScope | None:
    """One department inside the viewer's scope (its organisation's region), or None."""
    path = (
        Organisation.objects.filter(code=code).values_list("region__path", flat=True).first()
        or SupervisedCase.objects.filter(department_code=code)
        .values_list("region_path", flat=True)
        .first()
    )
    if not path or not any(path.startswith(root) for root in scope.roots):
        return None
    return ViewScope((path,), code)


def cases_in(scope: ViewScope) -> QuerySet[SupervisedCase]:
    return SupervisedCase.objects.filter(scope.subtree())


def findings_in(scope: ViewScope) -> QuerySet[Finding]:
    return Finding.objects.filter(scope.subtree()).exclude(status__in=UNCOUNTED_FINDINGS)


# --- Figures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """One row of statistics: a region, a department, an item, or the whole scope."""

    key: str
    name: str = ""
    received: int = 0
    concluded: int = 0
    judged: int = 0
    on_time: int = 0
    days_total: int = 0  # working days used, summed over the decided cases that have them
    days_counted: int = 0  # ... and how many they are
    open_cases: int = 0
    yellow: int = 0
    red: int = 0
    findings: int = 0
    red_findings: int = 0

    @property
    def code(self) -> str:
        """The region code of a region row (its path's last code), else the key itself."""
        return self.key.rstrip("/").rsplit("/", 1)[-1] if self.key.endswith("/") else self.key

    @property
    def average_working_days(self) -> float | None:
        """Mean working days used by the decided cases (平均用时), None without any."""
        return self.days_total / self.days_counted if self.days_counted else None

    @property
    def on_time_rate(self) -> float | None:
        """Share of the engine-judged decisions made in time (按时办结率)."""
        return self.on_time / self.judged if self.judged else None

    @property
    def overdue(self) -> int:
        return self.judged - self.on_time

    @property
    def findings_per_100(self) -> float | None:
        """Findings per 100 cases received (百件发现数); None without cases."""
        return 100 * self.findings / self.received if self.received else None


def group_key(dimension: str, root: str) -> Any:
    """The SQL expression rows are grouped by for a dimension under ``root``."""
    if dimension == REGION:
        return Substr("region_path", 1, len(root) + SEGMENT, output_field=CharField())
    if dimension == DEPARTMENT:
        return as_expression("department_code")
    if dimension == ITEM:
        return as_expression("item_code")
    return Value("*", output_field=CharField())


def as_expression(column: str) -> Any:
    """The column as an expression (``column || ''``), for grouping.

    Grouped by the bare column, SQLite walks the column's index in group order
    and looks up every row of the table (about 9× slower at 100,000 cases,
    bench/supervision_statistics.py); grouped by an expression, it filters
    first and sorts what is left.
    """
    return Concat(F(column), Value(""), output_field=CharField())


# SQLite writes ``is_open=True`` as a bare column test, which no index serves;
# ``IN (1)`` lets it use the (is_open, light) index. Same rows everywhere.
OPEN = Q(is_open__in=[True])


def case_counts(cases: QuerySet, key: Any, period: Period) -> Iterable[dict[str, Any]]:
    """Received, concluded, judged, on time and average days per key: one GROUP BY."""
    decided = Q(decided_at__isnull=False)
    return (
        cases.filter(period.holds("received_at"))
        .annotate(key=key)
        .values("key")
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


RECEIVED_SUMS = ("received", "concluded", "judged", "on_time", "days_total", "days_counted")


def whole_months(period: Period) -> tuple[dt.date, dt.date] | None:
    """The first and last month (first days) lying wholly inside the period, if any."""
    first = period.start if period.start.day == 1 else month_of_next(period.start)
    end_month = period.end.replace(day=1)
    ends_a_month = (period.end + dt.timedelta(days=1)).day == 1
    last = end_month if ends_a_month else previous_month(end_month)
    return (first, last) if first <= last else None


def month_of_next(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def previous_month(first: dt.date) -> dt.date:
    return (first - dt.timedelta(days=1)).replace(day=1)


def summed_by_key(rows: QuerySet, key: Any) -> QuerySet:
    return (
        rows.annotate(key=key)
        .values("key")
        .annotate(**{name: Sum(name) for name in RECEIVED_SUMS})
        .order_by()
    )


def rolled_case_counts(scope: ViewScope, key: Any, period: Period, dimension: str) -> list:
    """:func:`case_counts` from the roll-ups: whole months by department, the rest by day.

    The month rows (ADR 0057) hold about one row per department and month; the
    item dimension and the days outside whole months read the day rows.
    """
    days = ReceivedDay.objects.filter(scope.subtree())
    months = None if dimension == ITEM else whole_months(period)
    if months is None:
        return list(summed_by_key(days.filter(day__range=(period.start, period.end)), key))
    first, last = months
    after_last = month_of_next(last)
    monthly = ReceivedMonth.objects.filter(scope.subtree(), month__range=(first, last))
    rest = days.filter(
        Q(day__range=(period.start, first - dt.timedelta(days=1)))
        | Q(day__range=(after_last, period.end))
    )
    return [*summed_by_key(monthly, key), *summed_by_key(rest, key)]


def rolled_open_counts(scope: ViewScope, key: Any) -> QuerySet:
    """:func:`open_counts` from the open-light snapshot."""
    return (
        OpenLightCount.objects.filter(scope.subtree())
        .annotate(key=key)
        .values("key")
        .annotate(
            open_cases=Sum("cases"),
            yellow=Sum("cases", filter=Q(light=Light.YELLOW)),
            red=Sum("cases", filter=Q(light=Light.RED)),
        )
        .order_by()
    )


def open_counts(cases: QuerySet, key: Any) -> Iterable[dict[str, Any]]:
    """Open cases and those showing yellow or red, per key (now)."""
    return (
        cases.filter(OPEN)
        .annotate(key=key)
        .values("key")
        .annotate(
            open_cases=Count("id"),
            yellow=Count("id", filter=Q(light=Light.YELLOW)),
            red=Count("id", filter=Q(light=Light.RED)),
        )
        .order_by()
    )


def finding_counts(findings: QuerySet, key: Any, period: Period) -> Iterable[dict[str, Any]]:
    """Findings found in the period and the red ones, per key."""
    return (
        findings.filter(period.holds("found_at"))
        .annotate(key=key)
        .values("key")
        .annotate(findings=Count("id"), red_findings=Count("id", filter=Q(severity="red")))
        .order_by()
    )


def case_aggregates(
    scope: ViewScope, key: Any, period: Period, source: str, dimension: str
) -> tuple[Iterable[dict[str, Any]], Iterable[dict[str, Any]]]:
    """The period's case figures and the open-case figures, from the roll-ups or the cases."""
    if source == ROLLUPS:
        received = rolled_case_counts(scope, key, period, dimension)
        return received, rolled_open_counts(scope, key)
    cases = cases_in(scope)
    return case_counts(cases, key, period), open_counts(cases, key)


def merged_rows(
    scope: ViewScope, dimension: str, period: Period, source: str = ROLLUPS
) -> dict[str, dict[str, Any]]:
    """The three aggregates of every root merged by key (a key may lack some)."""
    merged: dict[str, dict[str, Any]] = {}
    for root in scope.roots:
        key = group_key(dimension, root)
        one_root = ViewScope((root,), scope.department)
        received, still_open = case_aggregates(one_root, key, period, source, dimension)
        findings = findings_in(one_root)
        for rows in (received, still_open, finding_counts(findings, key, period)):
            for row in rows:
                add_up(merged.setdefault(row.pop("key") or "", {}), row)
    return merged


def add_up(into: dict[str, Any], row: dict[str, Any]) -> None:
    """Counts and sums add up across roots (a SUM over no rows is NULL: nothing to add)."""
    for name, value in row.items():
        into[name] = into.get(name, 0) + (value or 0)


def region_names(paths: Iterable[str], roots: tuple[str, ...]) -> dict[str, str]:
    """Names for region-path keys; a root itself is its own departments (本级)."""
    names = dict(Region.objects.filter(path__in=list(paths)).values_list("path", "name"))
    for root in roots:
        if root in names:
            names[root] = _("%(name)s本级") % {"name": names[root]}
    return names


def names_for(dimension: str, keys: list[str], roots: tuple[str, ...]) -> dict[str, str]:
    if dimension == REGION:
        return region_names(keys, roots)
    if dimension == DEPARTMENT:
        return dict(Organisation.objects.filter(code__in=keys).values_list("code", "name"))
    if dimension == ITEM:
        return dict(ReferenceItem.objects.filter(code__in=keys).values_list("code", "name"))
    return {"*": _("合计")}


def grouped_figures(
    scope: ViewScope, dimension: str, period: Period, source: str = ROLLUPS
) -> list[Figures]:
    """One row per region, department or item in the scope, ordered by key."""
    merged = merged_rows(scope, dimension, period, source)
    names = names_for(dimension, list(merged), scope.roots)
    return [
        Figures(key=key, name=names.get(key) or key or _("（未注明）"), **values)
        for key, values in sorted(merged.items())
    ]


SUMMED = (
    "received",
    "concluded",
    "judged",
    "on_time",
    "days_total",
    "days_counted",
    "open_cases",
    "yellow",
    "red",
    "findings",
    "red_findings",
)


def total_of(rows: Iterable[Figures]) -> Figures:
    """The rows added up (合计): every figure is a count or a sum, so no query is needed."""
    rows = list(rows)
    return Figures(
        key="*", name=_("合计"), **{name: sum(getattr(r, name) for r in rows) for name in SUMMED}
    )


def total_figures(scope: ViewScope, period: Period, source: str = ROLLUPS) -> Figures:
    """The whole scope in one row (合计), from one GROUP BY over a constant."""
    return total_of(grouped_figures(scope, "total", period, source))


def open_by_light(scope: ViewScope, source: str = ROLLUPS) -> dict[str, int]:
    """Open cases by light now (在办亮灯), every light present (zero when none)."""
    counts = dict.fromkeys(Light.values, 0)
    rows: QuerySet
    if source == ROLLUPS:
        snapshot = OpenLightCount.objects.filter(scope.subtree())
        rows = snapshot.values("light").annotate(n=Sum("cases")).order_by()
    else:
        rows = cases_in(scope).filter(OPEN).values("light").annotate(n=Count("id")).order_by()
    for row in rows:
        counts[row["light"]] += row["n"] or 0
    return counts


@dataclass(frozen=True)
class FindingCount:
    """Findings of one category or one rule in the period."""

    key: str
    name: str
    category: str
    findings: int
    red: int
    unresolved: int


RESOLVED = (Finding.Status.CLOSED,)


def rule_names() -> dict[str, str]:
    """The registered rules' Chinese names by code (empty if the rules cannot load)."""
    from egov.supervision.judging.rules import REGISTRY

    return {code: rule.name for code, rule in REGISTRY.items()}


CATEGORY_LABELS = {
    "time": gettext_lazy("时限"),
    "fee": gettext_lazy("收费"),
    "data": gettext_lazy("资料数据"),
    "irregular": gettext_lazy("异常办理"),
    "catalogue": gettext_lazy("事项目录"),
    "review": gettext_lazy("事后抽查"),
    "complaint": gettext_lazy("效能投诉"),
}


def category_label(category: str) -> str:
    return str(CATEGORY_LABELS[category]) if category in CATEGORY_LABELS else category


def finding_breakdown(scope: ViewScope, period: Period, by: str) -> list[FindingCount]:
    """Findings in the period by ``category`` or by ``rule_code``, most first."""
    columns = ("category",) if by == "category" else ("rule_code", "category")
    rows = (
        findings_in(scope)
        .filter(period.holds("found_at"))
        .values(*columns)
        .annotate(
            findings=Count("id"),
            red=Count("id", filter=Q(severity="red")),
            unresolved=Count("id", filter=~Q(status__in=RESOLVED)),
        )
        .order_by("-findings", *columns)
    )
    names = rule_names() if by != "category" else {}
    found = []
    for row in rows:
        key = row[columns[0]]
        name = category_label(key) if by == "category" else names.get(key, key)
        found.append(
            FindingCount(key, name, row["category"], row["findings"], row["red"], row["unresolved"])
        )
    return found


# --- Rankings ---------------------------------------------------------------------------

MIN_RANKED_CASES = 10  # a department or region needs this many cases to be ranked
SPARSE_MINIMUM = 3  # ... unless fewer than SPARSE_RANKED rows reach it (a quiet period)
SPARSE_RANKED = 3


@dataclass(frozen=True)
class Ranking:
    """Rows ranked by a figure; rows with too few cases are listed apart, unranked."""

    title: str
    figure: str
    minimum: int  # the number of cases a row needed to be ranked
    ranked: list[Figures]
    unranked: list[Figures]


def cases_counted(row: Figures, figure: str) -> int:
    """The cases a figure rests on: judged decisions for the rate, receipts for findings."""
    return row.judged if figure == "on_time_rate" else row.received


def rank(rows: list[Figures], *, figure: str, minimum: int = MIN_RANKED_CASES) -> Ranking:
    """Best first: the on-time rate high to low, or findings per 100 cases low to high.

    A row needs ``minimum`` cases; when fewer than three rows have that many
    (a quiet period, a small region), the bar drops to three cases, and the
    ranking says which bar it used.
    """
    eligible = [row for row in rows if cases_counted(row, figure) >= minimum]
    if len(eligible) < SPARSE_RANKED and minimum > SPARSE_MINIMUM:
        minimum = SPARSE_MINIMUM
        eligible = [row for row in rows if cases_counted(row, figure) >= minimum]
    if figure == "on_time_rate":
        eligible.sort(key=lambda row: (-(row.on_time_rate or 0), -row.judged, row.key))
        title = _("按时办结率排名")
    else:
        eligible.sort(key=lambda row: (row.findings_per_100 or 0, -row.received, row.key))
        title = _("百件发现数排名（少者优）")
    kept = {row.key for row in eligible}
    unranked = [row for row in rows if row.key not in kept]
    return Ranking(title, figure, minimum, eligible, unranked)


# --- Weekly figures for early warning -------------------------------------------------


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class DepartmentWeeks:
    """One department's consecutive weeks of decisions, oldest first (ending this week)."""

    department_code: str
    region_path: str
    weeks: list[WeekFigures]


class WeeksSince(Func):
    """Whole weeks from ``start`` to a datetime column (0 in the first week), in SQL.

    SQLite: ``julianday`` differences; PostgreSQL: the interval's seconds. Both
    native, so grouping by week costs no per-row Python (Django's TruncWeek
    runs a Python function per row on SQLite).
    """

    output_field = IntegerField()
    postgresql_template = "FLOOR(EXTRACT(EPOCH FROM (%(expressions)s)) / 604800)::integer"

    def __init__(self, column: str, start: dt.datetime | dt.date) -> None:
        start_type = DateTimeField() if isinstance(start, dt.datetime) else DateField()
        super().__init__(F(column), Value(start, output_field=start_type))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST((julianday(%(expressions)s)) / 7 AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template=self.postgresql_template, arg_joiner=" - ", **extra
        )


def rolled_weeks(scope: ViewScope, start: dt.date) -> list[dict[str, Any]]:
    """The weekly aggregate rows from the decided-week roll-up (ADR 0057).

    Its rows are already one per department and week (two only for a
    department whose region changed), so they are read as they are and added
    up here: a GROUP BY in SQL and Django's converters cost more than the sums.
    """
    rows = DecidedWeek.objects.filter(scope.subtree(), week__gte=start).values_list(
        "department_code", "week", "region_path", "decided", "overdue", "days_sum", "days_squares"
    )
    merged: dict[tuple[str, int], dict[str, Any]] = {}
    for code, week, region, decided, overdue, days_sum, squares in rows:
        number = (week - start).days // 7
        row = merged.setdefault(
            (code, number),
            {"key": code, "week_number": number, "region": region, "decided": 0, "overdue": 0}
            | {"days_sum": 0.0, "days_squares": 0.0},
        )
        row["decided"] += decided
        row["overdue"] += overdue
        row["days_sum"] += days_sum
        row["days_squares"] += squares
        row["region"] = max(row["region"], region)
    return list(merged.values())


def department_weeks(
    scope: ViewScope, today: dt.date, weeks: int, source: str = ROLLUPS
) -> list[DepartmentWeeks]:
    """Decisions by department and week over the last ``weeks`` weeks, one GROUP BY.

    Weeks start on Monday (local time), the last one is this week; a week
    without decisions is a zero row, so positions in the list are weeks. Only
    the decisions the engine judged count.
    """
    mondays = [week_start(today) - dt.timedelta(weeks=weeks - 1 - n) for n in range(weeks)]
    rows = rolled_weeks(scope, mondays[0]) if source == ROLLUPS else raw_weeks(scope, mondays[0])
    by_department: dict[str, dict[int, Mapping[str, Any]]] = {}
    for row in rows:
        by_department.setdefault(row["key"], {})[row["week_number"]] = row
    return [
        DepartmentWeeks(
            code,
            max(row["region"] for row in weekly.values()),
            [week_figures(monday, weekly.get(n)) for n, monday in enumerate(mondays)],
        )
        for code, weekly in sorted(by_department.items())
    ]


def raw_weeks(scope: ViewScope, monday: dt.date) -> QuerySet:
    """The weekly aggregate rows from the cases themselves."""
    start = dt.datetime.combine(monday, dt.time(), tzinfo=timezone.get_current_timezone())
    days = Cast("working_days_used", FloatField())
    return (
        cases_in(scope)
        .filter(decided_at__gte=start, on_time__isnull=False, working_days_used__isnull=False)
        .annotate(key=as_expression("department_code"), week_number=WeeksSince("decided_at", start))
        .values("key", "week_number")
        .annotate(
            decided=Count("id"),
            overdue=Count("id", filter=Q(on_time=False)),
            days_sum=Sum(days),
            days_squares=Sum(days * days),
            region=Max("region_path"),
        )
        .order_by()
    )


def week_figures(monday: dt.date, row: Mapping[str, Any] | None) -> WeekFigures:
    """A week's figures from its aggregate row; a week without decisions is zeros."""
    if row is None:
        return WeekFigures(week=monday, decided=0, overdue=0)
    return WeekFigures(
        week=monday,
        decided=row["decided"],
        overdue=row["overdue"],
        days_sum=float(row["days_sum"] or 0),
        days_squares=float(row["days_squares"] or 0),
    )
