"""New incidents are e-mailed once to the administrators and auditors whose scope holds them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from egov.core.models import User
from egov.core.testing import shanghai
from egov.monitoring.notify import notify_pending_incidents
from egov.monitoring.services import correlate_security_events
from egov.monitoring.tests.support import fail_login, make_incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailboxes(
    auditor_province: User, auditor_harbin: User, admin_harbin: User, ra_officer_province: User
) -> None:
    for user in (auditor_province, auditor_harbin, admin_harbin, ra_officer_province):
        User.objects.filter(pk=user.pk).update(email=f"{user.username}@hlj.example")


def test_an_incident_in_harbin_goes_to_harbins_and_the_provinces_overseers(
    mailboxes: None,
) -> None:
    make_incident("admin_x", organisation_code="230102-GOV")
    make_incident("admin_q", organisation_code="230200-GOV")
    mail.outbox.clear()

    assert notify_pending_incidents() == 2

    by_subject = {message.subject: sorted(message.to) for message in mail.outbox}
    assert by_subject["【安全事件】privileged sign-in of admin_x at 23:40"] == [
        "admin_harbin@hlj.example",
        "auditor_harbin@hlj.example",
        "auditor_province@hlj.example",
    ]
    assert by_subject["【安全事件】privileged sign-in of admin_q at 23:40"] == [
        "auditor_province@hlj.example"
    ]


def test_an_incident_with_no_organisation_goes_to_the_provincial_level(mailboxes: None) -> None:
    make_incident("198.51.100.7", rule_code="brute_force.accounts_from_one_address")
    mail.outbox.clear()

    notify_pending_incidents()

    [message] = mail.outbox
    assert message.to == ["auditor_province@hlj.example"]
    assert "198.51.100.7" in message.body


def test_each_incident_is_sent_once(mailboxes: None) -> None:
    make_incident("admin_x", organisation_code="230102-GOV")
    mail.outbox.clear()

    notify_pending_incidents()
    notify_pending_incidents()

    assert len(mail.outbox) == 1


def test_a_correlation_run_sends_its_new_incidents(mailboxes: None, time_machine: Any) -> None:
    time_machine.move_to(shanghai(2026, 11, 26, 10, 0), tick=False)
    for n in range(5):
        fail_login(f"guess{n}", "198.51.100.7")
    mail.outbox.clear()
    time_machine.move_to(shanghai(2026, 11, 26, 10, 5), tick=False)

    run = correlate_security_events()

    [incident] = [i for i in run.opened if i.subject == "198.51.100.7"]
    incident.refresh_from_db()
    assert incident.notified_at is not None
    [message] = [m for m in mail.outbox if "198.51.100.7" in m.subject]
    assert message.to == ["auditor_province@hlj.example"]


def test_a_mail_server_failure_leaves_the_incident_to_send_again(
    mailboxes: None, settings: Any
) -> None:
    incident = make_incident("admin_x", organisation_code="230102-GOV")
    settings.EMAIL_BACKEND = "egov.monitoring.tests.support.BrokenMailBackend"

    assert notify_pending_incidents() == 0

    incident.refresh_from_db()
    assert incident.notified_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    assert notify_pending_incidents() == 1
