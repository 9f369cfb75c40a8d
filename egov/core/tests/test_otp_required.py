"""Privileged roles must pass a TOTP second factor (双因素认证) before any page.

Administrators, RA officers and auditors, and Django superusers (/admin/);
other staff and public accounts are not held. Marked ``real_second_factor``:
``force_login`` does not pass it for them here.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from egov.core.models import User
from egov.core.otp import needs_second_factor
from egov.core.tests.otp_support import confirmed_device, password_login

pytestmark = [pytest.mark.django_db, pytest.mark.real_second_factor]
SETUP, VERIFY = "/otp/setup/", "/otp/verify/"


@pytest.mark.parametrize("name", ["auditor_province", "ra_officer_province", "admin_harbin"])
def test_privileged_users_without_a_device_go_to_setup(
    client: Client, name: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(name)
    password_login(client, user)

    response = client.get(reverse("core:workbench"))

    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=/workbench/"


def test_with_a_device_they_go_to_verify(client: Client, auditor_province: User) -> None:
    confirmed_device(auditor_province)
    password_login(client, auditor_province)

    response = client.get(reverse("core:audit_log"))

    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=/workbench/audit/"


def test_the_django_admin_requires_it_too(client: Client, admin_province: User) -> None:
    confirmed_device(admin_province)
    client.force_login(admin_province)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


def test_the_api_answers_403_with_a_code(client: Client, auditor_province: User) -> None:
    client.force_login(auditor_province)

    response = client.get("/api/v1/whoami")

    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_required"


def test_logout_stays_open(client: Client, auditor_province: User) -> None:
    client.force_login(auditor_province)

    response = client.post(reverse("core:logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_other_staff_and_public_accounts_are_not_held(
    client: Client, clerk_harbin_daoli: User, leader_province: User, citizen: User
) -> None:
    for user in (clerk_harbin_daoli, leader_province):
        client.force_login(user)
        assert client.get(reverse("core:workbench")).status_code == 200
    client.force_login(citizen)
    assert client.get(reverse("core:account")).status_code == 200
    assert not needs_second_factor(citizen)


def test_who_needs_it(
    auditor_province: User, admin_province: User, clerk_harbin_daoli: User, clerk_inactive: User
) -> None:
    assert needs_second_factor(auditor_province)
    assert needs_second_factor(admin_province)
    assert not needs_second_factor(clerk_harbin_daoli)
    assert not needs_second_factor(clerk_inactive)


@pytest.mark.django_db
def test_anonymous_visitors_are_not_held(client: Client) -> None:
    assert client.get("/").status_code == 200
