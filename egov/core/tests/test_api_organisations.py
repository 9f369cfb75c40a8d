"""GET /api/v1/organisations (filters, paging) and /organisations/{code}, incl. bad input."""

from __future__ import annotations

import pytest
from django.test import Client

from egov.core.testing import make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    for code in ("230102-SCJG", "230102-MZ", "230100-SCJG", "230200-GOV"):
        make_organisation(code)
    return Client()


def codes(response) -> set[str]:
    assert response.status_code == 200
    return {o["code"] for o in response.json()["items"]}


def test_filter_by_region(client):
    assert codes(client.get("/api/v1/organisations", {"region": "230102"})) == {
        "230102-GOV",
        "230102-SCJG",
        "230102-MZ",
    }


def test_filter_by_kind_and_parent(client):
    response = client.get("/api/v1/organisations", {"kind": "government", "parent": "230000-GOV"})
    assert codes(response) == {"230100-GOV", "230200-GOV"}


def test_paging_reports_the_count(client):
    body = client.get("/api/v1/organisations", {"limit": 2}).json()
    assert body["count"] == 7
    assert len(body["items"]) == 2
    assert body["items"][0]["code"] == "230000-GOV"


def test_one_organisation(client):
    body = client.get("/api/v1/organisations/230102-SCJG").json()
    assert body == {
        "code": "230102-SCJG",
        "name": "哈尔滨市道里区市场监督管理局",
        "short_name": "道里区市场监管局",
        "kind": "department",
        "region": "230102",
        "region_name": "道里区",
        "parent": "230102-GOV",
    }


def test_unknown_organisation_is_404(client):
    response = client.get("/api/v1/organisations/NO-SUCH")
    assert response.status_code == 404
    assert response.json()["code"] == "organisation_not_found"


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"kind": "ministry"}, "kind", "invalid_input"),
        ({"region": "23"}, "region", "invalid_region_code"),
    ],
)
def test_bad_filters_are_400_with_field(client, params, field, code):
    response = client.get("/api/v1/organisations", params)
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["field"]) == (code, field)


def test_a_bad_limit_is_400_from_validation(client):
    response = client.get("/api/v1/organisations", {"limit": "many"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"
