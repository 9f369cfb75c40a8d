"""Privilege changes (权限变更): role grants and revocations, by service or the Django admin."""

from __future__ import annotations

import pytest
from django.test import Client

from egov.core.errors import ForbiddenError
from egov.core.models import RoleAssignment, SecurityEvent, User
from egov.core.services.people import grant_role, revoke_role

pytestmark = pytest.mark.django_db


def changes(before: int) -> list[tuple]:
    return [
        (event.kind, event.username, event.organisation.code, event.detail)
        for event in SecurityEvent.objects.order_by("pk")[before:]
    ]


def test_grant_and_revoke_are_recorded(admin_province: User, clerk_harbin_daoli: User) -> None:
    before = SecurityEvent.objects.count()

    grant_role(
        actor=admin_province,
        user=clerk_harbin_daoli,
        role="auditor",
        organisation_code="230102-GOV",
    )
    revoke_role(
        actor=admin_province,
        user=clerk_harbin_daoli,
        role="auditor",
        organisation_code="230102-GOV",
    )

    detail = {"role": "auditor", "organisation": "230102-GOV", "actor": "admin_province"}
    assert changes(before) == [
        (
            "privilege_changed",
            "clerk_harbin_daoli",
            "230102-GOV",
            {"change": "role_granted", **detail},
        ),
        (
            "privilege_changed",
            "clerk_harbin_daoli",
            "230102-GOV",
            {"change": "role_revoked", **detail},
        ),
    ]


def test_granting_a_role_already_held_records_nothing(
    admin_province: User, clerk_harbin_daoli: User
) -> None:
    before = SecurityEvent.objects.count()

    grant_role(
        actor=admin_province, user=clerk_harbin_daoli, role="clerk", organisation_code="230102-GOV"
    )

    assert changes(before) == []


def test_a_refused_grant_records_nothing(clerk_harbin: User, clerk_harbin_daoli: User) -> None:
    before = SecurityEvent.objects.count()

    with pytest.raises(ForbiddenError):
        grant_role(
            actor=clerk_harbin,
            user=clerk_harbin_daoli,
            role="auditor",
            organisation_code="230102-GOV",
        )

    assert changes(before) == []


def test_the_django_admin_add_and_delete_are_recorded(
    client: Client, admin_province: User, clerk_harbin_daoli: User
) -> None:
    client.force_login(admin_province)
    organisation = clerk_harbin_daoli.staff.organisation
    before = SecurityEvent.objects.count()

    added = client.post(
        "/admin/core/roleassignment/add/",
        {"user": clerk_harbin_daoli.pk, "role": "ra_officer", "organisation": organisation.pk},
    )
    assignment = RoleAssignment.objects.get(user=clerk_harbin_daoli, role="ra_officer")
    deleted = client.post(f"/admin/core/roleassignment/{assignment.pk}/delete/", {"post": "yes"})

    assert (added.status_code, deleted.status_code) == (302, 302)
    assert [change[3]["change"] for change in changes(before)] == ["role_granted", "role_revoked"]
    assert {change[3]["actor"] for change in changes(before)} == {"admin_province"}
