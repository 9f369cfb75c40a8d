"""The inventory page (/monitoring/systems/): administrators, auditors, the e-gov office."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from egov.core.models import User
from egov.core.testing import make_organisation, shanghai
from egov.monitoring.models import ProbedSystem

pytestmark = pytest.mark.django_db
URL = "/monitoring/systems/"


@pytest.fixture
def systems(db: None) -> None:
    checked = shanghai(2026, 11, 26, 10, 0)
    ProbedSystem.objects.create(
        code="province-portal",
        name="省政府门户",
        kind="http",
        target="https://www.hlj.example/",
        last_checked_at=checked,
        last_ok=True,
        last_seconds=0.12,
        certificate_expires=checked + dt.timedelta(days=12),
    )
    ProbedSystem.objects.create(
        code="harbin-approvals",
        name="哈尔滨审批系统",
        kind="tcp",
        target="10.1.2.3:8443",
        organisation=make_organisation("230100-GOV"),
        last_checked_at=checked,
        last_ok=False,
        last_error="TimeoutError: timed out",
        failing_since=checked,
    )
    ProbedSystem.objects.create(
        code="qiqihar-site", name="齐齐哈尔网站", kind="http", target="https://qqhr.example/",
        organisation=make_organisation("230200-GOV"),
    )  # fmt: skip


def codes(client: Client) -> list[str]:
    response = client.get(URL)
    assert response.status_code == 200
    return [row["system"].code for row in response.context["rows"]]


def test_the_provincial_administrator_sees_the_whole_inventory(
    client: Client, admin_province: User, systems: None, time_machine: Any
) -> None:
    time_machine.move_to(shanghai(2026, 11, 26, 10, 5), tick=False)
    client.force_login(admin_province)

    assert codes(client) == ["harbin-approvals", "province-portal", "qiqihar-site"]
    page = client.get(URL).content.decode()
    assert "TimeoutError: timed out" in page
    assert "剩 11 天" in page  # the certificate expires within 30 days
    assert "未探测" in page


def test_a_city_auditor_sees_the_citys_systems(
    client: Client, auditor_harbin: User, systems: None
) -> None:
    client.force_login(auditor_harbin)

    assert codes(client) == ["harbin-approvals"]


def test_the_egov_office_sees_it_and_clerks_do_not(
    client: Client, egov_office_province: User, clerk_harbin: User, systems: None
) -> None:
    client.force_login(egov_office_province)
    assert len(codes(client)) == 3

    client.force_login(clerk_harbin)
    assert client.get(URL).status_code == 403
