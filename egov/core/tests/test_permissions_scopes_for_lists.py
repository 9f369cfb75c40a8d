"""Scoped lists: the grants that allow an action, staff of a subtree, who may act somewhere."""

from __future__ import annotations

import pytest

from egov.core.permissions import scopes_for
from egov.core.selectors.people import holders_of, roles_of, staff_in
from egov.core.testing import make_organisation

pytestmark = pytest.mark.django_db


def test_scopes_for_lists_the_paths_where_the_action_is_allowed(auditor_harbin, citizen):
    harbin = make_organisation("230100-GOV")
    assert [grant.organisation_path for grant in scopes_for(auditor_harbin, "audit.view")] == [
        harbin.path
    ]
    assert scopes_for(auditor_harbin, "outbox.manage") == []
    assert scopes_for(citizen, "audit.view") == []


def test_staff_in_a_subtree(clerk_harbin_daoli, clerk_daoli_market, clerk_qiqihar, clerk_inactive):
    harbin = make_organisation("230100-GOV")
    assert [u.username for u in staff_in(harbin)] == ["clerk_daoli_market", "clerk_harbin_daoli"]


def test_holders_of_a_role_at_or_above_an_organisation(
    clerk_harbin_daoli, clerk_harbin, clerk_qiqihar, clerk_daoli_market
):
    daoli_civil = make_organisation("230102-MZ")
    assert [u.username for u in holders_of("clerk", daoli_civil)] == [
        "clerk_harbin",
        "clerk_harbin_daoli",
    ]


def test_roles_of_a_user_outermost_first(clerk_harbin_daoli):
    from egov.core.services.people import grant_role

    grant_role(
        actor="system", user=clerk_harbin_daoli, role="leader", organisation_code="230100-GOV"
    )
    assert [(a.role, a.organisation.code) for a in roles_of(clerk_harbin_daoli)] == [
        ("leader", "230100-GOV"),
        ("clerk", "230102-GOV"),
    ]
