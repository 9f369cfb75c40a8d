"""/api/v1/exchange/members: administrators list, register, suspend and reinstate members."""

from __future__ import annotations

import pytest
from django.test import Client

from egov.core.testing import make_organisation
from egov.exchange.models import Member
from egov.exchange.testing import system_certificate

pytestmark = pytest.mark.django_db
URL = "/api/v1/exchange/members"


@pytest.fixture
def serial(node):
    return system_certificate("daoli-market", make_organisation("230102-SCJG"))[1].serial


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def body(serial: str, **changes):
    return {
        "code": "daoli-market",
        "name": "道里区市场监管审批",
        "organisation_code": "230102-SCJG",
        "certificate_serial": serial,
        "may_send": ["case-event"],
    } | changes


def test_an_administrator_registers_lists_suspends_and_reinstates(serial, admin_harbin):
    client = client_of(admin_harbin)
    created = client.post(URL, body(serial), content_type="application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "active"
    assert [m["code"] for m in client.get(URL).json()] == ["daoli-market"]
    suspended = client.post(
        f"{URL}/daoli-market/suspend", {"reason": "证书更换中"}, content_type="application/json"
    )
    assert suspended.json()["status"] == "suspended"
    assert Member.objects.get().status == "suspended"
    reinstated = client.post(f"{URL}/daoli-market/reinstate", {}, content_type="application/json")
    assert reinstated.json()["status"] == "active"


def test_bad_input_is_400_naming_the_field(serial, admin_harbin):
    answer = client_of(admin_harbin).post(
        URL, body(serial, may_send=["weather"]), content_type="application/json"
    )
    assert answer.status_code == 400
    assert (answer.json()["code"], answer.json()["field"]) == ("unknown_type", "may_send")
    assert not Member.objects.exists()


def test_a_clerk_is_refused_and_sees_no_member(serial, clerk_harbin_daoli, admin_harbin):
    client = client_of(clerk_harbin_daoli)
    answer = client.post(URL, body(serial), content_type="application/json")
    assert answer.status_code == 403
    assert answer.json()["code"] == "permission_denied"
    assert not Member.objects.exists()
    client_of(admin_harbin).post(URL, body(serial), content_type="application/json")
    assert client.get(URL).json() == []
    missing = client.post(f"{URL}/daoli-market/suspend", {}, content_type="application/json")
    assert missing.status_code == 404
    assert Member.objects.get().status == "active"


def test_anonymous_callers_are_refused(node):
    assert Client().get(URL).status_code == 401
