"""Repeated failures lock the login (登录失败锁定, django-axes; limit 5 in settings).

The sixth attempt is refused even with the right password, and an unknown
username is locked the same way, so the lockout tells nothing about accounts.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from egov.core.models import AuditEntry, User
from egov.core.testing import TEST_PASSWORD

LOCKED = "登录已暂停"


def attempt(client: Client, username: str, password: str) -> object:
    return client.post(reverse("core:login"), {"username": username, "password": password})


def tokens_removed(content: bytes) -> str:
    """The page without its per-response CSRF token."""
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", content.decode())


def fail_until_the_limit(client: Client, username: str) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = attempt(client, username, "wrong-password")
        assert response.status_code in (200, 429)


@pytest.mark.django_db
def test_sixth_attempt_is_refused_even_with_the_right_password(
    client: Client, clerk_harbin_daoli: User
) -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    fail_until_the_limit(client, "clerk_harbin_daoli")
    entries_before = AuditEntry.objects.count()

    response = attempt(client, "clerk_harbin_daoli", TEST_PASSWORD)

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.count() == entries_before


@pytest.mark.django_db
def test_fewer_failures_than_the_limit_do_not_lock(
    client: Client, clerk_harbin_daoli: User
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "clerk_harbin_daoli", "wrong-password")

    response = attempt(client, "clerk_harbin_daoli", TEST_PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(clerk_harbin_daoli.pk)


@pytest.mark.django_db
def test_unknown_username_is_locked_alike(client: Client, clerk_harbin_daoli: User) -> None:
    fail_until_the_limit(client, "clerk_harbin_daoli")
    fail_until_the_limit(client, "nobody_at_all")

    known = attempt(client, "clerk_harbin_daoli", "wrong-password")
    unknown = attempt(client, "nobody_at_all", "wrong-password")

    assert known.status_code == unknown.status_code == 429
    assert tokens_removed(known.content) == tokens_removed(unknown.content)


@pytest.mark.django_db
def test_lockout_is_per_username_and_address(client: Client, clerk_harbin_daoli: User) -> None:
    fail_until_the_limit(client, "clerk_harbin_daoli")

    elsewhere = Client(REMOTE_ADDR="10.20.30.40")
    response = elsewhere.post(
        reverse("core:login"), {"username": "clerk_harbin_daoli", "password": TEST_PASSWORD}
    )

    assert response.status_code == 302
