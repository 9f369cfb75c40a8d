"""Findings, notices, complaints and alerts over the API: same services, codes by status."""

from __future__ import annotations

import pytest
from django.test import Client

from egov.core.testing import make_staff
from egov.supervision.models import Alert, Complaint, Finding, SupervisionNotice
from egov.supervision.tests.lit_cases import make_finding, online_case_of

pytestmark = pytest.mark.django_db
BASE = "/api/v1/supervision"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, path: str, body: dict):
    return client.post(f"{BASE}{path}", body, content_type="application/json")


def test_the_whole_lifecycle_over_the_api(supervisor_harbin, regions) -> None:
    leader = make_staff("leader_daoli_market", "230102-SCJG", roles=["leader"])
    finding = make_finding(summary="超期")
    supervisor = client_for(supervisor_harbin)
    listing = supervisor.get(f"{BASE}/findings", {"severity": "red"}).json()
    assert [item["id"] for item in listing["items"]] == [finding.pk]
    issued = post(
        supervisor, f"/findings/{finding.pk}/notices", {"due_days": 5, "instructions": "说明"}
    )
    assert issued.status_code == 201
    number = issued.json()["number"]
    assert issued.json()["department"] == "230102-SCJG"
    answered = post(
        client_for(leader),
        f"/notices/{number}/response",
        {"kind": "rectification", "text": "已整改"},
    )
    assert answered.status_code == 200
    assert answered.json()["status"] == "responded"
    accepted = post(supervisor, f"/notices/{number}/accept", {"note": "认可"})
    assert accepted.status_code == 200
    assert Finding.objects.get().status == Finding.Status.CLOSED


def test_refusals_carry_code_status_and_field(supervisor_harbin, supervisor_province) -> None:
    finding = make_finding()
    supervisor = client_for(supervisor_harbin)
    bad = post(supervisor, f"/findings/{finding.pk}/notices", {"due_days": 0, "instructions": "x"})
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_input"
    assert bad.json()["errors"][0]["field"] == "due_days"
    assert not SupervisionNotice.objects.exists()
    missing = supervisor.get(f"{BASE}/findings/999999")
    assert missing.status_code == 404
    top = post(client_for(supervisor_province), f"/findings/{finding.pk}/escalate", {"reason": "x"})
    assert top.status_code == 409
    assert top.json()["code"] == "cannot_escalate"
    early = post(supervisor, "/notices/DB999/accept", {})
    assert early.status_code == 404


def test_anonymous_callers_are_refused() -> None:
    assert Client().get(f"{BASE}/findings").status_code == 401
    assert Client().get(f"{BASE}/alerts").status_code == 401


def test_complaint_and_alerts(citizen, supervisor_harbin) -> None:
    story = online_case_of(citizen.username)
    answer = post(
        client_for(citizen),
        "/complaints",
        {"case_number": story.number, "category": "delay", "text": "拖了一个月"},
    )
    assert answer.status_code == 201
    assert answer.json()["number"] == Complaint.objects.get().number
    other = post(
        client_for(citizen),
        "/complaints",
        {"case_number": "230102202610120999999", "category": "delay", "text": "拖了一个月"},
    )
    assert other.status_code == 404
    Alert.objects.create(
        recipient=supervisor_harbin,
        kind="case_light",
        level="red",
        message="超期",
        fingerprint="api-1",
        created_at="2026-10-12T02:00:00Z",
    )
    alerts = client_for(supervisor_harbin).get(f"{BASE}/alerts", {"unread": True}).json()
    assert [a["message"] for a in alerts["items"]] == ["超期"]
