"""Organisation selectors: subtree and ancestors in one query; access answers 404 alike."""

from __future__ import annotations

import pytest

from egov.core.errors import ErrorCode, NotFoundError
from egov.core.models import Organisation
from egov.core.selectors.organisations import (
    access_organisation,
    ancestors,
    get_organisation,
    organisations,
    subtree,
)
from egov.core.testing import make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree() -> dict[str, Organisation]:
    codes = ["230102-SCJG", "230102-MZ", "230103-SCJG", "230200-GOV", "230100-SCJG"]
    return {code: make_organisation(code) for code in codes}


def test_subtree_of_harbin_government_is_one_query(tree, django_assert_num_queries):
    harbin = Organisation.objects.get(code="230100-GOV")
    with django_assert_num_queries(1):
        codes = {o.code for o in subtree(harbin)}
    assert codes == {
        "230100-GOV",
        "230100-SCJG",
        "230102-GOV",
        "230102-SCJG",
        "230102-MZ",
        "230103-GOV",
        "230103-SCJG",
    }


def test_ancestors_of_a_county_department_is_one_query(tree, django_assert_num_queries):
    department = tree["230102-SCJG"]
    with django_assert_num_queries(1):
        chain = [o.code for o in ancestors(department)]
    assert chain == ["230000-GOV", "230100-GOV", "230102-GOV", "230102-SCJG"]


def test_filters_by_region_kind_and_parent(tree):
    assert {o.code for o in organisations(region="230102")} == {
        "230102-GOV",
        "230102-SCJG",
        "230102-MZ",
    }
    assert {o.code for o in organisations(kind="government", parent="230100-GOV")} == {
        "230102-GOV",
        "230103-GOV",
    }


def test_get_organisation_raises_not_found():
    with pytest.raises(NotFoundError) as missing:
        get_organisation("NO-SUCH")
    assert missing.value.error_code == ErrorCode.ORGANISATION_NOT_FOUND


def test_access_answers_not_found_alike_for_missing_and_forbidden(
    tree, admin_harbin, clerk_qiqihar
):
    manage = "organisation.manage"
    assert access_organisation(admin_harbin, "230102-SCJG", action=manage).code == "230102-SCJG"
    refusals = []
    for actor, code in ((admin_harbin, "230200-GOV"), (admin_harbin, "NO-SUCH")):
        with pytest.raises(NotFoundError) as refused:
            access_organisation(actor, code, action=manage)
        refusals.append((refused.value.error_code, refused.value.message.replace(code, "?")))
    assert refusals[0] == refusals[1]
    assert refusals[0][0] == ErrorCode.ORGANISATION_NOT_FOUND
    with pytest.raises(NotFoundError):
        access_organisation(clerk_qiqihar, "230102-SCJG", action=manage)


def test_inactive_organisations_are_not_found(tree):
    Organisation.objects.filter(code="230102-MZ").update(is_active=False)
    with pytest.raises(NotFoundError):
        get_organisation("230102-MZ")
    assert "230102-MZ" not in {o.code for o in organisations(region="230102")}
