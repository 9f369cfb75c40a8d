"""Alerts to people (预警提醒): a case turning yellow or red alerts its handler and leaders.

A yellow case alerts its handler (``SupervisedCase.handler``, a username) and
every leader (role ``leader``) at the case's department organisation; red
alerts them again. One alert per person, case, level and deadline (the
fingerprint), so a repeated scan adds none, and a case whose deadline was
extended and that turns yellow again alerts again. The rows are written by
set-based ``INSERT … SELECT`` (one, a UNION ALL of the four kinds of rows)
inside the scan's transaction; their channels
start empty and :func:`egov.supervision.statistics.notify.deliver_pending_alerts` sends
them by e-mail and SMS after commit. The workbench page lists them at once.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import (
    CharField,
    Exists,
    F,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from egov.core.models import User
from egov.supervision.judging.insert_select import insert_select
from egov.supervision.models import Alert, Light, Severity, SupervisedCase, SupervisionNotice

KIND_CASE_LIGHT = "case_light"
KIND_NOTICE_OVERDUE = "notice_overdue"
ALERT_COLUMNS = (
    "recipient",
    "kind",
    "level",
    "case_number",
    "message",
    "fingerprint",
    "created_at",
    "channels",
)
# Keyed by the Light values (str), looked up by the level text.
MESSAGES: dict[str, tuple[str, str, str]] = {
    Light.YELLOW: ("办件 ", " 即将到期（黄灯预警），承诺期限 ", "，请抓紧办理"),
    Light.RED: ("办件 ", " 已超过承诺期限 ", "（红灯），请立即办理并说明原因"),
}


def lit_cases(level: str, changed: Q | None = None) -> QuerySet[SupervisedCase]:
    """Open, running cases showing ``level`` (yellow or red), only the ``changed`` if given."""
    cases = SupervisedCase.objects.filter(is_open=True, light=level, deadline__isnull=False)
    return cases if changed is None else cases.filter(changed)


def alert_rows(cases: QuerySet, level: str, now: dt.datetime) -> QuerySet:
    """The alert rows for ``cases`` annotated with ``_recipient``, minus those that exist."""
    deadline_text = Cast("deadline", CharField())
    fingerprint = Concat(
        "case_number",
        Value(f":{level}:"),
        Cast("_recipient", CharField()),
        Value(":"),
        deadline_text,
        output_field=CharField(),
    )
    before, middle, after = MESSAGES[level]
    message = Concat(
        Value(before),
        "case_number",
        Value(middle),
        deadline_text,
        Value(after),
        output_field=CharField(),
    )
    existing = Alert.objects.filter(fingerprint=OuterRef("_fingerprint"))
    return (
        cases.annotate(
            _kind=Value(KIND_CASE_LIGHT),
            _level=Value(level),
            _message=message,
            _fingerprint=fingerprint,
            _created_at=Value(now),
            _channels=Value([], output_field=JSONField()),
        )
        .filter(~Exists(existing))
        .values_list(
            "_recipient",
            "_kind",
            "_level",
            "case_number",
            "_message",
            "_fingerprint",
            "_created_at",
            "_channels",
        )
    )


def handler_rows(level: str, now: dt.datetime, changed: Q | None = None) -> QuerySet:
    """One row per lit case whose handler is an active user."""
    handler = User.objects.filter(username=OuterRef("handler"), is_active=True).values("pk")[:1]
    cases = (
        lit_cases(level, changed)
        .exclude(handler="")
        .annotate(_recipient=Subquery(handler))
        .filter(_recipient__isnull=False)
    )
    return alert_rows(cases, level, now)


def leader_rows(level: str, now: dt.datetime, changed: Q | None = None) -> QuerySet:
    """One row per lit case and active leader at the case's department organisation."""
    cases = lit_cases(level, changed).filter(
        organisation__role_assignments__role="leader",
        organisation__role_assignments__user__is_active=True,
    )
    cases = cases.annotate(_recipient=F("organisation__role_assignments__user_id"))
    return alert_rows(cases, level, now)


def record_light_alerts(now: dt.datetime | None = None, *, changed: Q | None = None) -> int:
    """Write the missing alerts of every yellow and red case (plain atomic: nests); how many.

    With ``changed`` (the scan's cases changed since the previous scan), only
    those cases: the others were alerted by an earlier scan.
    """
    now = now or timezone.now()
    yellow, red = Light.YELLOW, Light.RED
    # One statement: its anti-join sees the alerts as they were before it (the
    # planner's statistics are right), not alerts it is adding itself.
    rows = handler_rows(yellow, now, changed).union(
        leader_rows(yellow, now, changed),
        handler_rows(red, now, changed),
        leader_rows(red, now, changed),
        all=True,
    )
    with transaction.atomic():
        return insert_select(Alert, ALERT_COLUMNS, rows)


def record_overdue_notice_alerts(today: dt.date, now: dt.datetime | None = None) -> int:
    """Alert the issuer of every notice past its due date without a response; how many new.

    One alert per notice and due date (a notice sent back with a new due date
    that passes again alerts again).
    """
    overdue = SupervisionNotice.objects.filter(
        status__in=(SupervisionNotice.Status.SENT, SupervisionNotice.Status.REJECTED),
        due_on__lt=today,
    ).values_list("pk", "number", "due_on", "issued_by_id", "finding__case_number")
    now = now or timezone.now()
    rows = [
        Alert(
            recipient_id=issuer,
            kind=KIND_NOTICE_OVERDUE,
            level=Severity.RED,
            case_number=case_number,
            message=f"督办通知 {number} 已过反馈期限 {due_on}，部门尚未反馈",
            fingerprint=f"notice-overdue:{pk}:{due_on}",
            created_at=now,
        )
        for pk, number, due_on, issuer, case_number in overdue
    ]
    if not rows:
        return 0
    known = set(
        Alert.objects.filter(fingerprint__in=[a.fingerprint for a in rows]).values_list(
            "fingerprint", flat=True
        )
    )
    fresh = [alert for alert in rows if alert.fingerprint not in known]
    Alert.objects.bulk_create(fresh, ignore_conflicts=True)
    return len(fresh)


def my_alerts(user: User) -> QuerySet[Alert]:
    """The user's alerts, newest first (我的提醒)."""
    return Alert.objects.filter(recipient=user).order_by("read_at", "-created_at")


def unread_count(user: User) -> int:
    return Alert.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(*, user: User, alert_ids: list[int] | None = None) -> int:
    """Mark the user's alerts read (all unread when ``alert_ids`` is None); how many."""
    query = Alert.objects.filter(recipient=user, read_at__isnull=True)
    if alert_ids is not None:
        query = query.filter(pk__in=alert_ids)
    with transaction.atomic(durable=True):
        return query.update(read_at=timezone.now())
