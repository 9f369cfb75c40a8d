"""may() reads the user's grants in one query and then answers from the user object."""

from __future__ import annotations

import pytest

from egov.core.permissions import may
from egov.core.services.people import grant_role, revoke_role
from egov.core.testing import make_organisation

pytestmark = pytest.mark.django_db


def test_one_query_for_the_first_check_none_after(clerk_harbin_daoli, django_assert_num_queries):
    daoli = make_organisation("230102-SCJG")
    qiqihar = make_organisation("230200-GOV")
    with django_assert_num_queries(1):
        assert may(clerk_harbin_daoli, "workbench.view", daoli)
    with django_assert_num_queries(0):
        assert not may(clerk_harbin_daoli, "workbench.view", qiqihar)
        assert not may(clerk_harbin_daoli, "audit.view")


def test_a_grant_and_a_revoke_take_effect_on_the_same_user_object(clerk_harbin_daoli, db):
    daoli = make_organisation("230102-GOV")
    assert not may(clerk_harbin_daoli, "audit.view", daoli)
    grant_role(
        actor="system", user=clerk_harbin_daoli, role="auditor", organisation_code="230102-GOV"
    )
    assert may(clerk_harbin_daoli, "audit.view", daoli)
    revoke_role(
        actor="system", user=clerk_harbin_daoli, role="auditor", organisation_code="230102-GOV"
    )
    assert not may(clerk_harbin_daoli, "audit.view", daoli)


def test_roles_at_a_deactivated_organisation_count_for_nothing(clerk_daoli_market):
    from egov.core.models import Organisation, User

    Organisation.objects.filter(code="230102-SCJG").update(is_active=False)
    fresh = User.objects.get(pk=clerk_daoli_market.pk)
    assert not may(fresh, "workbench.view")
