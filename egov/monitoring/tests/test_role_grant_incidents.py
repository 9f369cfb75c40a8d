"""Role grants (privilege changes) become incidents tied to the organisation of the grant."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from egov.core.models import User
from egov.core.services.people import grant_role, revoke_role
from egov.core.testing import make_staff, shanghai
from egov.monitoring.models import Incident
from egov.monitoring.services import correlate_security_events

pytestmark = pytest.mark.django_db
RULE = "privilege.role_granted"
# Only the grant the test makes: the fixtures' own grants happen at the session's moment,
# which EGOV_TEST_TODAY may put in the same hour.
JUST_NOW = dt.timedelta(minutes=2)


def test_granting_a_privileged_role_is_a_high_incident(
    admin_province: User, time_machine: Any
) -> None:
    time_machine.move_to(shanghai(2026, 11, 26, 10, 17), tick=False)
    clerk = make_staff("clerk_promoted", "230102-GOV")  # granted clerk, before the window
    time_machine.move_to(shanghai(2026, 11, 26, 10, 40), tick=False)
    grant_role(actor=admin_province, user=clerk, role="auditor", organisation_code="230102-GOV")
    time_machine.move_to(shanghai(2026, 11, 26, 10, 41), tick=False)

    correlate_security_events(lookback=JUST_NOW)
    correlate_security_events(lookback=JUST_NOW)

    [incident] = Incident.objects.filter(rule_code=RULE, subject="clerk_promoted")
    assert incident.subject == "clerk_promoted"
    assert incident.severity == "high"
    assert incident.organisation.code == "230102-GOV"
    assert incident.evidence["granted_by"] == "admin_province"
    assert incident.evidence["role"] == "auditor"


def test_a_revocation_is_no_incident(admin_province: User, time_machine: Any) -> None:
    time_machine.move_to(shanghai(2026, 11, 26, 10, 17), tick=False)
    clerk = make_staff("clerk_demoted", "230102-GOV")  # granted clerk, before the window
    time_machine.move_to(shanghai(2026, 11, 26, 10, 40), tick=False)
    revoke_role(actor=admin_province, user=clerk, role="clerk", organisation_code="230102-GOV")
    time_machine.move_to(shanghai(2026, 11, 26, 10, 41), tick=False)

    correlate_security_events(lookback=JUST_NOW)

    assert not Incident.objects.filter(rule_code=RULE, subject="clerk_demoted").exists()
