"""Successful logins are recorded for monitoring with address, roles and privilege."""

from __future__ import annotations

import pytest
from django.test import Client

from egov.core.models import User
from egov.core.testing import TEST_PASSWORD
from egov.monitoring.models import SignIn

pytestmark = pytest.mark.django_db


def log_in(client: Client, username: str, address: str) -> None:
    client.post("/login/", {"username": username, "password": TEST_PASSWORD}, REMOTE_ADDR=address)


def test_an_auditor_login_is_a_privileged_sign_in(client: Client, auditor_province: User) -> None:
    log_in(client, "auditor_province", "192.0.2.10")

    [sign_in] = SignIn.objects.filter(user=auditor_province)
    assert sign_in.ip_address == "192.0.2.10"
    assert sign_in.roles == ["auditor"]
    assert sign_in.privileged is True
    assert sign_in.entrance == "/login/"


def test_a_clerk_login_is_not_privileged(client: Client, clerk_harbin_daoli: User) -> None:
    log_in(client, "clerk_harbin_daoli", "192.0.2.11")

    [sign_in] = SignIn.objects.filter(user=clerk_harbin_daoli)
    assert (sign_in.privileged, sign_in.roles) == (False, ["clerk"])


def test_a_failed_login_is_no_sign_in(client: Client, auditor_province: User) -> None:
    client.post("/login/", {"username": "auditor_province", "password": "wrong-password-9"})

    assert not SignIn.objects.exists()
