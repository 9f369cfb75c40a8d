"""GET /api/v1/whoami: the external system of an X-API-Key, or the signed-in user."""

from __future__ import annotations

import pytest
from django.http import HttpRequest
from django.test import Client
from ninja import NinjaAPI

from egov.core.api import ApiKeyAuth
from egov.core.services.apikeys import issue_api_key, register_external_system, revoke_api_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(db) -> str:
    from egov.core.testing import make_organisation

    make_organisation("230100-SCJG")
    register_external_system(
        actor="system", code="harbin-market", name="市场监管审批", organisation_code="230100-SCJG"
    )
    return issue_api_key(actor="system", system_code="harbin-market")[1]


def test_a_system_with_a_key(key):
    response = Client().get("/api/v1/whoami", headers={"X-API-Key": key})
    assert response.status_code == 200
    assert response.json() == {
        "kind": "system",
        "name": "harbin-market",
        "display_name": "市场监管审批",
        "organisation": "230100-SCJG",
        "roles": [],
    }


def test_a_revoked_key_is_401(key):
    revoke_api_key(actor="system", prefix=key.split("_")[1])
    response = Client().get("/api/v1/whoami", headers={"X-API-Key": key})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_signed_in_staff_user(clerk_harbin_daoli):
    client = Client()
    client.force_login(clerk_harbin_daoli)
    body = client.get("/api/v1/whoami").json()
    assert (body["kind"], body["name"], body["organisation"]) == (
        "staff",
        "clerk_harbin_daoli",
        "230102-GOV",
    )
    assert body["roles"] == [{"role": "clerk", "organisation": "230102-GOV"}]


def test_a_signed_in_citizen(citizen):
    client = Client()
    client.force_login(citizen)
    body = client.get("/api/v1/whoami").json()
    assert (body["kind"], body["organisation"], body["roles"]) == ("citizen", None, [])


def test_anonymous_is_401():
    response = Client().get("/api/v1/whoami")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_api_key_auth_guards_a_machine_endpoint(key):
    machine_api = NinjaAPI(urls_namespace="test-machine")

    @machine_api.get("/ping", auth=ApiKeyAuth())
    def ping(request: HttpRequest) -> dict[str, str]:
        return {"system": request.auth.code}

    from ninja.testing import TestClient

    client = TestClient(machine_api)
    assert client.get("/ping", headers={"X-API-Key": key}).json() == {"system": "harbin-market"}
    assert client.get("/ping", headers={"X-API-Key": key + "x"}).status_code == 401
    assert client.get("/ping").status_code == 401
