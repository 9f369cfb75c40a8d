"""may(): a role held at an organisation applies to that organisation's subtree."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from egov.core.models import Organisation, Region
from egov.core.permissions import may
from egov.core.testing import make_organisation


@pytest.fixture
def daoli_market(db: None) -> Organisation:
    return make_organisation("230102-SCJG")


@pytest.fixture
def harbin_market(db: None) -> Organisation:
    return make_organisation("230100-SCJG")


def test_a_county_clerk_acts_on_their_countys_departments(clerk_harbin_daoli, daoli_market):
    assert may(clerk_harbin_daoli, "workbench.view", daoli_market)


def test_a_clerk_of_another_city_is_refused(clerk_qiqihar, daoli_market):
    assert may(clerk_qiqihar, "workbench.view") is True
    assert may(clerk_qiqihar, "workbench.view", daoli_market) is False


def test_a_city_role_covers_its_counties_but_not_upwards(clerk_harbin, daoli_market, db):
    province = make_organisation("230000-GOV")
    assert may(clerk_harbin, "workbench.view", daoli_market)
    assert not may(clerk_harbin, "workbench.view", province)


def test_a_department_role_does_not_reach_sibling_departments(clerk_daoli_market, db):
    assert may(clerk_daoli_market, "workbench.view", make_organisation("230102-SCJG"))
    assert not may(clerk_daoli_market, "workbench.view", make_organisation("230102-MZ"))
    assert not may(clerk_daoli_market, "workbench.view", make_organisation("230102-GOV"))


def test_a_role_that_is_not_in_the_action_table_is_refused(clerk_harbin_daoli, daoli_market):
    assert not may(clerk_harbin_daoli, "audit.view")
    assert not may(clerk_harbin_daoli, "organisation.manage", daoli_market)


def test_auditor_scope_follows_the_organisation_tree(auditor_harbin, auditor_province, db):
    qiqihar = make_organisation("230200-GOV")
    daoli = make_organisation("230102-GOV")
    assert may(auditor_harbin, "audit.view", daoli)
    assert not may(auditor_harbin, "audit.view", qiqihar)
    assert may(auditor_province, "audit.view", qiqihar)


def test_regions_are_covered_through_the_role_organisations_region(clerk_harbin, db):
    assert may(clerk_harbin, "workbench.view", Region.objects.get(code="230102"))
    assert may(clerk_harbin, "workbench.view", Region.objects.get(code="230100"))
    assert not may(clerk_harbin, "workbench.view", Region.objects.get(code="230000"))
    assert not may(clerk_harbin, "workbench.view", Region.objects.get(code="230202"))


def test_objects_that_name_their_organisation_or_region_by_code(clerk_harbin_daoli, daoli_market):
    case_in_daoli = SimpleNamespace(organisation_code="230102-SCJG")
    case_in_qiqihar = SimpleNamespace(organisation_code="230200-GOV")
    case_nowhere = SimpleNamespace(organisation_code="NO-SUCH-ORG")
    assert may(clerk_harbin_daoli, "workbench.view", case_in_daoli)
    assert not may(clerk_harbin_daoli, "workbench.view", case_in_qiqihar)
    assert not may(clerk_harbin_daoli, "workbench.view", case_nowhere)
    assert may(clerk_harbin_daoli, "workbench.view", SimpleNamespace(region_code="230102"))
    assert not may(clerk_harbin_daoli, "workbench.view", SimpleNamespace(region_code="230103"))
    holder = SimpleNamespace(organisation=daoli_market)
    assert may(clerk_harbin_daoli, "workbench.view", holder)


def test_an_object_with_no_place_is_a_programming_error(clerk_harbin_daoli):
    with pytest.raises(TypeError, match="cannot tell where"):
        may(clerk_harbin_daoli, "workbench.view", object())


def test_inactive_users_and_users_without_roles_are_refused(
    clerk_inactive, staff_without_role, daoli_market
):
    assert not may(clerk_inactive, "workbench.view")
    assert not may(clerk_inactive, "workbench.view", daoli_market)
    assert not may(staff_without_role, "workbench.view")


def test_public_accounts_never_pass_staff_actions(citizen, enterprise, daoli_market):
    for account in (citizen, enterprise):
        assert not may(account, "workbench.view")
        assert not may(account, "workbench.view", daoli_market)
        assert may(account, "account.view")


def test_staff_do_not_pass_public_account_actions(clerk_harbin_daoli):
    assert not may(clerk_harbin_daoli, "account.view")


def test_everyone_may_view_regions_even_anonymous(db):
    region = Region.objects.get(code="230102")
    assert may(AnonymousUser(), "region.view", region)
    assert may(None, "organisation.view")
    assert not may(AnonymousUser(), "workbench.view")


def test_unknown_actions_are_refused_even_for_administrators(admin_province):
    assert may(admin_province, "organisation.manage")
    assert not may(admin_province, "no.such_action")


def test_superuser_flag_alone_grants_nothing(db):
    from egov.core.testing import make_staff

    root = make_staff("root_without_roles", "230000-GOV", roles=(), is_superuser=True)
    assert root.is_superuser
    assert not may(root, "audit.view")
