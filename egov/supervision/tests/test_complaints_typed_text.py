"""A complaint's fields are typed, bounded text (issue 10, items 4 and 5).

Before the fix a list as the category was a 500 (unhashable) and a number as
the text was stored as ``"12345"``; NUL and U+202E went in as sent. Now each
is refused naming the field and the reason, on the service, the API (400
``invalid_input`` with ``field`` and ``errors``) and the page, and nothing is
written.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from egov.core.models import AuditEntry, Event
from egov.supervision.errors import ErrorCode, SupervisionError
from egov.supervision.findings.complaints import submit_complaint
from egov.supervision.models import Complaint, Finding
from egov.supervision.tests.lit_cases import online_case_of

pytestmark = pytest.mark.django_db


def written() -> tuple[int, int, int, int]:
    return (
        Complaint.objects.count(),
        Finding.objects.count(),
        Event.objects.filter(event_type="ComplaintSubmitted").count(),
        AuditEntry.objects.filter(action="supervision.ComplaintSubmitted").count(),
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"category": ["delay"]}, {"category": "expected text, got list"}),
        ({"text": 12345}, {"text": "expected text, got int"}),
        ({"text": {"a": 1}}, {"text": "expected text, got dict"}),
        ({"contact": True}, {"contact": "expected text, got bool"}),
        ({"text": "拖了\x00一个月"}, {"text": "control character U+0000 is not allowed"}),
        ({"text": "拖了一个月\u202e"}, {"text": "control character U+202E is not allowed"}),
        ({"contact": "139\n0000"}, {"contact": "line break or tab U+000A is not allowed"}),
        ({"text": "拖" * 1024 * 1024}, {"text": "at most 2000 characters, got 1048576"}),
        ({"contact": "1" * 65}, {"contact": "at most 64 characters, got 65"}),
    ],
)
def test_the_service_refuses_untyped_or_unsafe_text(citizen, changes, fields) -> None:
    story = online_case_of(citizen.username)
    values = {"case_number": story.number, "category": "delay", "text": "拖了一个月"}
    with pytest.raises(SupervisionError) as refused:
        submit_complaint(actor=citizen, **(values | changes))
    assert refused.value.code == ErrorCode.INVALID_INPUT
    assert refused.value.fields == fields
    assert written() == (0, 0, 0, 0)


def test_a_complaint_keeps_its_line_breaks(citizen) -> None:
    story = online_case_of(citizen.username)
    complaint = submit_complaint(
        actor=citizen, case_number=story.number, category="delay", text="第一次：拖延\n第二次：拖延"
    )
    assert complaint.text == "第一次：拖延\n第二次：拖延"


def test_the_api_answers_400_naming_the_field(citizen) -> None:
    story = online_case_of(citizen.username)
    body = {"case_number": story.number, "category": "delay", "text": "拖了\u0000一个月"}
    answer = client_for(citizen).post(
        "/api/v1/supervision/complaints", json.dumps(body), content_type="application/json"
    )
    assert answer.status_code == 400
    problem = answer.json()
    assert (problem["code"], problem["field"]) == ("invalid_input", "text")
    assert problem["errors"] == [
        {"field": "text", "reason": "control character U+0000 is not allowed"}
    ]
    assert written() == (0, 0, 0, 0)


def test_the_api_refuses_a_list_as_the_category(citizen) -> None:
    story = online_case_of(citizen.username)
    body = {"case_number": story.number, "category": ["delay"], "text": "拖了一个月"}
    answer = client_for(citizen).post(
        "/api/v1/supervision/complaints", json.dumps(body), content_type="application/json"
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid_input"
    assert written() == (0, 0, 0, 0)


def test_the_page_shows_the_reason(citizen) -> None:
    story = online_case_of(citizen.username)
    answer = client_for(citizen).post(
        "/supervision/complaints/new/",
        {"case_number": story.number, "category": "delay", "text": "拖了一个月\u202e"},
    )
    assert answer.status_code == 400
    assert "control character U+202E is not allowed" in answer.content.decode()
    assert written() == (0, 0, 0, 0)


def test_the_openapi_document_states_the_limits(db) -> None:
    schemas = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]
    complaint = schemas["ComplaintIn"]["properties"]
    assert (complaint["text"]["maxLength"], complaint["contact"]["maxLength"]) == (2000, 64)
    assert schemas["ResponseIn"]["properties"]["text"]["maxLength"] == 4000
