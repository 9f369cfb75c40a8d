"""GET /api/v1/regions, /regions/{code}, /regions/{code}/children, incl. bad input."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    return Client()


def test_the_list_is_the_province_and_its_13_prefectures(client):
    response = client.get("/api/v1/regions")
    assert response.status_code == 200
    body = response.json()
    assert [r["code"] for r in body[:2]] == ["230000", "230100"]
    assert len(body) == 14
    assert {r["level"] for r in body} == {1, 2}


def test_the_list_under_a_parent(client):
    body = client.get("/api/v1/regions", {"parent": "232700"}).json()
    assert {r["name"] for r in body} == {"漠河市", "呼玛县", "塔河县"}


def test_one_region_with_its_ancestors(client):
    body = client.get("/api/v1/regions/230102").json()
    assert (body["name"], body["parent"], body["is_current"]) == ("道里区", "230100", True)
    assert [a["code"] for a in body["ancestors"]] == ["230000", "230100"]


def test_a_historical_region_is_found_and_marked(client):
    body = client.get("/api/v1/regions/230121").json()
    assert (body["name"], body["is_current"]) == ("呼兰县", False)


def test_children_current_unless_historical_asked(client):
    current = {r["code"] for r in client.get("/api/v1/regions/230100/children").json()}
    everything = {
        r["code"]
        for r in client.get("/api/v1/regions/230100/children", {"historical": "true"}).json()
    }
    assert "230102" in current
    assert "230121" not in current
    assert "230121" in everything


@pytest.mark.parametrize("url", ["/api/v1/regions/239999", "/api/v1/regions/239999/children"])
def test_unknown_codes_are_404_region_not_found(client, url):
    response = client.get(url)
    assert response.status_code == 404
    body = response.json()
    assert (body["code"], body["field"]) == ("region_not_found", "code")
    assert "239999" in body["message"]


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("/api/v1/regions/2301", {}, "code"),
        ("/api/v1/regions/23010x", {}, "code"),
        ("/api/v1/regions/1234567/children", {}, "code"),
        ("/api/v1/regions", {"parent": "abc"}, "parent"),
    ],
)
def test_malformed_codes_are_400_with_field_and_reason(client, url, params, field):
    response = client.get(url, params)
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["field"]) == ("invalid_region_code", field)
    assert body["errors"] == [{"field": field, "reason": body["message"]}]


def test_unknown_parent_is_404(client):
    response = client.get("/api/v1/regions", {"parent": "239999"})
    assert response.status_code == 404
    assert response.json()["field"] == "parent"
