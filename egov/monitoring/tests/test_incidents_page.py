"""The incidents page (/monitoring/incidents/): auditors and administrators, each in scope."""

from __future__ import annotations

import pytest
from django.test import Client

from egov.core.models import User
from egov.monitoring.tests.support import make_incident

pytestmark = pytest.mark.django_db
URL = "/monitoring/incidents/"


@pytest.fixture
def incidents(db: None) -> dict:
    return {
        "harbin": make_incident("admin_in_harbin", organisation_code="230102-GOV"),
        "qiqihar": make_incident("admin_in_qiqihar", organisation_code="230200-GOV"),
        "address": make_incident("198.51.100.7", rule_code="brute_force.accounts_from_one_address"),
        "closed": make_incident("admin_old", organisation_code="230102-GOV", status="closed"),
    }


def listed(client: Client, query: str = "") -> set[str]:
    response = client.get(URL + query)
    assert response.status_code == 200
    return {incident.subject for incident in response.context["page"]}


def test_a_provincial_auditor_sees_every_open_incident_with_its_evidence(
    client: Client, auditor_province: User, incidents: dict
) -> None:
    client.force_login(auditor_province)

    assert listed(client) == {"admin_in_harbin", "admin_in_qiqihar", "198.51.100.7"}
    page = client.get(URL).content.decode()
    assert "ip_address=192.0.2.10" in page
    assert "特权账户非工作时间登录" in page
    assert "/acknowledge/" in page


def test_statuses_filter_the_list(client: Client, auditor_province: User, incidents: dict) -> None:
    client.force_login(auditor_province)

    assert listed(client, "?status=closed") == {"admin_old"}
    assert len(listed(client, "?status=all")) == 4
    assert listed(client, "?status=nonsense") == listed(client)


def test_a_city_administrator_sees_only_the_citys_incidents(
    client: Client, admin_harbin: User, incidents: dict
) -> None:
    client.force_login(admin_harbin)

    assert listed(client) == {"admin_in_harbin"}


def test_the_workbench_menu_offers_the_page_to_auditors_only(
    client: Client, auditor_harbin: User, clerk_harbin: User
) -> None:
    client.force_login(auditor_harbin)
    assert URL in client.get("/workbench/").content.decode()

    client.force_login(clerk_harbin)
    assert URL not in client.get("/workbench/").content.decode()


@pytest.mark.parametrize("name", ["clerk_harbin_daoli", "supervisor_province", "leader_province"])
def test_others_are_refused(client: Client, name: str, request: pytest.FixtureRequest) -> None:
    client.force_login(request.getfixturevalue(name))

    assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get(URL)

    assert response.status_code == 302
    assert "/login/" in response["Location"]
