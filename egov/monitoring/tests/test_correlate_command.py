"""``egov monitoring correlate`` runs the correlation once and reports what it opened."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from egov.core.testing import shanghai
from egov.monitoring.models import Incident
from egov.monitoring.tasks import correlate_security_events_every_five_minutes
from egov.monitoring.tests.support import fail_login

pytestmark = pytest.mark.django_db


def correlate(*args: str) -> str:
    out = StringIO()
    call_command("monitoring", "correlate", *args, stdout=out)
    return out.getvalue()


def brute_force_count() -> int:
    return Incident.objects.filter(rule_code="brute_force.accounts_from_one_address").count()


def test_the_command_opens_incidents_once(time_machine: Any) -> None:
    time_machine.move_to(shanghai(2026, 11, 26, 7, 0), tick=False)
    for n in range(6):
        fail_login(f"guess{n}", "198.51.100.7")
    time_machine.move_to(shanghai(2026, 11, 26, 10, 0), tick=False)

    correlate()  # the default hour back: the failures are three hours old
    assert brute_force_count() == 0

    first = correlate("--hours", "4")
    second = correlate("--hours", "4")

    assert brute_force_count() == 1
    assert "brute_force.accounts_from_one_address 198.51.100.7" in first
    assert "0 new incidents" in second


@pytest.mark.parametrize("hours", ["0", "-1", "1000"])
def test_a_bad_period_is_refused(hours: str) -> None:
    with pytest.raises(CommandError, match="--hours"):
        correlate("--hours", hours)


def test_the_periodic_task_runs_the_same_correlation(time_machine: Any) -> None:
    time_machine.move_to(shanghai(2026, 11, 26, 10, 0), tick=False)
    for n in range(5):
        fail_login(f"guess{n}", "198.51.100.7")
    time_machine.move_to(shanghai(2026, 11, 26, 10, 5), tick=False)

    correlate_security_events_every_five_minutes.call_local()

    assert brute_force_count() == 1
