"""The periodic scan (huey): every 15 minutes and at 00:05, scan, cards, overdue notices, send."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import override_settings
from huey.contrib.djhuey import HUEY

from egov.core.testing import make_staff, shanghai
from egov.supervision.findings import handling as findings
from egov.supervision.judging.scan import scheduled_scan
from egov.supervision.models import Alert, DepartmentCard, Finding, Light, SupervisedCase
from egov.supervision.tasks import scan_open_cases_periodically
from egov.supervision.tests.lit_cases import make_finding, open_case

pytestmark = pytest.mark.django_db


def test_the_schedule_runs_every_15_minutes_and_at_0005() -> None:
    task_class = scan_open_cases_periodically.task_class

    def due(at: dt.datetime) -> bool:
        return any(isinstance(task, task_class) for task in HUEY.read_periodic(at))

    midnight = dt.datetime(2026, 10, 12, 0, 0)
    assert [m for m in range(60) if due(midnight + dt.timedelta(minutes=m))] == [5, 20, 35, 50]


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_the_task_scans_issues_cards_and_sends(regions: None, time_machine) -> None:
    time_machine.move_to(shanghai(2026, 11, 30, 9))
    handler = make_staff("clerk_market_zhao", "230102-SCJG")
    handler.email = "zhao@example.gov.cn"
    handler.save(update_fields=["email"])
    today = dt.date(2026, 11, 30)
    for _ in range(3):
        open_case(
            accepted_on=today - dt.timedelta(days=40), limit_days=5, handler="clerk_market_zhao"
        )
    result = scan_open_cases_periodically.call_local()
    assert result["scan"]["turned_red"] == 3
    assert SupervisedCase.objects.filter(light=Light.RED).count() == 3
    assert Finding.objects.filter(severity="red").count() == 3
    assert DepartmentCard.objects.filter(colour="yellow").count() == 1
    assert result["cards_issued"] == 1
    assert result["alerts_sent"] == 3
    assert len(mail.outbox) == 3


def test_issuers_are_alerted_of_overdue_notices_once(supervisor_harbin) -> None:
    notice = findings.issue_notice(
        actor=supervisor_harbin, finding_id=make_finding().pk, due_days=1, instructions="说明"
    )
    scheduled_scan(notice.due_on)
    assert not Alert.objects.filter(kind="notice_overdue").exists()
    later = notice.due_on + dt.timedelta(days=1)
    run = scheduled_scan(later)
    assert run.overdue_notice_alerts == 1
    alert = Alert.objects.get(kind="notice_overdue")
    assert alert.recipient == supervisor_harbin
    assert notice.number in alert.message
    assert scheduled_scan(later).overdue_notice_alerts == 0
    assert Alert.objects.filter(kind="notice_overdue").count() == 1
