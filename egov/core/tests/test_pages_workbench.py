"""The staff workbench (工作台): staff only; organisation, region path, roles, menu by ``may``."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from egov.core.models import User


def workbench(client: Client, user: User | None) -> object:
    if user is not None:
        client.force_login(user)
    return client.get(reverse("core:workbench"))


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_staff_login(client: Client) -> None:
    response = workbench(client, None)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('core:login')}?next={reverse('core:workbench')}"


@pytest.mark.django_db
def test_citizens_are_refused(client: Client, citizen: User) -> None:
    assert workbench(client, citizen).status_code == 403


@pytest.mark.django_db
def test_staff_without_a_role_are_refused(client: Client, staff_without_role: User) -> None:
    assert workbench(client, staff_without_role).status_code == 403


@pytest.mark.django_db
def test_clerk_sees_organisation_region_path_roles_and_only_their_menu(
    client: Client, clerk_harbin_daoli: User
) -> None:
    response = workbench(client, clerk_harbin_daoli)

    page = response.content.decode()
    assert response.status_code == 200
    organisation = clerk_harbin_daoli.staff.organisation
    assert organisation.name in page
    assert "黑龙江省 › 哈尔滨市 › 道里区" in page
    assert "<td>办件人员</td><td>" + organisation.name + "</td>" in page
    assert "工作台首页" in page
    assert reverse("core:audit_log") not in page
    assert reverse("admin:index") not in page


@pytest.mark.django_db
def test_role_held_elsewhere_is_shown_with_its_organisation(
    client: Client, make_staff: object, make_organisation: object
) -> None:
    user = make_staff(
        "auditor_seconded", "230102-GOV", roles=["auditor"], role_organisation_code="230100-GOV"
    )
    harbin = make_organisation("230100-GOV")

    page = workbench(client, user).content.decode()

    assert f"<td>审计员</td><td>{harbin.name}</td>" in page
    assert reverse("core:audit_log") in page


@pytest.mark.django_db
def test_administrator_menu_has_the_audit_log_and_administration(
    client: Client, admin_province: User
) -> None:
    page = workbench(client, admin_province).content.decode()

    assert reverse("core:audit_log") in page
    assert reverse("admin:index") in page
    assert "系统管理" in page


@pytest.mark.django_db
def test_refusal_page_is_the_portal_s_own(client: Client, citizen: User) -> None:
    response = workbench(client, citizen)

    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


@pytest.mark.django_db
def test_admin_entries_need_the_admin_site_flag_too(
    client: Client, admin_harbin: User, admin_province: User
) -> None:
    assert not admin_harbin.is_staff  # holds the role, but is no Django admin user
    harbin_page = workbench(client, admin_harbin).content.decode()
    province_page = workbench(Client(), admin_province).content.decode()

    assert reverse("admin:index") not in harbin_page
    assert reverse("core:audit_log") in harbin_page
    assert reverse("admin:index") in province_page
