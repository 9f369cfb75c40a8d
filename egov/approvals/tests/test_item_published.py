"""ItemPublished (catalogue item created or changed) and the applicant in ApplicationSubmitted.

The supervision engine keeps its own copy of the catalogue and checks the
applicant's identity; both reach it only as events (ADR 0021).
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from egov.approvals.demo import load_demo_catalogue
from egov.approvals.services import save_service_item, submit_application
from egov.approvals.tests.conftest import FOOD_ITEM, good_files
from egov.core.demo import load_demo_organisations
from egov.core.models import Event

pytestmark = pytest.mark.django_db
SCHEMA = json.loads(
    (Path(__file__).resolve().parents[3] / "docs" / "case-events.schema.json").read_text("utf-8")
)
VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def published(code: str) -> list[dict]:
    rows = Event.objects.filter(event_type="ItemPublished", aggregate=code).order_by("id")
    return [event.payload for event in rows]


def test_saving_an_item_publishes_it_whole(food_item, daoli_market, clerk_daoli):
    [created] = published(food_item.code)
    assert list(VALIDATOR.iter_errors(created)) == []
    assert "case_number" not in created
    assert created["data"] == {
        "code": "SCJG-SPJY-230102",
        "name": "食品经营许可",
        "kind": "licence",
        "department_code": "230102-SCJG",
        "region_code": "230102",
        "legal_basis": FOOD_ITEM["legal_basis"],
        "statutory_limit_days": 10,
        "promised_limit_days": 5,
        "fees": [{"name": "许可证工本费", "amount_fen": 1000, "basis": "示例收费依据（测试）"}],
        "materials": [
            {"code": "APP", "name": "食品经营许可申请书", "required": True},
            {"code": "PLAN", "name": "经营场所平面布局图", "required": True},
            {"code": "OTHER", "name": "其他材料", "required": False},
        ],
    }
    save_service_item(
        actor="system", department=daoli_market, spec={**FOOD_ITEM, "statutory_limit_days": 12}
    )
    changed = published(food_item.code)[-1]
    assert changed["data"]["statutory_limit_days"] == 12
    assert changed["event_id"] != created["event_id"]


def test_a_refused_item_publishes_nothing(daoli_market):
    with pytest.raises(Exception, match="invalid"):
        save_service_item(actor="system", department=daoli_market, spec={**FOOD_ITEM, "name": ""})
    assert not Event.objects.filter(event_type="ItemPublished").exists()


def test_the_demo_catalogue_publishes_every_new_item_once():
    load_demo_organisations()
    created = load_demo_catalogue()
    events = Event.objects.filter(event_type="ItemPublished")
    assert events.count() == created > 0
    for event in events[:50]:
        assert list(VALIDATOR.iter_errors(event.payload)) == []
    assert load_demo_catalogue() == 0
    assert events.count() == created


def test_the_submission_names_the_applicant(citizen, food_item):
    form = {"shop_name": "张三小吃", "phone": "13800000000", "district": "230102"}
    case = submit_application(
        applicant=citizen,
        item_code=food_item.code,
        form={**form, "category": "食品销售"},
        files=good_files(),
    )
    payload = Event.objects.get(aggregate=case.number, event_type="ApplicationSubmitted").payload
    assert list(VALIDATOR.iter_errors(payload)) == []
    assert payload["data"]["applicant"] == {
        "kind": "citizen",
        "name": case.applicant_name,
        "id_type": "resident_id",
        "identifier": case.applicant_identifier,
    }
