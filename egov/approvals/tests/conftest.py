"""Shared approvals fixtures: departments, staff who may and may not act, applicants, an item.

Test users say what they may do: ``clerk_daoli`` accepts cases of 道里区市场监管局,
``clerk_qiqihar`` is refused (another city), ``leader_daoli`` decides and
extends, ``citizen`` and ``enterprise`` apply online.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from stdnum.cn import ric

from egov.approvals.models import (
    Case,
    CaseMaterial,
    Extension,
    FeePayment,
    NumberCounter,
    ServiceItem,
    Suspension,
    TimelineEntry,
)
from egov.approvals.services import save_service_item, submit_application
from egov.core.models import AuditEntry, Event, Organisation, User
from egov.core.services.organisations import create_organisation
from egov.core.services.people import create_staff_user, register_public_account

PASSWORD = "correct-horse-battery"
RESIDENT_ID = "230102197503120032"  # check character 2 (GB 11643)


def credit_code_with_check(first17: str) -> str:
    from stdnum.cn import uscc

    return first17 + uscc.calc_check_digit(first17)


ENTERPRISE_CODE = credit_code_with_check("91230102MA1B2C3D4")

ORGANISATIONS = [
    ("230000-GOV", "黑龙江省人民政府", "government", "230000", None),
    ("230000-SCJG", "黑龙江省市场监督管理局", "department", "230000", "230000-GOV"),
    ("230100-GOV", "哈尔滨市人民政府", "government", "230100", "230000-GOV"),
    ("230100-SCJG", "哈尔滨市市场监督管理局", "department", "230100", "230100-GOV"),
    ("230102-GOV", "哈尔滨市道里区人民政府", "government", "230102", "230100-GOV"),
    ("230102-SCJG", "哈尔滨市道里区市场监督管理局", "department", "230102", "230102-GOV"),
    ("230200-GOV", "齐齐哈尔市人民政府", "government", "230200", "230000-GOV"),
    ("230200-SCJG", "齐齐哈尔市市场监督管理局", "department", "230200", "230200-GOV"),
]

FOOD_ITEM = {
    "code": "SCJG-SPJY-230102",
    "base_code": "SCJG-SPJY",
    "name": "食品经营许可",
    "kind": "licence",
    "legal_basis": "《中华人民共和国食品安全法》；《食品经营许可和备案管理办法》",
    "conditions": "有与经营的食品品种、数量相适应的经营场所",
    "statutory_limit_days": 10,
    "promised_limit_days": 5,
    "fees": [{"name": "许可证工本费", "amount_fen": 1000, "basis": "示例收费依据（测试）"}],
    "materials": [
        {
            "code": "APP",
            "name": "食品经营许可申请书",
            "form": "original",
            "copies": 1,
            "mandatory": True,
        },
        {
            "code": "PLAN",
            "name": "经营场所平面布局图",
            "form": "copy",
            "copies": 1,
            "mandatory": True,
        },
        {"code": "OTHER", "name": "其他材料", "form": "copy", "copies": 1, "mandatory": False},
    ],
    "form_fields": [
        {"name": "shop_name", "label": "经营者名称", "type": "text"},
        {"name": "phone", "label": "联系电话", "type": "phone"},
        {"name": "district", "label": "经营场所所在区县", "type": "region"},
        {
            "name": "category",
            "label": "经营项目",
            "type": "choice",
            "choices": ["食品销售", "餐饮服务"],
        },
    ],
    "process": [
        {"name": "受理", "role": "clerk", "limit_days": 1},
        {"name": "审查", "role": "clerk", "limit_days": 2},
        {"name": "决定", "role": "leader", "limit_days": 1},
        {"name": "送达", "role": "clerk", "limit_days": 1},
    ],
    "place": "道里区政务服务中心二楼市场监管窗口",
    "hours": "工作日 8:30-11:30，13:30-17:00",
    "contact": "0451-84600000",
}
FORM = {
    "shop_name": "老道外小馆",
    "phone": "13904510000",
    "district": "230102",
    "category": "餐饮服务",
}


def pdf(name: str = "file.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.7\n% test\n", content_type="application/pdf")


def good_files() -> dict[str, list[SimpleUploadedFile]]:
    return {"APP": [pdf("申请书.pdf")], "PLAN": [pdf("平面图.pdf")]}


MODELS = (
    Case,
    CaseMaterial,
    Suspension,
    Extension,
    FeePayment,
    TimelineEntry,
    NumberCounter,
    Event,
    AuditEntry,
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@contextlib.contextmanager
def nothing_written() -> Iterator[None]:
    """Assert the block writes no case, material, timeline, event or audit row."""
    before = counts()
    yield
    assert counts() == before


@pytest.fixture
def departments(db) -> dict[str, Organisation]:
    made = {}
    for code, name, kind, region, parent in ORGANISATIONS:
        made[code] = create_organisation(
            actor="system",
            code=code,
            name=name,
            kind=kind,
            region_code=region,
            parent_code=parent,
        )
    return made


def staff(username: str, organisation: str, *roles: str) -> User:
    return create_staff_user(
        actor="system",
        username=username,
        organisation_code=organisation,
        password=PASSWORD,
        display_name=username,
        roles=roles,
    )


@pytest.fixture
def clerk_daoli(departments) -> User:
    return staff("clerk_daoli", "230102-SCJG", "clerk")


@pytest.fixture
def clerk2_daoli(departments) -> User:
    return staff("clerk2_daoli", "230102-SCJG", "clerk")


@pytest.fixture
def leader_daoli(departments) -> User:
    return staff("leader_daoli", "230102-SCJG", "leader")


@pytest.fixture
def clerk_qiqihar(departments) -> User:
    return staff("clerk_qiqihar", "230200-SCJG", "clerk")


@pytest.fixture
def citizen(db) -> User:
    return register_public_account(
        kind="citizen",
        username="zhangsan",
        password=PASSWORD,
        display_name="张三",
        resident_id=RESIDENT_ID,
        phone="13904510000",
    )


@pytest.fixture
def other_citizen(db) -> User:
    first17 = "23010219800101002"
    return register_public_account(
        kind="citizen",
        username="lisi",
        password=PASSWORD,
        display_name="李四",
        resident_id=first17 + ric.calc_check_digit(first17 + "0"),
    )


@pytest.fixture
def enterprise(db) -> User:
    return register_public_account(
        kind="enterprise",
        username="laodaowai",
        password=PASSWORD,
        display_name="哈尔滨老道外餐饮有限公司",
        credit_code=ENTERPRISE_CODE,
    )


@pytest.fixture
def food_item(departments) -> ServiceItem:
    return save_service_item(actor="system", department=departments["230102-SCJG"], spec=FOOD_ITEM)


@pytest.fixture
def submitted_case(citizen, food_item) -> Case:
    return submit_application(
        applicant=citizen, item_code=food_item.code, form=FORM, files=good_files()
    )
