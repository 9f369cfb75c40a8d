"""Privileged sign-ins at odd hours (Beijing time) or from a new address become incidents."""

from __future__ import annotations

from typing import Any

import pytest

from egov.core.models import User
from egov.core.testing import shanghai
from egov.monitoring.models import Incident
from egov.monitoring.services import correlate_security_events
from egov.monitoring.tests.support import signed_in

pytestmark = pytest.mark.django_db
ODD = "sign_in.privileged_odd_hours"
NEW = "sign_in.privileged_new_address"


def opened(rule: str) -> list[Incident]:
    return list(Incident.objects.filter(rule_code=rule).order_by("pk"))


def test_a_late_night_admin_sign_in_is_an_incident_in_the_admins_scope(
    admin_harbin: User, time_machine: Any
) -> None:
    late = shanghai(2026, 11, 26, 23, 40)
    signed_in(admin_harbin, "192.0.2.10", late)
    time_machine.move_to(shanghai(2026, 11, 26, 23, 45), tick=False)

    correlate_security_events()
    correlate_security_events()

    [incident] = opened(ODD)
    assert incident.subject == "admin_harbin"
    assert incident.organisation.code == "230100-GOV"
    assert incident.window_start == late
    assert incident.evidence["odd_hours"] == "22-6"


def test_a_daytime_sign_in_or_a_clerk_at_night_is_not(
    admin_harbin: User, clerk_harbin: User, time_machine: Any
) -> None:
    signed_in(admin_harbin, "192.0.2.10", shanghai(2026, 11, 26, 9, 30))
    signed_in(clerk_harbin, "192.0.2.10", shanghai(2026, 11, 26, 9, 40), privileged=False)
    time_machine.move_to(shanghai(2026, 11, 26, 10, 0), tick=False)

    correlate_security_events()

    assert opened(ODD) == []


def test_the_odd_hours_are_a_setting(admin_harbin: User, settings: Any, time_machine: Any) -> None:
    settings.EGOV_MONITORING_ODD_HOURS = "12-14"
    signed_in(admin_harbin, "192.0.2.10", shanghai(2026, 11, 26, 12, 30))
    time_machine.move_to(shanghai(2026, 11, 26, 13, 0), tick=False)

    correlate_security_events()

    assert len(opened(ODD)) == 1


def test_a_sign_in_from_an_address_never_used_before_is_an_incident(
    admin_harbin: User, time_machine: Any
) -> None:
    signed_in(admin_harbin, "192.0.2.10", shanghai(2026, 11, 20, 9, 0))
    signed_in(admin_harbin, "192.0.2.10", shanghai(2026, 11, 26, 9, 0))
    signed_in(admin_harbin, "203.0.113.50", shanghai(2026, 11, 26, 9, 30))
    signed_in(admin_harbin, "203.0.113.50", shanghai(2026, 11, 26, 9, 50))  # now known
    time_machine.move_to(shanghai(2026, 11, 26, 10, 0), tick=False)

    correlate_security_events()
    correlate_security_events()

    [incident] = opened(NEW)
    assert incident.evidence["ip_address"] == "203.0.113.50"
    assert incident.evidence["addresses_seen_before"] == ["192.0.2.10"]
    assert incident.severity == "high"


def test_a_first_ever_sign_in_is_not_from_a_new_address(
    admin_harbin: User, time_machine: Any
) -> None:
    signed_in(admin_harbin, "203.0.113.50", shanghai(2026, 11, 26, 9, 30))
    time_machine.move_to(shanghai(2026, 11, 26, 10, 0), tick=False)

    correlate_security_events()

    assert opened(NEW) == []
