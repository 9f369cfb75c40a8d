"""Shared approvals fixtures: departments, staff who may and may not act, applicants, an item.

Built on the shared factories of ``egov.core.testing``. Test users say what they
may do: ``clerk_daoli`` accepts cases of 道里区市场监管局, ``clerk_qiqihar`` (shared
fixture) is refused: another city; ``leader_daoli`` decides and extends;
``citizen`` and ``enterprise`` (shared fixtures) apply online.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.approvals.models import (
    Case,
    CaseMaterial,
    Extension,
    FeePayment,
    LicenceEnding,
    NumberCounter,
    ServiceItem,
    Suspension,
    TimelineEntry,
)
from egov.approvals.services import (
    accept_case,
    approve_case,
    conclude_case,
    deliver_case,
    save_service_item,
    submit_application,
)
from egov.core.identifiers import credit_code_with_check_digit
from egov.core.models import AuditEntry, Event, Organisation, User
from egov.core.testing import make_citizen, make_organisation, make_staff, shanghai

RESIDENT_ID = "230102197503120032"  # check character 2 (GB 11643)
ENTERPRISE_CODE = credit_code_with_check_digit("91230102MA1B2C3D4")

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
def daoli_market(db) -> Organisation:
    """道里区市场监督管理局, with its government chain up to the province."""
    return make_organisation("230102-SCJG")


@pytest.fixture
def clerk_daoli(daoli_market) -> User:
    """A clerk of 道里区市场监督管理局: accepts its cases."""
    return make_staff("clerk_daoli", "230102-SCJG", ("clerk",))


@pytest.fixture
def clerk2_daoli(daoli_market) -> User:
    """A second clerk of the same department."""
    return make_staff("clerk2_daoli", "230102-SCJG", ("clerk",))


@pytest.fixture
def leader_daoli(daoli_market) -> User:
    """A leader of 道里区市场监督管理局: decides, approves extensions, terminates."""
    return make_staff("leader_daoli", "230102-SCJG", ("leader",))


@pytest.fixture
def other_citizen(db) -> User:
    """A citizen who did not file the case."""
    return make_citizen("citizen_li")


@pytest.fixture
def food_item(daoli_market) -> ServiceItem:
    return save_service_item(actor="system", department=daoli_market, spec=FOOD_ITEM)


@pytest.fixture
def submitted_case(citizen, food_item) -> Case:
    return submit_application(
        applicant=citizen, item_code=food_item.code, form=FORM, files=good_files()
    )


# --- Licences that may be revoked or cancelled (ADR 0058) ----------------------------


@contextlib.contextmanager
def nothing_written_nor_ended() -> Iterator[None]:
    """No case, timeline, event, audit row nor licence ending is written in the block."""
    before = counts() | {"LicenceEnding": LicenceEnding.objects.count()}
    yield
    assert counts() | {"LicenceEnding": LicenceEnding.objects.count()} == before


def approved(time_machine, citizen, food_item, clerk, leader) -> Case:
    time_machine.move_to(shanghai(2026, 11, 26, 10))
    case = submit_application(
        applicant=citizen, item_code=food_item.code, form=FORM, files=good_files()
    )
    time_machine.move_to(shanghai(2026, 11, 27, 9))
    accept_case(actor=clerk, number=case.number)
    time_machine.move_to(shanghai(2026, 11, 30, 15))
    return approve_case(actor=leader, number=case.number)


@pytest.fixture
def licensed_case(time_machine, citizen, food_item, clerk_daoli, leader_daoli) -> Case:
    """Approved on Monday 30 November 2026: its licence is in force."""
    return approved(time_machine, citizen, food_item, clerk_daoli, leader_daoli)


@pytest.fixture
def delivered_case(time_machine, licensed_case, clerk_daoli) -> Case:
    """Approved, concluded and posted on Tuesday 1 December 2026."""
    time_machine.move_to(shanghai(2026, 12, 1, 10))
    conclude_case(actor=clerk_daoli, number=licensed_case.number)
    return deliver_case(actor=clerk_daoli, number=licensed_case.number, method="post")
