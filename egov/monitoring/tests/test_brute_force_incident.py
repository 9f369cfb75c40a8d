"""Failed logins for many accounts from one address become one incident, once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from egov.core.models import AuditEntry
from egov.core.testing import shanghai
from egov.monitoring.models import Incident
from egov.monitoring.services import correlate_security_events
from egov.monitoring.tests.support import fail_login

pytestmark = pytest.mark.django_db
RULE = "brute_force.accounts_from_one_address"
ATTACKER = "198.51.100.7"


def brute_force_incidents() -> list[Incident]:
    return list(Incident.objects.filter(rule_code=RULE))


def test_failed_logins_on_the_staff_entrance_open_an_incident(
    client: Client, time_machine: Any
) -> None:
    time_machine.move_to(shanghai(2026, 11, 26, 10, 0), tick=False)
    for n in range(5):
        client.post(
            "/login/", {"username": f"guess{n}", "password": "wrong-pass-1"}, REMOTE_ADDR=ATTACKER
        )
    time_machine.move_to(shanghai(2026, 11, 26, 10, 5), tick=False)

    run = correlate_security_events()

    [incident] = brute_force_incidents()
    assert run.opened == [incident]
    assert incident.subject == ATTACKER
    assert incident.status == "open"
    assert incident.organisation is None
    assert incident.evidence["usernames"] == [f"guess{n}" for n in range(5)]
    audit = AuditEntry.objects.filter(
        action="monitoring.incident_opened", object_id=str(incident.pk)
    )
    assert audit.get().actor == "system"


def test_running_again_adds_nothing(time_machine: Any) -> None:
    time_machine.move_to(shanghai(2026, 11, 26, 10, 0), tick=False)
    for n in range(5):
        fail_login(f"guess{n}", ATTACKER)
    time_machine.move_to(shanghai(2026, 11, 26, 10, 5), tick=False)
    correlate_security_events()
    audit_before = AuditEntry.objects.count()

    again = correlate_security_events()

    assert again.opened == []
    assert len(brute_force_incidents()) == 1
    assert AuditEntry.objects.count() == audit_before


def test_a_continuing_attack_or_a_shifted_lookback_adds_nothing(time_machine: Any) -> None:
    time_machine.move_to(shanghai(2026, 11, 26, 10, 0), tick=False)
    for n in range(5):
        fail_login(f"guess{n}", ATTACKER)
    correlate_security_events()
    for minute in range(1, 40):  # the attack goes on, a new name every minute
        time_machine.move_to(shanghai(2026, 11, 26, 10, minute), tick=False)
        fail_login(f"later{minute}", ATTACKER)
    time_machine.move_to(shanghai(2026, 11, 26, 10, 45), tick=False)

    correlate_security_events()  # the burst now starts in the same place, but ends later
    correlate_security_events(lookback=dt.timedelta(minutes=30))  # starts inside the burst

    assert len(brute_force_incidents()) == 1


def test_a_new_burst_after_a_quiet_spell_is_a_new_incident(time_machine: Any) -> None:
    for hour in (10, 12):
        time_machine.move_to(shanghai(2026, 11, 26, hour, 0), tick=False)
        for n in range(5):
            fail_login(f"guess{n}", ATTACKER)
        time_machine.move_to(shanghai(2026, 11, 26, hour, 5), tick=False)
        correlate_security_events()

    assert len(brute_force_incidents()) == 2


def test_a_few_mistyped_passwords_open_nothing(time_machine: Any) -> None:
    time_machine.move_to(shanghai(2026, 11, 26, 10, 0), tick=False)
    for name in ("clerk_a", "clerk_a", "clerk_b", "clerk_c", "clerk_d"):
        fail_login(name, "192.0.2.44")  # four accounts behind one office NAT
    time_machine.move_to(shanghai(2026, 11, 26, 10, 5), tick=False)

    correlate_security_events()

    assert brute_force_incidents() == []
