"""A catalogue item's texts are typed, bounded text (issue 10, items 4 and 5).

Before the fix an item's name kept U+202E, a legal basis of 1 MB was stored
and sent on in ItemPublished, a fee named 12 became "12", a form label or a
choice could hold NUL, and an uploaded file's name kept its control
characters. Now each is refused naming the field, and nothing is written.
"""

from __future__ import annotations

import copy

import pytest

from egov.approvals.catalogue import check_item
from egov.approvals.errors import ApprovalError, ErrorCode
from egov.approvals.forms_spec import SpecError, check_upload
from egov.approvals.models import ServiceItem
from egov.approvals.services import save_service_item
from egov.approvals.tests.conftest import FOOD_ITEM
from egov.core.models import AuditEntry, Event


def problems(change) -> dict[str, str]:
    item = copy.deepcopy(FOOD_ITEM)
    change(item)
    with pytest.raises(SpecError) as caught:
        check_item(item)
    return caught.value.errors


def test_the_item_itself_is_typed_text():
    def change(item):
        item["name"] = "食品经营许可\u202e"
        item["legal_basis"] = "法" * (1024 * 1024)
        item["place"] = ["二楼"]
        item["contact"] = 84600000

    assert problems(change) == {
        "name": "control character U+202E is not allowed",
        "legal_basis": "at most 2000 characters, got 1048576",
        "place": "expected text, got list",
        "contact": "expected text, got int",
    }


def test_fees_and_materials_are_typed_text():
    def change(item):
        item["fees"][0]["name"] = 12
        item["materials"][0]["name"] = "申请书\x00"
        item["materials"][1]["code"] = "P" * 33

    assert problems(change) == {
        "fees[0].name": "expected text, got int",
        "materials[0].name": "control character U+0000 is not allowed",
        "materials[1].code": "at most 32 characters, got 33",
    }


def test_form_labels_and_choices_are_typed_text():
    def change(item):
        item["form_fields"][0]["label"] = "经营者\u2066名称"
        item["form_fields"][3]["choices"] = ["食品销售", "餐饮\x00服务"]
        item["form_fields"][0]["max_length"] = 10**9

    errors = problems(change)
    assert errors["form_fields[0].label"].endswith("control character U+2066 is not allowed")
    assert errors["form_fields[3].choices"].startswith("a choice field needs")
    assert errors["form_fields[0].max_length"] == "a whole number from 1 to 2000"


def test_line_breaks_are_kept_where_an_item_spans_lines():
    item = copy.deepcopy(FOOD_ITEM)
    item["legal_basis"] = "《中华人民共和国食品安全法》\n《食品经营许可和备案管理办法》"
    check_item(item)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("申请书\x00.pdf", "file name: control character U+0000 is not allowed"),
        ("申请书\u202efdp.exe", "file name: control character U+202E is not allowed"),
        ("a" * 197 + ".pdf", "file name: at most 200 characters, got 201"),
    ],
)
def test_an_upload_name_with_control_characters_or_too_long_is_refused(name, reason):
    with pytest.raises(ValueError, match="file name") as caught:
        check_upload(name, 100, b"%PDF-1.7")
    assert str(caught.value) == reason


def test_saving_a_bad_item_writes_nothing(daoli_market):
    spec = {**FOOD_ITEM, "name": "食品经营许可\u202e"}
    before = (ServiceItem.objects.count(), AuditEntry.objects.count(), Event.objects.count())
    with pytest.raises(ApprovalError) as caught:
        save_service_item(actor="system", department=daoli_market, spec=spec)
    assert caught.value.code is ErrorCode.INVALID_INPUT
    assert caught.value.fields == {"name": "control character U+202E is not allowed"}
    after = (ServiceItem.objects.count(), AuditEntry.objects.count(), Event.objects.count())
    assert after == before
