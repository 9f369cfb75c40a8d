"""Staff login and logout (工作人员登录/退出).

A wrong password and an unknown username get the same answer, so a failed
login never tells whether an account exists; nothing is written on failure.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from egov.core.models import AuditEntry, User
from egov.core.testing import TEST_PASSWORD

INVALID = "用户名或密码错误"


def post_login(client: Client, username: str, password: str) -> object:
    return client.post(reverse("core:login"), {"username": username, "password": password})


def comparable(html: str, username: str) -> str:
    """The page with what legitimately differs (the echoed username, the CSRF token) removed."""
    html = html.replace(username, "USERNAME")
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", html)


@pytest.mark.django_db
def test_right_password_opens_the_workbench_and_is_audited(
    client: Client, clerk_harbin_daoli: User
) -> None:
    response = post_login(client, "clerk_harbin_daoli", TEST_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("core:workbench")
    assert client.session["_auth_user_id"] == str(clerk_harbin_daoli.pk)
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert (entry.action, entry.actor, entry.object_id) == (
        "auth.login",
        "clerk_harbin_daoli",
        "clerk_harbin_daoli",
    )


@pytest.mark.django_db
def test_wrong_password_and_unknown_user_look_the_same(
    client: Client, clerk_harbin_daoli: User
) -> None:
    entries_before = AuditEntry.objects.count()

    wrong_password = post_login(client, "clerk_harbin_daoli", "not-the-password")
    unknown_user = post_login(client, "nobody_at_all", "not-the-password")

    for response in (wrong_password, unknown_user):
        assert response.status_code == 200
        assert INVALID in response.content.decode()
    assert comparable(wrong_password.content.decode(), "clerk_harbin_daoli") == comparable(
        unknown_user.content.decode(), "nobody_at_all"
    )
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.count() == entries_before


@pytest.mark.django_db
def test_inactive_account_gets_the_same_answer(client: Client, clerk_inactive: User) -> None:
    entries_before = AuditEntry.objects.count()

    response = post_login(client, "clerk_inactive", TEST_PASSWORD)

    assert response.status_code == 200
    assert INVALID in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.count() == entries_before


@pytest.mark.django_db
def test_logout_needs_post_and_is_audited(client: Client, clerk_harbin_daoli: User) -> None:
    client.force_login(clerk_harbin_daoli)

    refused = client.get(reverse("core:logout"))
    assert refused.status_code == 405
    assert "_auth_user_id" in client.session

    response = client.post(reverse("core:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.order_by("-sequence").first().action == "auth.logout"
