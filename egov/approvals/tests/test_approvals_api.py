"""The approvals API: catalogue read, submit, status for the applicant, staff transitions."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from egov.approvals.models import Case
from egov.approvals.tests.conftest import FORM, nothing_written

BASE = "/api/v1/approvals"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.7\n", content_type="application/pdf")


def submit(client: Client, item, form=FORM, **files):
    files = files or {"APP": pdf("a.pdf"), "PLAN": pdf("b.pdf")}
    data = {"item_code": item.code, "form": json.dumps(form), **files}
    return client.post(f"{BASE}/cases", data)


def test_anyone_reads_the_catalogue_and_the_guide(food_item):
    listing = Client().get(f"{BASE}/items", {"department": "230102-SCJG"}).json()
    assert listing["count"] == 1
    assert listing["items"][0]["code"] == food_item.code
    guide = Client().get(f"{BASE}/items/{food_item.code}").json()
    assert guide["fees"][0]["amount_yuan"] == "10.00"
    assert [m["code"] for m in guide["materials"]] == ["APP", "PLAN", "OTHER"]
    missing = Client().get(f"{BASE}/items/NOPE")
    assert (missing.status_code, missing.json()["code"]) == (404, "item_not_found")


def test_a_citizen_submits_and_follows_the_case(citizen, food_item, clerk_daoli):
    client = signed_in(citizen)
    response = submit(client, food_item)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted"
    assert body["clock"]["phase"] == "acceptance"
    assert body["timeline"][0]["type"] == "ApplicationSubmitted"
    number = body["number"]
    accepted = signed_in(clerk_daoli).post(
        f"{BASE}/cases/{number}/accept", {"note": "齐全"}, content_type="application/json"
    )
    assert accepted.status_code == 200
    status = client.get(f"{BASE}/cases/{number}").json()
    assert status["status"] == "accepted"
    assert "approve" in status["next_actions"]
    assert client.get(f"{BASE}/cases").json()["items"][0]["number"] == number


def test_bad_input_answers_400_with_fields_and_writes_nothing(citizen, food_item):
    client = signed_in(citizen)
    with nothing_written():
        response = submit(
            client, food_item, form={**FORM, "phone": "12"}, APP=SimpleUploadedFile("x.exe", b"MZ")
        )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_input"
    fields = {error["field"] for error in body["errors"]}
    assert fields == {"form.phone", "materials.APP", "materials.PLAN"}
    with nothing_written():
        response = client.post(f"{BASE}/cases", {"item_code": food_item.code, "form": "[1]"})
    assert response.json()["errors"] == [{"field": "form", "reason": "not a JSON object"}]


@pytest.mark.parametrize(
    ("who", "path", "payload", "status", "code"),
    [
        ("leader_daoli", "approve", {}, 409, "wrong_state"),  # decide before accept
        ("leader_daoli", "accept", {}, 403, "permission_denied"),  # wrong role
        ("clerk_qiqihar", "accept", {}, 404, "not_found"),  # another city
        ("clerk_daoli", "refuse", {}, 400, "invalid_input"),  # no reasons given
        ("clerk_daoli", "extensions", {"days": "many", "reason": "x"}, 400, "invalid_input"),
    ],
)
def test_refusals_answer_with_status_and_code(
    request, submitted_case, who, path, payload, status, code
):
    actor = request.getfixturevalue(who)
    with nothing_written():
        response = signed_in(actor).post(
            f"{BASE}/cases/{submitted_case.number}/{path}",
            payload,
            content_type="application/json",
        )
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert Case.objects.get(pk=submitted_case.pk).status == "submitted"


def test_another_citizen_and_anonymous_callers_see_nothing(submitted_case, other_citizen):
    assert signed_in(other_citizen).get(f"{BASE}/cases/{submitted_case.number}").status_code == 404
    assert Client().get(f"{BASE}/cases/{submitted_case.number}").status_code == 401


def test_the_endpoints_are_in_the_openapi_schema(db):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert f"{BASE}/cases/{{number}}/accept" in paths
    assert f"{BASE}/items/{{code}}" in paths


def test_supplement_request_and_upload_through_the_api(submitted_case, clerk_daoli, citizen):
    number = submitted_case.number
    requested = signed_in(clerk_daoli).post(
        f"{BASE}/cases/{number}/supplement-requests",
        {"missing": [{"code": "PLAN", "name": "平面图", "reason": "不清晰"}]},
        content_type="application/json",
    )
    assert requested.json()["status"] == "supplement_requested"
    assert requested.json()["clock"]["suspended"] is True
    client = signed_in(citizen)
    with nothing_written():
        empty = client.post(f"{BASE}/cases/{number}/supplements", {"note": "补"})
    assert empty.status_code == 400
    assert empty.json()["errors"] == [
        {"field": "materials.PLAN", "reason": "requested material missing"}
    ]
    uploaded = client.post(f"{BASE}/cases/{number}/supplements", {"PLAN": pdf("新.pdf")})
    assert uploaded.status_code == 200
    assert uploaded.json()["status"] == "submitted"
    withdrawn = client.post(
        f"{BASE}/cases/{number}/withdraw", {"reason": "不办了"}, content_type="application/json"
    )
    assert withdrawn.json()["status"] == "withdrawn"
