"""The Django admin writes through the services: audited adds, grants and revokes."""

from __future__ import annotations

import pytest
from django.test import Client

from egov.core.models import AuditEntry, Organisation, RoleAssignment
from egov.core.testing import make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(admin_province) -> Client:
    client = Client()
    client.force_login(admin_province)
    return client


def test_adding_an_organisation_computes_its_path_and_is_audited(admin_client):
    government = make_organisation("230102-GOV")
    response = admin_client.post(
        "/admin/core/organisation/add/",
        {
            "code": "230102-SJ",
            "name": "哈尔滨市道里区审计局",
            "short_name": "道里区审计局",
            "kind": "department",
            "region": "230102",
            "parent": government.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    created = Organisation.objects.get(code="230102-SJ")
    assert created.path == f"{government.path}{created.pk}/"
    assert AuditEntry.objects.filter(action="organisation.create", object_id="230102-SJ").exists()


def test_granting_and_revoking_a_role_in_the_admin_is_audited(admin_client, staff_without_role):
    daoli = make_organisation("230102-GOV")
    response = admin_client.post(
        "/admin/core/roleassignment/add/",
        {"user": staff_without_role.pk, "role": "auditor", "organisation": daoli.pk},
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=staff_without_role)
    assert AuditEntry.objects.filter(action="role.grant", object_id="staff_without_role").exists()
    response = admin_client.post(
        f"/admin/core/roleassignment/{assignment.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(user=staff_without_role).exists()
    assert AuditEntry.objects.filter(action="role.revoke", object_id="staff_without_role").exists()


def test_regions_and_users_are_read_only_in_the_admin(admin_client):
    assert admin_client.get("/admin/core/region/").status_code == 200
    assert admin_client.get("/admin/core/region/230102/change/").status_code == 200
    assert admin_client.post("/admin/core/region/230102/change/", {"name": "x"}).status_code == 403
    assert admin_client.get("/admin/core/user/add/").status_code == 403
