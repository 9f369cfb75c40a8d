"""Early warnings from weekly figures (部门预警): shown per scope, sent to supervisors once."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from egov.core.models import AuditEntry, Event
from egov.core.testing import make_staff, shanghai
from egov.supervision.models import Alert
from egov.supervision.statistics import aggregates as stats
from egov.supervision.statistics.warning import OVERDUE_RATE
from egov.supervision.statistics.warning_alerts import (
    KIND_EARLY_WARNING,
    department_warnings,
    send_early_warning_alerts,
)
from egov.supervision.tests.dashboard_data import decided_in_week, make_case, rising_department

TODAY = dt.date(2026, 11, 25)  # a Wednesday: the week in progress began on the 23rd
THIS_MONDAY = dt.date(2026, 11, 23)


@pytest.fixture
def weeks(db):
    """道里区: nine calm weeks, then a week with 10 of 25 late; 齐齐哈尔: calm throughout."""
    for back in range(1, 10):
        monday = THIS_MONDAY - dt.timedelta(weeks=back)
        decided_in_week("230102-SCJG", monday, 10, 0)
        decided_in_week("230200-SCJG", monday, 10, 1)
    decided_in_week("230102-SCJG", THIS_MONDAY, 25, 10)
    decided_in_week("230200-SCJG", THIS_MONDAY, 25, 1)


def test_weekly_figures_are_consecutive_weeks(weeks, supervisor_province):
    series = stats.department_weeks(stats.viewer_scope(supervisor_province), TODAY, 10)
    daoli = next(s for s in series if s.department_code == "230102-SCJG")
    assert [w.week for w in daoli.weeks][-1] == THIS_MONDAY
    assert [w.decided for w in daoli.weeks] == [10] * 9 + [25]
    assert daoli.weeks[-1].overdue == 10
    assert daoli.weeks[-1].days_sum == 125.0
    assert daoli.weeks[-1].days_squares == 625.0
    assert daoli.region_path == "230000/230100/230102/"


def test_the_rising_department_is_warned_the_calm_one_not(weeks, supervisor_province):
    found = department_warnings(stats.viewer_scope(supervisor_province), TODAY)
    assert [(w.department_code, w.warning.kind) for w in found] == [("230102-SCJG", OVERDUE_RATE)]
    assert found[0].warning.week == THIS_MONDAY
    assert "超期率" in found[0].message


def test_a_city_sees_only_its_own_warnings(weeks, supervisor_harbin, make_staff):
    assert len(department_warnings(stats.viewer_scope(supervisor_harbin), TODAY)) == 1
    qiqihar = make_staff("supervisor_qiqihar", "230200-GOV", roles=["supervisor"])
    assert department_warnings(stats.viewer_scope(qiqihar), TODAY) == []


def test_supervisors_covering_the_department_are_alerted_once(
    weeks, supervisor_province, supervisor_harbin
):
    qiqihar = make_staff("supervisor_qiqihar", "230200-GOV", roles=["supervisor"])
    audit_before, events_before = AuditEntry.objects.count(), Event.objects.count()
    assert send_early_warning_alerts(today=TODAY) == 2
    alerts = Alert.objects.filter(kind=KIND_EARLY_WARNING)
    assert {a.recipient_id for a in alerts} == {supervisor_province.pk, supervisor_harbin.pk}
    assert not alerts.filter(recipient=qiqihar).exists()
    assert all("道里区市场监督管理局" in a.message for a in alerts)
    assert AuditEntry.objects.count() == audit_before + 1
    assert Event.objects.filter(event_type="EarlyWarningRaised").count() == 1
    assert Event.objects.count() == events_before + 1
    assert send_early_warning_alerts(today=TODAY) == 0  # again: nothing new
    assert Alert.objects.filter(kind=KIND_EARLY_WARNING).count() == 2


def test_no_warning_no_alert(db, supervisor_province):
    assert send_early_warning_alerts(today=TODAY) == 0
    assert not Alert.objects.exists()


def test_weeks_begin_on_local_monday_midnight(db, supervisor_province):
    zone = timezone.get_current_timezone()
    sunday_night = dt.datetime(2026, 11, 22, 23, 30, tzinfo=zone)  # 15:30 UTC, Sunday
    monday_morning = dt.datetime(2026, 11, 23, 0, 30, tzinfo=zone)  # 16:30 UTC, still Sunday
    for moment in (sunday_night, monday_morning):
        make_case("230102-SCJG", received=moment, decided=moment, on_time=True, days=2)
    [daoli] = stats.department_weeks(stats.viewer_scope(supervisor_province), TODAY, 3)
    assert [(w.week, w.decided) for w in daoli.weeks] == [
        (dt.date(2026, 11, 9), 0),
        (dt.date(2026, 11, 16), 1),
        (THIS_MONDAY, 1),
    ]


def test_the_command_sends_them_and_refuses_a_bad_date(weeks, supervisor_province):
    out = io.StringIO()
    call_command("supervision", "warn", "--date", TODAY.isoformat(), stdout=out)
    assert "1 new alerts" in out.getvalue()
    assert Alert.objects.get().recipient == supervisor_province
    with pytest.raises(CommandError, match="--date"):
        call_command("supervision", "warn", "--date", "25.11.2026")
    assert Alert.objects.count() == 1


def test_the_daily_task_is_the_same_job(db, supervisor_province, time_machine):
    from egov.supervision.tasks import send_early_warning_alerts_daily

    time_machine.move_to(shanghai(TODAY.year, TODAY.month, TODAY.day, 18))
    rising_department(stats.week_start(timezone.localdate()))  # the task tests today's weeks
    assert send_early_warning_alerts_daily.call_local() == 1
    assert Alert.objects.get().kind == KIND_EARLY_WARNING
