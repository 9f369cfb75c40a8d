"""create_organisation: path from the parent, audited, bad input refused with nothing written."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from egov.core.errors import ErrorCode, ForbiddenError, InvalidInputError
from egov.core.models import AuditEntry, Organisation
from egov.core.services.organisations import create_organisation
from egov.core.testing import make_organisation

pytestmark = pytest.mark.django_db


@contextmanager
def nothing_written() -> Iterator[None]:
    before = (Organisation.objects.count(), AuditEntry.objects.count())
    yield
    assert (Organisation.objects.count(), AuditEntry.objects.count()) == before


def create(actor, **overrides):
    values = {
        "code": "230102-SJ",
        "name": "哈尔滨市道里区审计局",
        "kind": "department",
        "region_code": "230102",
        "parent_code": "230102-GOV",
        "short_name": "道里区审计局",
    }
    return create_organisation(actor=actor, **(values | overrides))


def test_an_administrator_creates_a_department_under_a_county_government(admin_harbin):
    government = make_organisation("230102-GOV")
    created = create(admin_harbin)
    assert created.parent == government
    assert created.path == f"{government.path}{created.pk}/"
    assert created.region_id == "230102"
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert (entry.actor, entry.action, entry.object_id) == (
        "admin_harbin",
        "organisation.create",
        "230102-SJ",
    )


def test_the_egov_office_may_create_organisations(egov_office_province, db):
    make_organisation("230102-GOV")
    assert create(egov_office_province).code == "230102-SJ"


def test_a_root_organisation_has_its_own_id_as_path(db):
    root = create_organisation(
        actor="system", code="ROOT-X", name="测试根机构", kind="government", region_code="230000"
    )
    assert root.path == f"{root.pk}/"


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"code": "230102-GOV"}, "code", ErrorCode.DUPLICATE_ORGANISATION_CODE),
        ({"code": "bad code!"}, "code", ErrorCode.INVALID_ORGANISATION),
        ({"name": "  "}, "name", ErrorCode.INVALID_ORGANISATION),
        ({"kind": "ministry"}, "kind", ErrorCode.INVALID_ORGANISATION),
        ({"short_name": "长" * 33}, "short_name", ErrorCode.INVALID_ORGANISATION),
        ({"region_code": "2301"}, "region_code", ErrorCode.INVALID_REGION_CODE),
        ({"region_code": "239999"}, "region_code", ErrorCode.REGION_NOT_FOUND),
        ({"region_code": "230121"}, "region_code", ErrorCode.REGION_NOT_FOUND),
        ({"parent_code": "NO-SUCH"}, "parent_code", ErrorCode.PARENT_NOT_FOUND),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(admin_province, overrides, field, code):
    make_organisation("230102-GOV")
    with nothing_written(), pytest.raises(InvalidInputError) as refused:
        create(admin_province, **overrides)
    assert (refused.value.field, refused.value.error_code) == (field, code)
    assert field in refused.value.message_dict


def test_an_administrator_elsewhere_is_refused_and_nothing_is_written(db):
    from egov.core.testing import make_staff

    admin_qiqihar = make_staff("admin_qiqihar", "230200-GOV", roles=["administrator"])
    make_organisation("230102-GOV")
    with nothing_written(), pytest.raises(ForbiddenError):
        create(admin_qiqihar)


def test_a_clerk_is_refused_and_nothing_is_written(clerk_harbin_daoli):
    with nothing_written(), pytest.raises(ForbiddenError):
        create(clerk_harbin_daoli)
