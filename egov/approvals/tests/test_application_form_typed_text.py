"""An application form's values are typed text (issue 10, item 4).

Before the fix a text field stored ``{"a": 1}`` as ``"{'a': 1}"`` and ``true``
as ``"True"``, and NUL, other control characters and U+202E went in as sent.
Now the service refuses them, naming the field and the reason, the API
answers 400 ``invalid_input`` with ``field`` and ``errors``, the page shows
the reason on the form, and nothing is written.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from egov.approvals.errors import ApprovalError, ErrorCode
from egov.approvals.services import submit_application
from egov.approvals.tests.conftest import FORM, good_files, nothing_written, pdf

BASE = "/api/v1/approvals"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ({"a": 1}, "expected text, got dict"),
        (["老道外小馆"], "expected text, got list"),
        (True, "expected text, got bool"),
        (12345, "expected text, got int"),
        ("老道外\x00小馆", "control character U+0000 is not allowed"),
        ("老道外\u202e馆小", "control character U+202E is not allowed"),
        ("老道外\x1b[31m小馆", "control character U+001B is not allowed"),
        ("老道外\n小馆", "line break or tab U+000A is not allowed"),
        ("饭" * 1024 * 1024, "at most 200 characters, got 1048576"),
    ],
)
def test_the_service_refuses_a_text_field_that_is_not_plain_text(citizen, food_item, value, reason):
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        submit_application(
            applicant=citizen,
            item_code=food_item.code,
            form={**FORM, "shop_name": value},
            files=good_files(),
        )
    assert caught.value.code is ErrorCode.INVALID_INPUT
    assert caught.value.fields == {"form.shop_name": reason}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phone", 13904510000),  # a number where a phone is text
        ("category", ["餐饮服务"]),
        ("district", {"code": "230102"}),
        ("category", "餐饮\u2066服务"),
    ],
)
def test_other_field_types_refuse_objects_and_control_characters(citizen, food_item, field, value):
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        submit_application(
            applicant=citizen,
            item_code=food_item.code,
            form={**FORM, field: value},
            files=good_files(),
        )
    assert list(caught.value.fields) == [f"form.{field}"]


def test_the_api_answers_400_with_the_field_and_reason(citizen, food_item):
    client = signed_in(citizen)
    form = json.dumps({**FORM, "shop_name": {"a": 1}})
    with nothing_written():
        response = client.post(
            f"{BASE}/cases",
            {"item_code": food_item.code, "form": form, "APP": pdf(), "PLAN": pdf()},
        )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["field"] == "form.shop_name"
    assert body["errors"] == [{"field": "form.shop_name", "reason": "expected text, got dict"}]
    assert "form.shop_name" in body["message"]


def test_the_api_refuses_nul_which_postgresql_json_cannot_hold(citizen, food_item):
    client = signed_in(citizen)
    form = json.dumps({**FORM, "shop_name": "老道外\u0000小馆"})
    with nothing_written():
        response = client.post(
            f"{BASE}/cases",
            {"item_code": food_item.code, "form": form, "APP": pdf(), "PLAN": pdf()},
        )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "form.shop_name", "reason": "control character U+0000 is not allowed"}
    ]


def test_the_page_shows_the_reason_on_the_form(citizen, food_item):
    with nothing_written():
        response = signed_in(citizen).post(
            f"/approvals/items/{food_item.code}/apply/",
            {**FORM, "shop_name": "老道外\u202e馆小", "APP": pdf(), "PLAN": pdf()},
        )
    assert response.status_code == 400
    # In the page's language, the field named by the label the applicant saw.
    assert "经营者名称：含有不允许的控制字符" in response.content.decode()


def test_a_number_field_still_takes_a_json_number(citizen, daoli_market):
    from egov.approvals.services import save_service_item
    from egov.approvals.tests.conftest import FOOD_ITEM

    spec = {
        **FOOD_ITEM,
        "code": "SCJG-SPJY-230102-2",
        "form_fields": [{"name": "area", "label": "经营面积", "type": "number", "min": 1}],
    }
    item = save_service_item(actor="system", department=daoli_market, spec=spec)
    case = submit_application(
        applicant=citizen, item_code=item.code, form={"area": 120}, files=good_files()
    )
    assert case.form_data == {"area": "120"}


def test_a_multi_line_field_keeps_its_lines_and_the_page_states_the_limits(citizen, daoli_market):
    from egov.approvals.services import save_service_item
    from egov.approvals.tests.conftest import FOOD_ITEM

    spec = {
        **FOOD_ITEM,
        "code": "SCJG-SPJY-230102-3",
        "form_fields": [
            {"name": "shop_name", "label": "经营者名称", "type": "text", "max_length": 50},
            {"name": "scope", "label": "经营范围", "type": "text", "multiline": True},
        ],
    }
    item = save_service_item(actor="system", department=daoli_market, spec=spec)
    page = signed_in(citizen).get(f"/approvals/items/{item.code}/").content.decode()
    assert 'name="shop_name" value="" maxlength="50"' in page
    assert '<textarea id="f-scope" name="scope" rows="4" maxlength="200">' in page
    case = submit_application(
        applicant=citizen,
        item_code=item.code,
        form={"shop_name": "老道外小馆", "scope": "一、预包装食品\r\n二、散装食品"},
        files=good_files(),
    )
    assert case.form_data["scope"] == "一、预包装食品\r\n二、散装食品"
