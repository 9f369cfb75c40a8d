"""The scheduled time-limit judgement of every open case (时限扫描, issue 5 item 7).

The projection stores each open case's ``yellow_on`` (first local day of the
yellow light) and ``deadline`` (last day in time) as dates, so judging a
million open cases is a few set-based statements, never a Python loop per
case:

* light = red where ``deadline < today``, yellow where ``yellow_on <= today``,
  green otherwise; cases whose clock is suspended or stopped (and open cases
  with no deadline yet) are untouched; every judged case gets
  ``light_judged_on = today``; a row already judged today with the right light
  is not written again, so a repeated scan changes nothing;
* every red case without a time-limit finding gets one
  (``time.promised_overdue``; none if the rule evaluation at ingest already
  made one for the case), by one ``INSERT … SELECT``;
* every yellow or red case alerts its handler and the leaders of its
  department (预警提醒), one alert per person, case, level and deadline, by
  two ``INSERT … SELECT`` (see :mod:`egov.supervision.alerts`).

Everything runs in one transaction with one audit entry and one
``OpenCasesScanned`` event when anything changed. Sending the alerts by
e-mail and SMS happens after commit (:func:`egov.supervision.notify.deliver_pending_alerts`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat, JSONObject
from django.utils import timezone

from egov.core.events import publish
from egov.core.services.audit import record_audit
from egov.supervision import alerts
from egov.supervision.insert_select import insert_select
from egov.supervision.models import Finding, Light, SupervisedCase

SYSTEM_ACTOR = "system"
TIME_RULE = "time.promised_overdue"  # the rule whose finding a red case gets (S2's rules/time)
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
    rejudged: int
    findings_created: int
    alerts_created: int

    @property
    def changed(self) -> bool:
        return any(
            (
                self.turned_red,
                self.turned_yellow,
                self.turned_green,
                self.rejudged,
                self.findings_created,
                self.alerts_created,
            )
        )


def judged_cases() -> QuerySet[SupervisedCase]:
    """The open cases the scan judges: running clocks with a deadline."""
    return SupervisedCase.objects.filter(is_open=True, deadline__isnull=False).exclude(
        light__in=(Light.SUSPENDED, Light.STOPPED)
    )


def light_conditions(today: dt.date) -> dict[str, Q]:
    """Which judged cases get which light on ``today``."""
    in_time = Q(deadline__gte=today)
    return {
        Light.RED: Q(deadline__lt=today),
        Light.YELLOW: in_time & Q(yellow_on__lte=today),
        Light.GREEN: in_time & (Q(yellow_on__gt=today) | Q(yellow_on__isnull=True)),
    }


def judge_lights(today: dt.date) -> dict[str, int]:
    """Set each judged case's light for ``today``: the cases that changed light, by light.

    Then mark every judged case not yet judged today (its light was already
    right) with ``light_judged_on = today``; that count is under ``"rejudged"``.
    """
    turned = {}
    for light, condition in light_conditions(today).items():
        turned[light] = (
            judged_cases()
            .filter(condition)
            .exclude(light=light)
            .update(light=light, light_judged_on=today)
        )
    turned["rejudged"] = judged_cases().exclude(light_judged_on=today).update(light_judged_on=today)
    return turned


def time_findings_query(today: dt.date, now: dt.datetime) -> QuerySet:
    """One time-limit finding row per red case that has none for its deadline yet."""
    deadline_text = Cast("deadline", CharField())
    fingerprint = Concat(
        Value(f"{TIME_RULE}:"), "case_number", Value(":"), deadline_text, output_field=CharField()
    )
    summary = Concat(
        Value("办件 "),
        "case_number",
        Value(" 超过承诺期限 "),
        deadline_text,
        Value(" 仍未办结"),
        output_field=CharField(),
    )
    evidence = JSONObject(
        deadline=deadline_text,
        yellow_on=Cast("yellow_on", CharField()),
        judged_on=Value(today.isoformat()),
        promised_limit_days=Cast("promised_limit_days", CharField()),
        status="status",
        source=Value("scan"),
    )
    # One time-limit finding per case, whichever path made it first (this scan, or the
    # rule evaluation at ingest, whose fingerprint is a digest): match on rule and case.
    existing = Finding.objects.filter(rule_code=TIME_RULE, case_number=OuterRef("case_number"))
    return (
        judged_cases()
        .filter(light=Light.RED, deadline__lt=today)
        .annotate(
            _fingerprint=fingerprint,
            _rule=Value(TIME_RULE),
            _category=Value(TIME_CATEGORY),
            _severity=Value("red"),
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


def record_time_findings(today: dt.date, now: dt.datetime) -> int:
    """Insert the missing time-limit findings of red cases; how many were inserted."""
    return insert_select(Finding, FINDING_COLUMNS, time_findings_query(today, now))


def scan(today: dt.date | None = None) -> ScanResult:
    """Judge every open case's light for ``today`` (local date by default) (时限扫描).

    Idempotent: a second scan on the same day writes nothing. Returns the counts.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    with transaction.atomic(durable=True):
        turned = judge_lights(today)
        findings = record_time_findings(today, now)
        alerted = alerts.record_light_alerts(now)
        result = ScanResult(
            today=today,
            turned_red=turned[Light.RED],
            turned_yellow=turned[Light.YELLOW],
            turned_green=turned[Light.GREEN],
            rejudged=turned["rejudged"],
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
    from egov.supervision.cards import issue_department_cards
    from egov.supervision.notify import deliver_pending_alerts

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
