"""Failed logins and lockouts are security events (登录失败与锁定), never with the password."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from egov.core.models import AuditEntry, SecurityEvent, User
from egov.core.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def attempt(client: Client, url: str, username: str, password: str) -> object:
    return client.post(url, {"username": username, "password": password})


def new_events(before: int) -> list[SecurityEvent]:
    return list(SecurityEvent.objects.order_by("pk"))[before:]


def test_a_wrong_password_is_one_login_failed_event(
    client: Client, clerk_harbin_daoli: User
) -> None:
    before, audit_before = SecurityEvent.objects.count(), AuditEntry.objects.count()

    attempt(client, reverse("core:login"), "clerk_harbin_daoli", "wrong-password-x")

    [event] = new_events(before)
    assert (event.kind, event.username, event.user) == (
        "login_failed",
        "clerk_harbin_daoli",
        clerk_harbin_daoli,
    )
    assert event.ip_address == "127.0.0.1"
    assert event.organisation.code == "230102-GOV"
    assert event.detail == {"entrance": "/login/", "while_locked": False}
    assert "wrong-password-x" not in str(event.detail)
    assert AuditEntry.objects.count() == audit_before


def test_an_unknown_username_is_recorded_as_tried(client: Client, citizen: User) -> None:
    before = SecurityEvent.objects.count()

    attempt(client, reverse("core:public_login"), "nobody_at_all", "whatever-1")

    [event] = new_events(before)
    assert (event.kind, event.username, event.user) == ("login_failed", "nobody_at_all", None)
    assert event.detail["entrance"] == "/account/login/"


def test_a_right_password_records_nothing(client: Client, clerk_harbin_daoli: User) -> None:
    before = SecurityEvent.objects.count()

    attempt(client, reverse("core:login"), "clerk_harbin_daoli", TEST_PASSWORD)

    assert new_events(before) == []


def test_the_lockout_is_an_account_locked_event(client: Client, clerk_harbin_daoli: User) -> None:
    before = SecurityEvent.objects.count()

    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, reverse("core:login"), "clerk_harbin_daoli", "wrong-password")

    kinds = [event.kind for event in new_events(before)]
    assert kinds.count("login_failed") == settings.AXES_FAILURE_LIMIT
    assert kinds.count("account_locked") == 1
    locked = SecurityEvent.objects.get(kind="account_locked")
    assert (locked.username, locked.user, locked.detail["by"]) == (
        "clerk_harbin_daoli",
        clerk_harbin_daoli,
        "django-axes",
    )


def test_attempts_while_locked_are_recorded_too(client: Client, clerk_harbin_daoli: User) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, reverse("core:login"), "clerk_harbin_daoli", "wrong-password")
    before = SecurityEvent.objects.count()

    response = attempt(client, reverse("core:login"), "clerk_harbin_daoli", TEST_PASSWORD)

    assert response.status_code == 429
    kinds = sorted(event.kind for event in new_events(before))
    assert kinds == ["account_locked", "login_failed"]
    assert SecurityEvent.objects.order_by("pk").filter(kind="login_failed").last().detail == {
        "entrance": "/login/",
        "while_locked": True,
    }
