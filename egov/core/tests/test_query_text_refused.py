"""Paths and query strings with control characters are refused with 400 before any view.

Before the fix ``/approvals/items/?q=%00`` reached ``name__contains`` and, on
PostgreSQL (which cannot compare text holding NUL), ended in a 500. Now the
request is refused naming the parameter: the API in its ``invalid_input``
format, a page with a short 400.
"""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("query", "name"), [("%00", "U+0000"), ("%E2%80%AE", "U+202E")])
def test_the_api_answers_invalid_input_naming_the_parameter(query, name):
    response = Client().get(f"/api/v1/approvals/items?q=a{query}")
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["field"]) == ("invalid_input", "q")
    assert body["errors"] == [{"field": "q", "reason": f"control character {name} is not allowed"}]


def test_a_page_answers_400_naming_the_parameter():
    response = Client().get("/approvals/items/?q=%E9%A3%9F%00")
    assert response.status_code == 400
    assert response.content.decode() == "q: control character U+0000 is not allowed"


def test_a_parameter_name_is_checked_too():
    assert Client().get("/approvals/items/?q%00=x").status_code == 400


def test_a_path_with_nul_is_refused_before_a_lookup_by_number():
    response = Client().get("/api/v1/approvals/items/SCJG%00")
    assert response.status_code == 400
    assert response.json()["field"] == "path"


def test_ordinary_searches_pass():
    assert Client().get("/approvals/items/?q=%E9%A3%9F%E5%93%81").status_code == 200
    assert Client().get("/api/v1/approvals/items?q=%E9%A3%9F%E5%93%81").status_code == 200
