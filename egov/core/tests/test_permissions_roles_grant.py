"""Granting and revoking roles: audited privilege changes, refused without the right."""

from __future__ import annotations

import pytest

from egov.core.errors import ErrorCode, ForbiddenError, InvalidInputError
from egov.core.models import AuditEntry, RoleAssignment
from egov.core.services.people import create_staff_user, grant_role, revoke_role
from egov.core.testing import make_organisation

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int]:
    return RoleAssignment.objects.count(), AuditEntry.objects.count()


def test_an_administrator_grants_a_role_in_their_subtree(admin_harbin, staff_without_role):
    grant_role(
        actor=admin_harbin, user=staff_without_role, role="clerk", organisation_code="230102-GOV"
    )
    assert staff_without_role.roles.filter(role="clerk", organisation__code="230102-GOV").exists()
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert (entry.actor, entry.action, entry.object_id, entry.summary) == (
        "admin_harbin",
        "role.grant",
        "staff_without_role",
        "clerk at 230102-GOV",
    )


def test_granting_a_role_already_held_writes_nothing(admin_harbin, clerk_harbin_daoli):
    before = counts()
    grant_role(
        actor=admin_harbin, user=clerk_harbin_daoli, role="clerk", organisation_code="230102-GOV"
    )
    assert counts() == before


def test_revoking_is_audited(admin_harbin, clerk_harbin_daoli):
    revoke_role(
        actor=admin_harbin, user=clerk_harbin_daoli, role="clerk", organisation_code="230102-GOV"
    )
    assert not clerk_harbin_daoli.roles.exists()
    assert AuditEntry.objects.order_by("-sequence").first().action == "role.revoke"


def test_an_administrator_of_another_city_is_refused(staff_without_role, db):
    from egov.core.testing import make_staff

    admin_qiqihar = make_staff("admin_qiqihar", "230200-GOV", roles=["administrator"])
    before = counts()
    with pytest.raises(ForbiddenError):
        grant_role(
            actor=admin_qiqihar,
            user=staff_without_role,
            role="clerk",
            organisation_code="230102-GOV",
        )
    assert counts() == before


def test_a_clerk_cannot_grant_themselves_a_role(clerk_harbin_daoli):
    before = counts()
    with pytest.raises(ForbiddenError):
        grant_role(
            actor=clerk_harbin_daoli,
            user=clerk_harbin_daoli,
            role="administrator",
            organisation_code="230102-GOV",
        )
    assert counts() == before


@pytest.mark.parametrize(
    ("role", "organisation_code", "field", "code"),
    [
        ("janitor", "230102-GOV", "role", ErrorCode.UNKNOWN_ROLE),
        ("clerk", "NO-SUCH", "organisation_code", ErrorCode.ORGANISATION_NOT_FOUND),
    ],
)
def test_bad_grants_name_the_field(
    admin_province, staff_without_role, role, organisation_code, field, code
):
    before = counts()
    with pytest.raises(InvalidInputError) as refused:
        grant_role(
            actor=admin_province,
            user=staff_without_role,
            role=role,
            organisation_code=organisation_code,
        )
    assert (refused.value.field, refused.value.error_code) == (field, code)
    assert counts() == before


def test_public_accounts_cannot_hold_roles(admin_province, citizen):
    before = counts()
    with pytest.raises(InvalidInputError) as refused:
        grant_role(actor=admin_province, user=citizen, role="clerk", organisation_code="230000-GOV")
    assert refused.value.error_code == ErrorCode.NOT_STAFF
    assert counts() == before


def test_revoking_a_role_not_held_is_refused(admin_province, staff_without_role):
    before = counts()
    with pytest.raises(InvalidInputError) as refused:
        revoke_role(
            actor=admin_province,
            user=staff_without_role,
            role="clerk",
            organisation_code="230102-GOV",
        )
    assert refused.value.error_code == ErrorCode.ROLE_NOT_HELD
    assert counts() == before


def test_create_staff_user_with_roles_in_one_transaction(admin_harbin):
    make_organisation("230102-SCJG")
    user = create_staff_user(
        actor=admin_harbin,
        username="new_clerk",
        organisation_code="230102-SCJG",
        password="Correct-horse-battery-9",
        roles=["clerk", "editor"],
    )
    assert user.staff.organisation.code == "230102-SCJG"
    assert set(user.roles.values_list("role", flat=True)) == {"clerk", "editor"}
    assert user.check_password("Correct-horse-battery-9")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"username": "clerk_harbin_daoli"}, "username"),
        ({"username": "bad name"}, "username"),
        ({"password": "12345"}, "password"),
        ({"roles": ["clerk", "janitor"]}, "roles"),
        ({"organisation_code": "NO-SUCH"}, "organisation_code"),
    ],
)
def test_a_bad_staff_account_writes_nothing(admin_harbin, clerk_harbin_daoli, overrides, field):
    from egov.core.models import User

    values = {
        "username": "new_clerk",
        "organisation_code": "230102-GOV",
        "password": "Correct-horse-battery-9",
        "roles": ["clerk"],
    }
    before = (User.objects.count(), *counts())
    with pytest.raises(InvalidInputError) as refused:
        create_staff_user(actor=admin_harbin, **(values | overrides))
    assert refused.value.field == field
    assert (User.objects.count(), *counts()) == before
