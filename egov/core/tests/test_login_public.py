"""Citizens and enterprises log in on the public side (个人/法人登录); staff do not.

Decision: each entrance accepts only its own kind of account. The other kind,
even with the right password, is refused (not logged in) and pointed to its own
entrance; wrong passwords get the same answer on both sides.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from egov.core.models import AuditEntry, User
from egov.core.testing import TEST_PASSWORD


def post(client: Client, url_name: str, username: str, password: str = TEST_PASSWORD) -> object:
    return client.post(reverse(url_name), {"username": username, "password": password})


@pytest.mark.django_db
def test_citizen_logs_in_and_sees_the_account_page(client: Client, citizen: User) -> None:
    response = post(client, "core:public_login", citizen.username)

    assert response.status_code == 302
    assert response["Location"] == reverse("core:account")
    page = client.get(reverse("core:account")).content.decode()
    assert citizen.username in page
    assert "公众" in page
    assert AuditEntry.objects.order_by("-sequence").first().action == "auth.login"


@pytest.mark.django_db
def test_enterprise_logs_in_on_the_public_side(client: Client, enterprise: User) -> None:
    response = post(client, "core:public_login", enterprise.username)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(enterprise.pk)


@pytest.mark.django_db
def test_staff_account_is_refused_on_the_public_side(
    client: Client, clerk_harbin_daoli: User
) -> None:
    entries_before = AuditEntry.objects.count()

    response = post(client, "core:public_login", "clerk_harbin_daoli")

    assert response.status_code == 200
    assert "请从“工作人员登录”入口登录" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.count() == entries_before


@pytest.mark.django_db
def test_citizen_is_refused_on_the_staff_side(client: Client, citizen: User) -> None:
    entries_before = AuditEntry.objects.count()

    response = post(client, "core:login", citizen.username)

    assert response.status_code == 200
    assert "请从“个人/法人登录”入口登录" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.count() == entries_before


@pytest.mark.django_db
def test_wrong_password_on_the_public_side_names_neither(client: Client, citizen: User) -> None:
    response = post(client, "core:public_login", citizen.username, "wrong-password")

    page = response.content.decode()
    assert "用户名或密码错误" in page
    assert "工作人员登录”入口" not in page
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_account_page_needs_a_public_login(client: Client) -> None:
    response = client.get(reverse("core:account"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:public_login"))
