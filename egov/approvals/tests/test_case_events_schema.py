"""Every case event the services publish matches docs/case-events.schema.json."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from egov.approvals.events import CaseEvent
from egov.approvals.services import (
    accept_case,
    approve_case,
    approve_extension,
    conclude_case,
    deliver_case,
    deny_case,
    end_special_procedure,
    receive_supplement,
    record_fee_payment,
    refuse_case,
    register_walk_in,
    request_supplement,
    start_special_procedure,
    submit_application,
    terminate_case,
    withdraw_application,
)
from egov.approvals.tests.conftest import FORM, RESIDENT_ID, good_files, pdf
from egov.core.models import Event

SCHEMA_PATH = Path(__file__).resolve().parents[3] / "docs" / "case-events.schema.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def new_case(citizen, item):
    return submit_application(applicant=citizen, item_code=item.code, form=FORM, files=good_files())


def run_every_transition(citizen, clerk, leader, item) -> None:
    """Walk cases through every kind of step, so every event type is published."""
    one = new_case(citizen, item)
    request_supplement(
        actor=clerk,
        number=one.number,
        missing=[{"code": "PLAN", "name": "平面图", "reason": "不清晰"}],
    )
    receive_supplement(actor=citizen, number=one.number, files={"PLAN": [pdf()]})
    accept_case(actor=clerk, number=one.number, note="材料齐全")
    start_special_procedure(
        actor=clerk, number=one.number, procedure="inspection", reason="现场核查", limit_days=5
    )
    end_special_procedure(actor=clerk, number=one.number, outcome="符合要求")
    approve_extension(actor=leader, number=one.number, days=3, reason="需补充核查")
    record_fee_payment(
        actor=clerk,
        number=one.number,
        fee_name="许可证工本费",
        amount_fen=1000,
        receipt_number="R-0001",
    )
    approve_case(actor=leader, number=one.number)
    conclude_case(actor=clerk, number=one.number)
    deliver_case(actor=clerk, number=one.number, method="post")
    two = new_case(citizen, item)
    accept_case(actor=clerk, number=two.number)
    deny_case(actor=leader, number=two.number, reasons="不符合条件", remedies="可申请行政复议")
    conclude_case(actor=clerk, number=two.number)
    refuse_case(actor=clerk, number=new_case(citizen, item).number, reasons="不属于本机关职权")
    withdraw_application(actor=citizen, number=new_case(citizen, item).number, reason="")
    walk_in = register_walk_in(
        actor=clerk,
        item_code=item.code,
        applicant_kind="citizen",
        applicant_name="张三",
        applicant_identifier=RESIDENT_ID,
        form=FORM,
        files=good_files(),
    )
    terminate_case(actor=leader, number=walk_in.number, reason="申请人死亡")


def test_every_published_event_is_valid_and_every_type_is_covered(
    validator, citizen, clerk_daoli, leader_daoli, food_item
):
    run_every_transition(citizen, clerk_daoli, leader_daoli, food_item)
    events = list(Event.objects.filter(event_type__in=[t.value for t in CaseEvent]))
    for event in events:
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(event.payload)]
        assert errors == [], (event.event_type, errors)
        assert event.payload["type"] == event.event_type
        assert event.aggregate == event.payload["case_number"]
    assert {event.event_type for event in events} == {t.value for t in CaseEvent}


def test_the_schema_refuses_a_malformed_event(validator, citizen, food_item):
    case = new_case(citizen, food_item)
    payload = Event.objects.get(aggregate=case.number).payload
    assert list(validator.iter_errors(payload)) == []
    broken = {**payload, "region_code": "2301", "data": {**payload["data"], "channel": "fax"}}
    messages = [e.message for e in validator.iter_errors(broken)]
    assert len(messages) == 2
    decided = {
        **payload,
        "type": "CaseDecided",
        "data": {
            "decision": "approve",
            "decided_at": payload["occurred_at"],
            "working_days_used": 1,
            "on_time": True,
        },
    }
    assert any("licence_number" in e.message for e in validator.iter_errors(decided))
