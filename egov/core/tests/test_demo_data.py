"""load_demo_data: Heilongjiang's organisation chart and one account per role, idempotent."""

from __future__ import annotations

import pytest

from egov.core.demo import DEFAULT_DEMO_PASSWORD, load_demo_data
from egov.core.identifiers import parse_credit_code, parse_resident_id
from egov.core.models import AuditEntry, Organisation, Region, User
from egov.core.permissions import may
from egov.core.testing import kept_for_the_module

pytestmark = pytest.mark.django_db

PROVINCIAL_DEPARTMENTS = [
    "黑龙江省发展和改革委员会",
    "黑龙江省教育厅",
    "黑龙江省公安厅",
    "黑龙江省民政厅",
    "黑龙江省司法厅",
    "黑龙江省财政厅",
    "黑龙江省人力资源和社会保障厅",
    "黑龙江省自然资源厅",
    "黑龙江省生态环境厅",
    "黑龙江省住房和城乡建设厅",
    "黑龙江省交通运输厅",
    "黑龙江省农业农村厅",
    "黑龙江省商务厅",
    "黑龙江省卫生健康委员会",
    "黑龙江省应急管理厅",
    "黑龙江省市场监督管理局",
    "黑龙江省营商环境建设监督局",
]


@pytest.fixture(scope="module")
def accounts(django_db_setup, django_db_blocker):
    """The whole demo, loaded once for the module's tests (it takes seconds), then rolled back."""
    with kept_for_the_module(django_db_blocker), pytest.MonkeyPatch.context() as patch:
        patch.delenv("EGOV_DEMO_PASSWORD", raising=False)
        yield load_demo_data()


def test_the_provincial_government_its_office_egov_office_and_departments(accounts):
    province = Organisation.objects.get(code="230000-GOV")
    assert (province.name, province.parent, province.kind) == (
        "黑龙江省人民政府",
        None,
        "government",
    )
    under = set(province.children.values_list("name", flat=True))
    assert {"黑龙江省人民政府办公厅", "黑龙江省电子政务办公室"} <= under
    assert set(PROVINCIAL_DEPARTMENTS) <= under


def test_every_current_division_has_a_government_linked_up_the_tree(accounts):
    governments = {
        o.region_id: o
        for o in Organisation.objects.filter(kind="government").select_related("parent")
    }
    divisions = Region.objects.filter(is_current=True)
    assert {d.code for d in divisions} == set(governments)
    for division in divisions.exclude(level=Region.Level.PROVINCE):
        assert governments[division.code].parent == governments[division.parent_id]
    assert governments["230102"].name == "哈尔滨市道里区人民政府"


def test_every_government_has_an_office_and_departments_named_after_its_region(accounts):
    assert Organisation.objects.count() == 20 + 13 * 11 + 121 * 9
    market = Organisation.objects.select_related("parent").get(code="230100-SCJG")
    assert (market.name, market.parent.code) == ("哈尔滨市市场监督管理局", "230100-GOV")
    assert Organisation.objects.get(code="230102-SCJG").name == "哈尔滨市道里区市场监督管理局"
    assert Organisation.objects.get(code="231183-SCJG").name == "嫩江市市场监督管理局"
    offices = Organisation.objects.filter(kind="general_office").count()
    assert offices == 1 + 13 + 121


def test_paths_are_the_chain_of_parent_ids(accounts):
    rows = {o.pk: o for o in Organisation.objects.all()}
    for organisation in rows.values():
        parent_path = rows[organisation.parent_id].path if organisation.parent_id else ""
        assert organisation.path == f"{parent_path}{organisation.pk}/"


def test_a_second_run_creates_nothing(accounts):
    before = (Organisation.objects.count(), User.objects.count(), AuditEntry.objects.count())
    again = load_demo_data()
    assert [a.username for a in again] == [a.username for a in accounts]
    assert (Organisation.objects.count(), User.objects.count(), AuditEntry.objects.count()) == (
        before
    )


def test_one_staff_account_per_role_and_place_that_may_act_in_its_scope(accounts):
    staff = [a for a in accounts if a.kind == "staff"]
    assert len(staff) == 30
    assert {a.role for a in staff} == {
        "clerk",
        "document_clerk",
        "supervisor",
        "duty_officer",
        "editor",
        "leader",
        "egov_office",
        "ra_officer",
        "auditor",
        "administrator",
    }
    daoli_market = Organisation.objects.get(code="230102-SCJG")
    qiqihar = Organisation.objects.get(code="230200-GOV")
    clerk_daoli = User.objects.get(username="clerk_daoli")
    assert may(clerk_daoli, "workbench.view", daoli_market)
    assert not may(clerk_daoli, "workbench.view", qiqihar)
    assert may(User.objects.get(username="auditor_province"), "audit.view", qiqihar)
    assert not may(User.objects.get(username="auditor_harbin"), "audit.view", qiqihar)
    assert not may(User.objects.get(username="leader_daoli"), "audit.view")


def test_the_provincial_administrator_opens_django_admin(accounts):
    admin = User.objects.get(username="administrator_province")
    assert admin.is_superuser
    assert admin.is_staff
    assert not User.objects.get(username="administrator_harbin").is_superuser


def test_every_account_logs_in_with_the_demo_password(accounts):
    assert {a.password for a in accounts} == {DEFAULT_DEMO_PASSWORD}
    for account in accounts:
        assert User.objects.get(username=account.username).check_password(account.password)


def test_the_citizen_and_enterprise_carry_valid_numbers(accounts):
    citizen = User.objects.get(username="citizen_demo")
    enterprise = User.objects.get(username="enterprise_demo")
    assert parse_resident_id(citizen.public_account.resident_id).address_code == "230102"
    assert parse_credit_code(enterprise.public_account.credit_code)
    assert {a.kind for a in accounts if a.role == "-"} == {"citizen", "enterprise"}
