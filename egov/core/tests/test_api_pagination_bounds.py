"""Every paginated API list bounds ``limit`` and ``offset``: 400 in the error format, never 500.

2^63 and more used to reach the database (OverflowError, 500), and ``limit`` had no
maximum, so one request could fetch every row.
"""

from __future__ import annotations

import pytest
from django.test import Client

from egov.api import api
from egov.core.pagination import MAX_OFFSET, MAX_PAGE_SIZE
from egov.core.testing import make_organisation

pytestmark = pytest.mark.django_db

PAGINATED = [
    "/api/v1/organisations",
    "/api/v1/approvals/items",
    "/api/v1/approvals/cases",
    "/api/v1/supervision/findings",
    "/api/v1/supervision/alerts",
]
OUT_OF_BOUNDS = [
    ("offset", "9223372036854775808"),
    ("offset", str(MAX_OFFSET + 1)),
    ("offset", "-1"),
    ("limit", "99999999999999999999"),
    ("limit", "1000000000"),
    ("limit", str(MAX_PAGE_SIZE + 1)),
    ("limit", "0"),
]


@pytest.mark.parametrize(("name", "value"), OUT_OF_BOUNDS)
@pytest.mark.parametrize("path", PAGINATED)
def test_out_of_bounds_is_400_in_the_error_format(supervisor_province, path, name, value):
    client = Client()
    client.force_login(supervisor_province)
    response = client.get(path, {name: value})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["field"] == name
    assert body["message"]
    assert body["errors"][0]["field"] == name


def test_out_of_bounds_is_400_without_login_too(regions):
    response = Client().get("/api/v1/organisations", {"limit": "99999999999999999999"})
    assert response.status_code == 400
    assert response.json()["field"] == "limit"


def test_the_bounds_themselves_are_allowed(regions):
    for code in ("230102-SCJG", "230102-MZ", "230100-SCJG"):
        make_organisation(code)
    client = Client()
    full = client.get("/api/v1/organisations", {"limit": MAX_PAGE_SIZE})
    beyond = client.get("/api/v1/organisations", {"limit": MAX_PAGE_SIZE, "offset": MAX_OFFSET})
    assert full.status_code == beyond.status_code == 200
    assert len(full.json()["items"]) == full.json()["count"] > 3
    assert beyond.json()["items"] == []


def test_openapi_declares_the_bounds_and_the_400():
    schema = api.get_openapi_schema()
    for path in PAGINATED:
        operation = schema["paths"][path]["get"]
        parameters = {p["name"]: p["schema"] for p in operation["parameters"]}
        assert parameters["limit"]["maximum"] == MAX_PAGE_SIZE
        assert parameters["limit"]["minimum"] == 1
        assert parameters["offset"]["maximum"] == MAX_OFFSET
        assert 400 in operation["responses"]


def test_no_endpoint_pages_without_the_bounds():
    """A list added later with ninja's plain ``@paginate`` (no maximum) is caught here."""
    paged = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            parameters = {p["name"]: p["schema"] for p in operation.get("parameters", [])}
            if "offset" in parameters or "limit" in parameters:
                paged.append(f"{method} {path}")
                assert parameters["limit"].get("maximum") == MAX_PAGE_SIZE, path
                assert parameters["offset"].get("maximum") == MAX_OFFSET, path
    assert len(paged) >= len(PAGINATED)
