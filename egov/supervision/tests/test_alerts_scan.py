"""A case turning yellow or red alerts its handler and its department's leaders (预警提醒)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import override_settings

from egov.core.models import StaffProfile
from egov.core.selectors.calendar import add_working_days
from egov.core.testing import make_staff
from egov.supervision.judging.scan import scan
from egov.supervision.models import Alert
from egov.supervision.statistics import notify
from egov.supervision.statistics.alerts import mark_read, my_alerts, unread_count
from egov.supervision.tests.lit_cases import open_case

pytestmark = pytest.mark.django_db

ACCEPTED = dt.date(2026, 9, 25)
MEMORY_SMS = "egov.supervision.statistics.notify.MemorySmsBackend"


@pytest.fixture
def people(regions: None) -> dict:
    handler = make_staff("clerk_market_wang", "230102-SCJG", roles=["clerk"])
    handler.email = "wang@example.gov.cn"
    handler.save(update_fields=["email"])
    StaffProfile.objects.filter(user=handler).update(phone="13800000001")
    leader = make_staff("leader_market_li", "230102-SCJG", roles=["leader"])
    other_leader = make_staff("leader_qiqihar", "230200-SCJG", roles=["leader"])
    return {"handler": handler, "leader": leader, "other": other_leader}


@pytest.fixture(autouse=True)
def memory_sms() -> None:
    notify.MemorySmsBackend.outbox.clear()


def test_yellow_alerts_handler_and_leader_then_red_alerts_them_again(people: dict) -> None:
    case = open_case(accepted_on=ACCEPTED, limit_days=5, handler="clerk_market_wang")
    scan(case.yellow_on)
    yellow = Alert.objects.filter(level="yellow")
    assert {a.recipient.username for a in yellow} == {"clerk_market_wang", "leader_market_li"}
    assert all(a.case_number == case.case_number for a in yellow)
    assert all("黄灯" in a.message for a in yellow)

    scan(case.yellow_on)  # again the same day: no duplicate
    assert Alert.objects.count() == 2

    scan(case.deadline + dt.timedelta(days=1))
    red = Alert.objects.filter(level="red")
    assert {a.recipient.username for a in red} == {"clerk_market_wang", "leader_market_li"}
    assert Alert.objects.count() == 4
    assert not Alert.objects.filter(recipient=people["other"]).exists()


def test_a_case_that_goes_straight_to_red_alerts_red_only(people: dict) -> None:
    case = open_case(accepted_on=ACCEPTED, limit_days=5, handler="clerk_market_wang")
    scan(case.deadline + dt.timedelta(days=3))
    assert set(Alert.objects.values_list("level", flat=True)) == {"red"}


def test_unknown_or_inactive_handler_gets_nothing_leaders_still_do(people: dict) -> None:
    open_case(accepted_on=ACCEPTED, limit_days=5, handler="nobody_by_that_name")
    make_staff("clerk_gone", "230102-SCJG", is_active=False)
    open_case(accepted_on=ACCEPTED, limit_days=5, handler="clerk_gone")
    scan(add_working_days(ACCEPTED, 9))
    assert set(Alert.objects.values_list("recipient__username", flat=True)) == {"leader_market_li"}
    assert Alert.objects.count() == 2


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", EGOV_SMS_BACKEND=MEMORY_SMS
)
def test_alerts_are_sent_by_email_and_sms_once(people: dict) -> None:
    case = open_case(accepted_on=ACCEPTED, limit_days=5, handler="clerk_market_wang")
    scan(case.yellow_on)
    delivery = notify.deliver_pending_alerts()
    assert delivery.alerts == 2
    assert delivery.emails == 1  # the leader has no e-mail address
    assert delivery.sms == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["wang@example.gov.cn"]
    assert case.case_number in mail.outbox[0].body
    assert notify.MemorySmsBackend.outbox[0][0] == "13800000001"
    handler_alert = Alert.objects.get(recipient=people["handler"])
    assert handler_alert.channels == ["workbench", "email", "sms"]
    assert Alert.objects.get(recipient=people["leader"]).channels == ["workbench"]

    again = notify.deliver_pending_alerts()
    assert again.alerts == 0
    assert len(mail.outbox) == 1


@override_settings(EGOV_SMS_BACKEND="egov.supervision.statistics.notify.LoggingSmsBackend")
def test_the_default_sms_gateway_logs(people: dict, caplog: pytest.LogCaptureFixture) -> None:
    case = open_case(accepted_on=ACCEPTED, limit_days=5, handler="clerk_market_wang")
    scan(case.yellow_on)
    with caplog.at_level("INFO", logger="egov.supervision.statistics.notify"):
        notify.deliver_pending_alerts()
    assert any("13800000001" in record.getMessage() for record in caplog.records)


class FailingSms:
    def send(self, phone: str, text: str) -> None:
        raise ConnectionError("gateway down")


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    EGOV_SMS_BACKEND="egov.supervision.tests.test_alerts_scan.FailingSms",
)
def test_a_failing_gateway_does_not_stop_the_email(people: dict) -> None:
    case = open_case(accepted_on=ACCEPTED, limit_days=5, handler="clerk_market_wang")
    scan(case.yellow_on)
    notify.deliver_pending_alerts()
    assert Alert.objects.get(recipient=people["handler"]).channels == ["workbench", "email"]
    assert len(mail.outbox) == 1


def test_unread_count_and_mark_read(people: dict) -> None:
    first = open_case(accepted_on=ACCEPTED, limit_days=5, handler="clerk_market_wang")
    open_case(accepted_on=ACCEPTED, limit_days=5, handler="clerk_market_wang")
    scan(first.yellow_on)
    handler = people["handler"]
    assert unread_count(handler) == 2
    one = my_alerts(handler).first()
    assert mark_read(user=handler, alert_ids=[one.pk]) == 1
    assert unread_count(handler) == 1
    # Someone else's alert is not theirs to mark.
    leader_alert = Alert.objects.filter(recipient=people["leader"]).first()
    assert mark_read(user=handler, alert_ids=[leader_alert.pk]) == 0
    assert Alert.objects.get(pk=leader_alert.pk).read_at is None
    assert mark_read(user=handler) == 1
    assert unread_count(handler) == 0
