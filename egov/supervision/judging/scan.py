"""The scheduled time-limit judgement of every open case (时限扫描, issue 5 item 7).

The projection stores each open case's ``yellow_on`` (first local day of the
yellow light) and ``deadline`` (last day in time) as dates, so judging a
million open cases is a few set-based statements, never a Python loop per
case:

* light = red where ``deadline < today``, yellow where ``yellow_on <= today``,
  green otherwise; cases whose clock is suspended or stopped (and open cases
  with no deadline yet) are untouched; a case whose light changes (or that was
  never judged) gets ``light_judged_on = today``; a case whose light stands is
  not written, so a repeated scan changes nothing;
* every case past its promised (or statutory) deadline without that time-limit
  finding gets one (none if the rule evaluation at ingest already made one for
  the case), by one ``INSERT … SELECT`` per rule;
* every yellow or red case alerts its handler and the leaders of its
  department (预警提醒), one alert per person, case, level and deadline, by
  two ``INSERT … SELECT`` (see :mod:`egov.supervision.statistics.alerts`).

Everything runs in one transaction with one audit entry and one
``OpenCasesScanned`` event when anything changed. Sending the alerts by
e-mail and SMS happens after commit
(:func:`egov.supervision.statistics.notify.deliver_pending_alerts`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat, JSONObject
from django.utils import timezone

from egov.core.events import publish
from egov.core.models import RoleAssignment
from egov.core.services.audit import record_audit
from egov.supervision.judging.insert_select import insert_select
from egov.supervision.judging.rules import REGISTRY
from egov.supervision.judging.rules.time import PROMISED_OVERDUE, STATUTORY_OVERDUE
from egov.supervision.models import (
    Alert,
    Finding,
    Light,
    RuleSetting,
    ScanRun,
    SupervisedCase,
)
from egov.supervision.statistics import alerts, rollups

SYSTEM_ACTOR = "system"
TIME_RULE = PROMISED_OVERDUE  # the finding a red case gets
TIME_CATEGORY = "time"
FINDING_COLUMNS = (
    "fingerprint",
    "rule_code",
    "category",
    "severity",
    "case_number",
    "item_code",
    "department_code",
    "region_path",
    "organisation",
    "summary",
    "evidence",
    "status",
    "found_at",
)


@dataclass(frozen=True)
class ScanResult:
    """What one scan changed (all zero for a repeated scan on the same day)."""

    today: dt.date
    turned_red: int
    turned_yellow: int
    turned_green: int
    first_judged: int
    findings_created: int
    alerts_created: int

    @property
    def changed(self) -> bool:
        return any(
            (
                self.turned_red,
                self.turned_yellow,
                self.turned_green,
                self.first_judged,
                self.findings_created,
                self.alerts_created,
            )
        )


RUNNING = (Light.GREEN, Light.YELLOW, Light.RED)


def judged_cases() -> QuerySet[SupervisedCase]:
    """The open cases the scan judges: running clocks with a deadline."""
    return SupervisedCase.objects.filter(is_open=True, deadline__isnull=False, light__in=RUNNING)


def light_changes(today: dt.date) -> list[tuple[str, str, Q]]:
    """The light changes of ``today``, in order: (light before, light after, which cases).

    Every condition is a range of one partial index (``open_light_deadline``,
    ``open_light_yellow``: light, then a date), holding exactly the cases whose
    light is wrong for ``today``: a daily scan reads those rows and no others.
    Ranges are closed on both ends (``date.min``/``date.max``) so that SQLite's
    planner, which guesses a one-sided range keeps a quarter of the rows, picks
    the index of the date compared with today. Red first, so the yellow and
    green conditions need not repeat ``deadline >= today`` for green or yellow
    cases (a case with a ``yellow_on`` always has a ``deadline``).
    """
    past = Q(deadline__range=(dt.date.min, today - dt.timedelta(days=1)))
    in_time = Q(deadline__range=(today, dt.date.max))
    yellow_by_now = Q(yellow_on__range=(dt.date.min, today))
    later = Q(yellow_on__range=(today + dt.timedelta(days=1), dt.date.max))
    no_yellow = Q(yellow_on__isnull=True, deadline__isnull=False)
    return [
        (Light.GREEN, Light.RED, past),
        (Light.YELLOW, Light.RED, past),
        (Light.GREEN, Light.YELLOW, yellow_by_now),
        (Light.RED, Light.YELLOW, in_time & Q(yellow_on__lte=today)),
        (Light.YELLOW, Light.GREEN, later),
        (Light.YELLOW, Light.GREEN, no_yellow),
        (Light.RED, Light.GREEN, in_time & (later | Q(yellow_on__isnull=True))),
    ]


def judge_lights(today: dt.date) -> dict[str, int]:
    """Set each judged case's light for ``today``: the cases that changed light, by light.

    A case whose light changes gets ``light_judged_on = today``; a case never
    judged before whose light was already right is dated too (count under
    ``"first_judged"``). A case whose light stands is not written: re-dating a
    million unchanged rows every day would rewrite (and lock) the whole table
    for minutes on PostgreSQL, so ``light_judged_on`` is the day the current
    light was set, and the scan's own date is in its audit entry and event.
    The open-light roll-up follows the changes (:mod:`egov.supervision.statistics.rollups`).
    """
    never = judged_cases().filter(light_judged_on__isnull=True)
    bulk = never.exists()  # after a bulk import: each new case written once, then a recount
    turned: dict[str, int] = dict.fromkeys(RUNNING, 0)
    turned = judge_never_judged(never, today) if bulk else turned | {"first_judged": 0}
    moves: list[dict[str, object]] = []
    for was, now, condition in light_changes(today):
        cases = SupervisedCase.objects.filter(condition, is_open=True, light=was)
        if not bulk:
            moves += [
                row | {"was": was, "now": now}
                for row in cases.values(*rollups.OPEN_KEY).annotate(n=Count("id")).order_by()
            ]
        turned[now] += cases.update(light=now, light_judged_on=today)
    if bulk:
        rollups.rebuild_open_lights()
        forget_never_judged()
    else:
        rollups.apply_light_changes(moves)
    return turned


def light_on(today: dt.date) -> Case:
    """A case's light for ``today`` from its stored dates, in SQL (as ``judge_light``)."""
    return Case(
        When(deadline__lt=today, then=Value(Light.RED)),
        When(yellow_on__lte=today, then=Value(Light.YELLOW)),
        default=Value(Light.GREEN),
        output_field=CharField(),
    )


def judge_never_judged(never: QuerySet[SupervisedCase], today: dt.date) -> dict[str, int]:
    """Judge the cases never judged (a bulk import) by one UPDATE each, not one per change.

    The seven light changes would write a case that changes light twice (its
    light, then its date); here each case is written once, its light computed
    by a CASE. The counts come from one GROUP BY over the same rows before.
    """
    turned: dict[str, int] = dict.fromkeys(RUNNING, 0) | {"first_judged": 0}
    grouped = never.annotate(_now=light_on(today)).values("light", "_now").annotate(n=Count("id"))
    for row in grouped.order_by():
        key = "first_judged" if row["light"] == row["_now"] else row["_now"]
        turned[key] += row["n"]
    never.update(light=light_on(today), light_judged_on=today)
    return turned


def forget_never_judged() -> None:
    """SQLite: re-sample the now empty index of never-judged cases after a bulk judgement.

    Its statistics from before (every case) would keep the planner from using
    it, and each later scan would read the whole table to find no such case.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE open_never_judged")


@dataclass(frozen=True)
class TimeRule:
    """A time-limit rule the scan finds set-based: its code, its date column, its words."""

    code: str
    column: str
    label: str
    limit_column: str


TIME_RULES = (
    TimeRule(PROMISED_OVERDUE, "deadline", "承诺期限", "promised_limit_days"),
    TimeRule(STATUTORY_OVERDUE, "statutory_deadline", "法定期限", "statutory_limit_days"),
)


def rule_scope(code: str) -> Q | None:
    """The cases for which rule ``code`` is switched on (item > department > province).

    None when it is off everywhere. Read from :class:`RuleSetting`, as the rule
    evaluation resolves it; parameters are not applied (the light is the test).
    """
    rows = list(
        RuleSetting.objects.filter(rule_code=code).values_list(
            "department_code", "item_code", "enabled"
        )
    )
    province = next((on for dept, item, on in rows if not dept and not item), True)
    items = {item: on for _, item, on in rows if item}
    departments = {dept: on for dept, item, on in rows if dept and not item}
    by_item_on = Q(item_code__in=[i for i, on in items.items() if on])
    no_item = ~Q(item_code__in=list(items))
    by_department_on = Q(department_code__in=[d for d, on in departments.items() if on])
    no_department = ~Q(department_code__in=list(departments))
    scope = by_item_on | (no_item & by_department_on)
    if province:
        scope |= no_item & no_department
    if not province and not any(items.values()) and not any(departments.values()):
        return None
    return scope


def time_findings_query(
    rule: TimeRule, today: dt.date, now: dt.datetime, since: Since | None = None
) -> QuerySet:
    """One finding row per open case past ``rule``'s date that has none for this rule yet.

    With ``since`` (what changed since the previous scan), only the cases that
    passed the date since that scan's day, or that changed since that scan,
    are looked at: the others were looked at by an earlier scan.
    """
    date_text = Cast(rule.column, CharField())
    fingerprint = Concat(
        Value(f"{rule.code}:"), "case_number", Value(":"), date_text, output_field=CharField()
    )
    summary = Concat(
        Value("办件 "),
        "case_number",
        Value(f" 超过{rule.label} "),
        date_text,
        Value(" 仍未办结"),
        output_field=CharField(),
    )
    evidence = JSONObject(
        deadline=date_text,
        yellow_on=Cast("yellow_on", CharField()),
        judged_on=Value(today.isoformat()),
        limit_days=rule.limit_column,
        status="status",
        source=Value("scan"),
    )
    # One finding per case and rule, whichever path made it first (this scan, or the
    # rule evaluation at ingest, whose fingerprint is a digest): match on rule and case.
    existing = Finding.objects.filter(rule_code=rule.code, case_number=OuterRef("case_number"))
    registered = REGISTRY.get(rule.code)
    cases = judged_cases().filter(**{f"{rule.column}__lt": today})
    if since is not None:
        passed = Q(**{f"{rule.column}__range": (since.day, today - dt.timedelta(days=1))})
        if rule.column == "deadline":  # its index is (light, deadline)
            passed &= Q(light__in=RUNNING)
        cases = cases.filter(since.among(passed))
    return (
        cases.annotate(
            _fingerprint=fingerprint,
            _rule=Value(rule.code),
            _category=Value(TIME_CATEGORY),
            _severity=Value(registered.severity if registered else "red"),
            _summary=summary,
            _evidence=evidence,
            _status=Value(Finding.Status.OPEN),
            _found_at=Value(now),
        )
        .filter(~Exists(existing))
        .values_list(
            "_fingerprint",
            "_rule",
            "_category",
            "_severity",
            "case_number",
            "item_code",
            "department_code",
            "region_path",
            "organisation_id",
            "_summary",
            "_evidence",
            "_status",
            "_found_at",
        )
    )


def record_time_findings(today: dt.date, now: dt.datetime, since: Since | None = None) -> int:
    """Insert the missing time-limit findings of overdue cases; how many were inserted."""
    created = 0
    for rule in TIME_RULES:
        scope = rule_scope(rule.code)
        if scope is not None:
            query = time_findings_query(rule, today, now, since).filter(scope)
            created += insert_select(Finding, FINDING_COLUMNS, query)
    return created


def refresh_statistics(*, lights_changed: bool = True) -> None:
    """On PostgreSQL, sample the three tables again before the anti-joins (plain: nests).

    The lights just changed in this transaction and autovacuum has not seen the
    findings and alerts of the last scan yet: with statistics from before, the
    planner believes there are no red cases and no alerts, and picks a nested
    loop that reads every alert for every case (minutes instead of seconds on
    a million cases). ``ANALYZE`` samples a fixed number of rows (under a
    second) and runs inside the transaction; SQLite probes the unique indexes
    whatever its statistics say. The leaders' role assignments are sampled too:
    believing a department has no leader, the planner drives the leaders' alerts
    from every case of the leaders' departments instead of the changed cases.
    JIT compilation is switched off for the transaction: the scan's statements
    are index probes, and compiling them took longer than running them (1.1 of
    1.9 s for the handlers' alerts at 1,000,000 cases, ADR 0056). A scan that
    changed no light samples nothing (3 of its 11 s at 1,000,000 cases): its
    probes start from the few cases the projection rebuilt.
    """
    if connection.vendor != "postgresql":
        return
    models = (SupervisedCase, Finding, Alert, RoleAssignment)
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        if lights_changed:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


# A projection write stamps ``rebuilt_at`` before its transaction commits, on its own
# server's clock: a write that committed only after the previous scan had read the cases
# (an ingest batch commits within seconds) is looked at again by the next scan.
COMMIT_MARGIN = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class Since:
    """What changed since the previous scan: its day, and which cases to look at again.

    ``changed``: conditions each of which one partial index on open cases
    answers (``open_rebuilt_at``, ``open_judged_on``).
    """

    day: dt.date
    changed: tuple[Q, ...]

    def among(self, *more: Q) -> Q:
        """The cases changed (or meeting one of ``more``), as ``pk IN (… UNION …)``.

        A union of index lookups drives the probe from the few changed cases:
        as one ``OR`` beside the light, both planners read every lit case.
        """
        first, *rest = (
            SupervisedCase.objects.filter(part, is_open=True).values("pk")
            for part in (*self.changed, *more)
        )
        return Q(pk__in=first.union(*rest) if rest else first)


def since_previous_scan(today: dt.date, relit: bool) -> Since | None:
    """The cases changed since the latest scan, if none was for a later day (else None).

    Changed: rebuilt by the projection since that scan began (``rebuilt_at``,
    less :data:`COMMIT_MARGIN`), and, when this scan changed lights
    (``relit``), the cases whose light was set today. A case the previous
    scan lit is not looked at again, so a repeated scan probes nothing and
    the next day's probes only the day's changes. None (no scan yet, or a scan
    as of an earlier day) makes the scan look at every case.
    """
    latest = ScanRun.objects.order_by("-day").values_list("day", "scanned_at").first()
    if latest is None or latest[0] > today:
        return None
    day, scanned_at = latest
    changed = [Q(rebuilt_at__gte=scanned_at - COMMIT_MARGIN)]
    if relit:
        changed.append(Q(light_judged_on=today))
    return Since(day=day, changed=tuple(changed))


def scan(today: dt.date | None = None) -> ScanResult:
    """Judge every open case's light for ``today`` (local date by default) (时限扫描).

    Idempotent: a second scan on the same day writes nothing. Returns the counts.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    with transaction.atomic(durable=True):
        turned = judge_lights(today)
        relit = any(turned.values())
        since = since_previous_scan(today, relit=relit)
        refresh_statistics(lights_changed=relit or since is None)
        findings = record_time_findings(today, now, since)
        alerted = alerts.record_light_alerts(now, changed=None if since is None else since.among())
        ScanRun.objects.update_or_create(day=today, defaults={"scanned_at": now})
        result = ScanResult(
            today=today,
            turned_red=turned[Light.RED],
            turned_yellow=turned[Light.YELLOW],
            turned_green=turned[Light.GREEN],
            first_judged=turned["first_judged"],
            findings_created=findings,
            alerts_created=alerted,
        )
        if result.changed:
            report(result)
    return result


def report(result: ScanResult) -> None:
    """The scan's audit entry and its event."""
    summary = (
        f"时限扫描 {result.today}：转红 {result.turned_red}，转黄 {result.turned_yellow}，"
        f"转绿 {result.turned_green}，新增发现 {result.findings_created}，"
        f"新增提醒 {result.alerts_created}"
    )
    record_audit(
        actor=SYSTEM_ACTOR,
        action="supervision.scan",
        object_type="supervision.SupervisedCase",
        object_id=result.today.isoformat(),
        summary=summary,
    )
    payload = asdict(result) | {"today": result.today.isoformat()}
    publish("OpenCasesScanned", payload, aggregate=f"scan:{result.today.isoformat()}")


@dataclass(frozen=True)
class ScheduledRun:
    """What the scheduled job did: the scan, new cards, overdue notices, alerts sent."""

    scan: ScanResult
    cards_issued: int
    overdue_notice_alerts: int
    alerts_sent: int


def scheduled_scan(today: dt.date | None = None) -> ScheduledRun:
    """The periodic job (huey task and ``egov supervision scan``): scan, cards, then send.

    Each step is its own transaction; the alerts are sent after they are committed.
    """
    from egov.supervision.findings.cards import issue_department_cards
    from egov.supervision.statistics.notify import deliver_pending_alerts

    today = today or timezone.localdate()
    result = scan(today)
    cards = issue_department_cards(today=today)
    with transaction.atomic(durable=True):
        overdue = alerts.record_overdue_notice_alerts(today)
    delivery = deliver_pending_alerts()
    return ScheduledRun(
        scan=result,
        cards_issued=len(cards),
        overdue_notice_alerts=overdue,
        alerts_sent=delivery.alerts,
    )
