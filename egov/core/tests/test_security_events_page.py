"""The auditors' security events page (安全事件): scoped to the auditor's subtree, filtered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from egov.core.models import SecurityEvent, User
from egov.core.services.security import record_security_event
from egov.core.testing import make_staff

pytestmark = pytest.mark.django_db
URL = "/workbench/security/"


@pytest.fixture
def events(db: None) -> dict[str, SecurityEvent]:
    harbin = make_staff("clerk_sec_harbin", "230102-GOV")
    qiqihar = make_staff("clerk_sec_qiqihar", "230200-GOV")
    return {
        "harbin": record_security_event(kind="login_failed", user=harbin),
        "qiqihar": record_security_event(kind="account_locked", user=qiqihar),
        "unknown": record_security_event(kind="login_failed", username="nobody_tried"),
    }


def shown(client: Client, **query: str) -> set[str]:
    response = client.get(URL, query)
    assert response.status_code == 200
    return {
        event.username
        for event in response.context["page"]
        if event.username in {"clerk_sec_harbin", "clerk_sec_qiqihar", "nobody_tried"}
    }


def test_a_provincial_auditor_sees_every_event(
    client: Client, auditor_province: User, events: dict
) -> None:
    client.force_login(auditor_province)

    assert shown(client) == {"clerk_sec_harbin", "clerk_sec_qiqihar", "nobody_tried"}
    page = client.get(URL).content.decode()
    assert "账户锁定" in page
    assert "nobody_tried" in page


def test_a_city_auditor_sees_only_the_citys_events(
    client: Client, auditor_harbin: User, events: dict
) -> None:
    client.force_login(auditor_harbin)

    assert shown(client) == {"clerk_sec_harbin"}


def test_filters_by_kind_and_date(client: Client, auditor_province: User, events: dict) -> None:
    client.force_login(auditor_province)
    SecurityEvent.objects.exclude(pk=events["unknown"].pk).update(
        occurred_at=dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)
    )
    SecurityEvent.objects.filter(pk=events["unknown"].pk).update(
        occurred_at=dt.datetime(2026, 1, 15, 3, 0, tzinfo=dt.UTC)
    )

    assert shown(client, kind="account_locked") == {"clerk_sec_qiqihar"}
    assert shown(client, kind="login_failed") == {"clerk_sec_harbin", "nobody_tried"}
    assert shown(client, **{"from": "2026-01-15", "to": "2026-01-15"}) == {"nobody_tried"}
    assert shown(client, to="2026-01-14") == set()
    assert shown(client, username="nobody") == {"nobody_tried"}
    assert shown(client, kind="not-a-kind", to="garbage") == shown(client)


@pytest.mark.parametrize("name", ["clerk_harbin_daoli", "supervisor_province"])
def test_others_are_refused(client: Client, name: str, request: pytest.FixtureRequest) -> None:
    client.force_login(request.getfixturevalue(name))

    assert client.get(URL).status_code == 403


def test_the_menu_offers_it_to_auditors(client: Client, auditor_harbin: User) -> None:
    client.force_login(auditor_harbin)

    assert reverse("core:security_events") in client.get(reverse("core:workbench")).content.decode()
