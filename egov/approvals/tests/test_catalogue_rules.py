"""Catalogue item rules: limits, fees, materials, process steps. Pure."""

import pytest

from egov.approvals.catalogue import check_item, mandatory_codes, yuan
from egov.approvals.forms_spec import SpecError

ITEM = {
    "code": "JY-001",
    "name": "食品经营许可",
    "kind": "licence",
    "legal_basis": "《中华人民共和国食品安全法》",
    "statutory_limit_days": 20,
    "promised_limit_days": 10,
    "fees": [],
    "materials": [
        {"code": "M1", "name": "申请书", "form": "original", "copies": 1, "mandatory": True},
        {"code": "M2", "name": "场所平面图", "form": "copy", "copies": 1, "mandatory": False},
    ],
    "process": [
        {"name": "受理", "role": "clerk", "limit_days": 1},
        {"name": "审查", "role": "clerk", "limit_days": 6},
        {"name": "决定", "role": "leader", "limit_days": 2},
        {"name": "送达", "role": "clerk", "limit_days": 1},
    ],
    "form_fields": [{"name": "applicant", "label": "申请人", "type": "text"}],
}


def test_a_well_formed_item_passes():
    check_item(ITEM)
    assert mandatory_codes(ITEM["materials"]) == ["M1"]
    assert str(yuan(1050)) == "10.50"


def test_the_promise_may_not_exceed_the_law():
    with pytest.raises(SpecError) as caught:
        check_item({**ITEM, "promised_limit_days": 25})
    assert "may not exceed the statutory limit (20)" in caught.value.errors["promised_limit_days"]


def test_step_limits_must_fit_the_promise():
    steps = [*ITEM["process"], {"name": "办结", "role": "clerk", "limit_days": 5}]
    with pytest.raises(SpecError) as caught:
        check_item({**ITEM, "process": steps})
    assert caught.value.errors == {
        "process": "the steps' limits add up to 15, more than the promise 10"
    }


def test_bad_fees_materials_and_steps_are_each_named():
    broken = {
        **ITEM,
        "kind": "tax",
        "fees": [{"name": "工本费", "amount_fen": -1, "basis": ""}],
        "materials": [{"code": "M1", "name": "申请书", "form": "scan", "copies": 0}],
        "process": [{"name": "盖章", "role": "janitor", "limit_days": 1}],
    }
    with pytest.raises(SpecError) as caught:
        check_item(broken)
    assert set(caught.value.errors) == {
        "kind",
        "fees[0].amount_fen",
        "fees[0].basis",
        "materials[0].form",
        "materials[0].copies",
        "materials[0].mandatory",
        "process[0].name",
        "process[0].role",
    }
