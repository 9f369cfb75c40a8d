"""Staff text fields are bounded (issue 10, item 5).

Before the fix a 1 MB acceptance note or licence number was stored and sent
on in a 1 MB event. Now every note, reason, remedy, licence and receipt
number, fee and applicant name has an explicit limit in the service (so the
API, the pages and commands share it) and in the API schemas (so the OpenAPI
document states it). Every refusal writes nothing.
"""

from __future__ import annotations

import pytest
from django.test import Client

from egov.approvals.errors import ApprovalError, ErrorCode
from egov.approvals.services import (
    accept_case,
    approve_case,
    deny_case,
    record_fee_payment,
    register_walk_in,
    request_supplement,
)
from egov.approvals.tests.conftest import FORM, RESIDENT_ID, good_files, nothing_written

BASE = "/api/v1/approvals"
MEGABYTE = "批" * 1024 * 1024
# Over the HTTP endpoints: far past the limit, yet well within any request body cap.
HUGE_NOTE = "x" * 100_000


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def refused(call, **kwargs) -> ApprovalError:
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        call(**kwargs)
    assert caught.value.code is ErrorCode.INVALID_INPUT
    return caught.value


@pytest.fixture
def accepted_case(submitted_case, clerk_daoli):
    return accept_case(actor=clerk_daoli, number=submitted_case.number)


def test_a_one_megabyte_acceptance_note_is_refused(submitted_case, clerk_daoli):
    error = refused(accept_case, actor=clerk_daoli, number=submitted_case.number, note=MEGABYTE)
    assert error.fields == {"note": "at most 2000 characters, got 1048576"}


def test_a_note_at_the_limit_is_kept(submitted_case, clerk_daoli):
    case = accept_case(actor=clerk_daoli, number=submitted_case.number, note="齐" * 2000)
    assert case.status == "accepted"


def test_a_huge_or_untyped_licence_number_is_refused(accepted_case, leader_daoli):
    number = accepted_case.number
    error = refused(approve_case, actor=leader_daoli, number=number, licence_number=MEGABYTE)
    assert error.fields == {"licence_number": "at most 64 characters, got 1048576"}
    error = refused(approve_case, actor=leader_daoli, number=number, licence_number=12345)
    assert error.fields == {"licence_number": "expected text, got int"}


def test_denial_reasons_and_remedies_are_bounded_and_without_controls(accepted_case, leader_daoli):
    error = refused(
        deny_case,
        actor=leader_daoli,
        number=accepted_case.number,
        reasons=MEGABYTE,
        remedies="复议\x00",
    )
    assert error.fields == {
        "reasons": "at most 2000 characters, got 1048576",
        "remedies": "control character U+0000 is not allowed",
    }


def test_missing_materials_are_bounded_in_number_and_length(submitted_case, clerk_daoli):
    number = submitted_case.number
    entry = {"name": "平面图", "reason": "不清晰"}
    error = refused(request_supplement, actor=clerk_daoli, number=number, missing=[entry] * 51)
    assert error.fields == {"missing": "at most 50 entries, got 51"}
    error = refused(
        request_supplement,
        actor=clerk_daoli,
        number=number,
        missing=[{"name": MEGABYTE, "reason": ["x"]}],
    )
    assert error.fields == {
        "missing[0].name": "at most 100 characters, got 1048576",
        "missing[0].reason": "expected text, got list",
    }


def test_a_receipt_number_is_bounded(accepted_case, clerk_daoli):
    error = refused(
        record_fee_payment,
        actor=clerk_daoli,
        number=accepted_case.number,
        fee_name="许可证工本费",
        amount_fen=1000,
        receipt_number="R" * 65,
    )
    assert error.fields == {"receipt_number": "at most 64 characters, got 65"}


def test_a_walk_in_applicant_name_and_phone_are_bounded(clerk_daoli, food_item):
    error = refused(
        register_walk_in,
        actor=clerk_daoli,
        item_code=food_item.code,
        applicant_kind="citizen",
        applicant_name=MEGABYTE,
        applicant_identifier=RESIDENT_ID,
        applicant_phone="1" * 21,
        form=FORM,
        files=good_files(),
    )
    assert error.fields == {
        "applicant_name": "at most 100 characters, got 1048576",
        "applicant_phone": "at most 20 characters, got 21",
    }


def test_the_api_refuses_a_huge_note_with_400_and_writes_nothing(submitted_case, clerk_daoli):
    with nothing_written():
        response = signed_in(clerk_daoli).post(
            f"{BASE}/cases/{submitted_case.number}/accept",
            {"note": HUGE_NOTE},
            content_type="application/json",
        )
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["field"]) == ("invalid_input", "note")
    assert "at most 2000 characters" in body["errors"][0]["reason"]
    assert "at most 2000 characters" in body["message"]


def test_the_page_refuses_a_huge_note_on_the_case_page(submitted_case, clerk_daoli):
    with nothing_written():
        response = signed_in(clerk_daoli).post(
            f"/approvals/cases/{submitted_case.number}/accept/",
            {"note": HUGE_NOTE},
            follow=True,
        )
    assert "受理意见：最多 2000 个字，现有 100000 个" in response.content.decode()


def property_of(document: dict, schema: str, field: str) -> dict:
    return document["components"]["schemas"][schema]["properties"][field]


def test_the_openapi_document_states_the_limits(db):
    document = Client().get("/api/v1/openapi.json").json()
    assert property_of(document, "NoteIn", "note")["maxLength"] == 2000
    assert property_of(document, "ApproveIn", "licence_number")["maxLength"] == 64
    assert property_of(document, "DenyIn", "remedies")["maxLength"] == 2000
    assert property_of(document, "PaymentIn", "receipt_number")["maxLength"] == 64
    assert property_of(document, "MissingIn", "name")["maxLength"] == 100
    assert property_of(document, "SupplementRequestIn", "missing")["maxItems"] == 50
