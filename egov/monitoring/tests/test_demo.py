"""The demo's monitoring data: an inventory with the platform and systems down, incidents; once."""

from __future__ import annotations

from typing import Any

import pytest

from egov.core import demo as core_demo
from egov.core.models import AuditEntry, SecurityEvent
from egov.core.services.people import create_staff_user
from egov.core.testing import make_organisation, make_staff, shanghai
from egov.monitoring.demo import ATTACKER_ADDRESS, NIGHT_ADDRESS, load_demo_monitoring
from egov.monitoring.models import Incident, ProbedSystem, SignIn

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_place(monkeypatch: pytest.MonkeyPatch, time_machine: Any) -> None:
    """The demo's organisations and administrator (a week before); a Thursday; port 8131."""
    time_machine.move_to(shanghai(2026, 11, 16, 10), tick=False)
    for code in ("230000-EGOV", "230100-GOV", "230102-GOV"):
        make_organisation(code)
    make_staff("administrator_province", "230000-GOV", ["administrator"])
    make_staff("auditor_province", "230000-GOV", ["auditor"])
    time_machine.move_to(shanghai(2026, 11, 26, 10), tick=False)
    monkeypatch.setenv("EGOV_BIND", "127.0.0.1:8131")


def test_the_loader_is_registered_with_the_demo() -> None:
    assert core_demo._app_loaders["monitoring.inventory_and_incidents"] is load_demo_monitoring


def test_the_inventory_holds_the_platform_at_its_address_and_systems_down(
    demo_place: None,
) -> None:
    load_demo_monitoring()

    platform = ProbedSystem.objects.get(code="egov-platform")
    assert platform.target == "http://127.0.0.1:8131/healthz"
    assert platform.organisation.code == "230000-EGOV"
    assert ProbedSystem.objects.get(code="egov-platform-port").target == "127.0.0.1:8131"
    down = ProbedSystem.objects.exclude(code__startswith="egov-platform")
    assert down.count() >= 2
    for system in down:
        assert system.target.removeprefix("http://").startswith("127.0.0.1:")
        assert system.last_ok is False
        assert system.failing_since == shanghai(2026, 11, 26, 10)
        assert system.last_error


def test_failed_logins_and_a_night_sign_in_become_incidents(demo_place: None) -> None:
    load_demo_monitoring()

    failures = SecurityEvent.objects.filter(ip_address=ATTACKER_ADDRESS, kind="login_failed")
    assert failures.values("username").distinct().count() >= 5
    night = SignIn.objects.get(ip_address=NIGHT_ADDRESS)
    assert night.signed_in_at == shanghai(2026, 11, 26, 2, 47)
    incidents = {(i.rule_code, i.subject) for i in Incident.objects.all()}
    assert incidents == {
        ("brute_force.accounts_from_one_address", ATTACKER_ADDRESS),
        ("sign_in.privileged_odd_hours", "administrator_province"),
        ("sign_in.privileged_new_address", "administrator_province"),
    }
    assert set(Incident.objects.values_list("status", flat=True)) == {"open"}


def test_a_second_load_adds_nothing_and_follows_the_demo_to_another_port(
    demo_place: None, monkeypatch: pytest.MonkeyPatch, time_machine: Any
) -> None:
    assert load_demo_monitoring()["incidents"] == 3
    counts = (
        ProbedSystem.objects.count(),
        SecurityEvent.objects.count(),
        SignIn.objects.count(),
        Incident.objects.count(),
    )
    time_machine.move_to(shanghai(2026, 11, 26, 11), tick=False)
    monkeypatch.setenv("EGOV_BIND", "127.0.0.1:8200")

    assert load_demo_monitoring() == {
        "systems": 0,
        "events": 0,
        "incidents": 0,
        "setup_grants_closed": 0,
    }

    assert counts == (
        ProbedSystem.objects.count(),
        SecurityEvent.objects.count(),
        SignIn.objects.count(),
        Incident.objects.count(),
    )
    assert ProbedSystem.objects.get(code="egov-platform").target == "http://127.0.0.1:8200/healthz"


def test_the_loaders_own_role_grants_are_closed_by_the_auditor(
    demo_place: None, time_machine: Any
) -> None:
    time_machine.move_to(shanghai(2026, 11, 26, 9, 59), tick=False)
    create_staff_user(
        actor="demo-loader",
        username="clerk_daoli",
        organisation_code="230102-GOV",
        password="x-Longjiang-2026",
        display_name="clerk_daoli",
        roles=["clerk"],
    )
    time_machine.move_to(shanghai(2026, 11, 26, 10), tick=False)

    loaded = load_demo_monitoring()

    assert (loaded["incidents"], loaded["setup_grants_closed"]) == (3, 1)
    grant = Incident.objects.get(rule_code="privilege.role_granted")
    assert (grant.subject, grant.status) == ("clerk_daoli", "closed")
    assert grant.closed_by.username == "auditor_province"
    assert grant.note
    assert AuditEntry.objects.filter(
        action="monitoring.incident_closed", object_id=str(grant.pk)
    ).exists()
    assert Incident.objects.filter(status="open").count() == 3
