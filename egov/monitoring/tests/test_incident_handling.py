"""Acknowledging and closing incidents: audited; refusals write nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from egov.core.models import AuditEntry, User
from egov.monitoring.models import Incident
from egov.monitoring.tests.support import make_incident

pytestmark = pytest.mark.django_db


def post(client: Client, incident: Incident, action: str, note: str = "") -> object:
    return client.post(f"/monitoring/incidents/{incident.pk}/{action}/", {"note": note})


def audit_of(incident: Incident) -> list[tuple[str, str]]:
    entries = AuditEntry.objects.filter(object_type="incident", object_id=str(incident.pk))
    return list(entries.order_by("sequence").values_list("action", "actor"))


def test_acknowledge_then_close_with_a_note(client: Client, auditor_harbin: User) -> None:
    incident = make_incident("admin_x", organisation_code="230102-GOV")
    client.force_login(auditor_harbin)

    response = post(client, incident, "acknowledge", "在核实")
    assert response.status_code == 302
    post(client, incident, "close", "本人加班，已电话确认")

    incident.refresh_from_db()
    assert incident.status == "closed"
    assert incident.acknowledged_by == auditor_harbin
    assert incident.closed_by == auditor_harbin
    assert incident.note == "本人加班，已电话确认"
    assert audit_of(incident) == [
        ("monitoring.incident_acknowledged", "auditor_harbin"),
        ("monitoring.incident_closed", "auditor_harbin"),
    ]


def test_an_open_incident_can_be_closed_directly(client: Client, admin_province: User) -> None:
    incident = make_incident("198.51.100.7", rule_code="brute_force.accounts_from_one_address")
    client.force_login(admin_province)

    post(client, incident, "close", "已在防火墙封禁该地址")

    incident.refresh_from_db()
    assert (incident.status, incident.acknowledged_by) == ("closed", None)


def test_closing_without_a_note_is_refused_and_writes_nothing(
    client: Client, auditor_province: User
) -> None:
    incident = make_incident("admin_x", organisation_code="230102-GOV")
    client.force_login(auditor_province)

    response = client.post(
        f"/monitoring/incidents/{incident.pk}/close/", {"note": "  "}, follow=True
    )

    incident.refresh_from_db()
    assert incident.status == "open"
    assert audit_of(incident) == []
    assert "say how the incident was handled" in response.content.decode()


def test_a_closed_incident_cannot_be_acknowledged_or_closed_again(
    client: Client, auditor_province: User
) -> None:
    incident = make_incident("admin_x", organisation_code="230102-GOV", status="closed")
    client.force_login(auditor_province)

    post(client, incident, "acknowledge")
    post(client, incident, "close", "again")

    incident.refresh_from_db()
    assert (incident.status, incident.note) == ("closed", "")
    assert audit_of(incident) == []


def test_an_incident_out_of_scope_is_not_found_and_untouched(
    client: Client, auditor_harbin: User
) -> None:
    incident = make_incident("admin_q", organisation_code="230200-GOV")
    client.force_login(auditor_harbin)

    assert post(client, incident, "close", "not mine").status_code == 404
    assert post(client, incident, "acknowledge").status_code == 404

    incident.refresh_from_db()
    assert incident.status == "open"
    assert audit_of(incident) == []


def test_a_clerk_is_refused_and_nothing_is_written(
    client: Client, clerk_harbin_daoli: User
) -> None:
    incident = make_incident("admin_x", organisation_code="230102-GOV")
    client.force_login(clerk_harbin_daoli)

    assert post(client, incident, "close", "x").status_code == 403

    incident.refresh_from_db()
    assert incident.status == "open"
    assert audit_of(incident) == []


def test_actions_are_post_only(client: Client, auditor_province: User) -> None:
    incident = make_incident("admin_x", organisation_code="230102-GOV")
    client.force_login(auditor_province)

    assert client.get(f"/monitoring/incidents/{incident.pk}/acknowledge/").status_code == 405
    incident.refresh_from_db()
    assert incident.status == "open"
