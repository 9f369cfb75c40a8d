"""Revoking (撤销, 行政许可法第六十九条) and cancelling (注销, 第七十条) a licence (ADR 0058).

A step of the case like the others: the ending row, the timeline, the outbox
event (checked against docs/licence-events.schema.json) and the audit entry;
the case keeps its status. Every refusal names the field and writes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from egov.approvals.errors import ApprovalError, ErrorCode
from egov.approvals.models import Case, LicenceEnding, TimelineEntry
from egov.approvals.selectors import licence_status, next_actions
from egov.approvals.services import (
    accept_case,
    cancel_licence,
    conclude_case,
    deny_case,
    revoke_licence,
    submit_application,
)
from egov.approvals.tests.conftest import FORM, good_files
from egov.approvals.tests.conftest import nothing_written_nor_ended as nothing_written
from egov.core import subscribers
from egov.core.models import AuditEntry, DeadLetter, Event
from egov.core.outbox import deliver_pending
from egov.core.testing import shanghai

DOCS = Path(__file__).resolve().parents[3] / "docs"
SCHEMA = json.loads((DOCS / "licence-events.schema.json").read_text("utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)
FRAUD = "申请人提交的房屋租赁合同系伪造，经公安机关认定"


def refused(call, code: ErrorCode) -> ApprovalError:
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        call()
    assert caught.value.code is code, caught.value
    return caught.value


def test_a_leader_revokes_a_delivered_licence(time_machine, delivered_case, leader_daoli):
    time_machine.move_to(shanghai(2026, 12, 3, 14))
    case = revoke_licence(
        actor=leader_daoli, number=delivered_case.number, ground="improper_means", reason=FRAUD
    )
    assert case.status == Case.Status.DELIVERED  # the handling was what it was
    ending = LicenceEnding.objects.get(case=case)
    assert (ending.kind, ending.ground, ending.reason) == ("revoked", "improper_means", FRAUD)
    assert ending.legal_basis == "《中华人民共和国行政许可法》第六十九条第二款"
    assert ending.licence_number == delivered_case.licence_number
    assert ending.decided_by == leader_daoli
    event = Event.objects.get(event_type="LicenceRevoked")
    assert list(VALIDATOR.iter_errors(event.payload)) == []
    assert event.aggregate == case.number
    assert event.payload["status"] == "delivered"
    assert event.payload["data"]["ground"] == "improper_means"
    assert event.payload["data"]["ended_at"] == "2026-12-03T06:00:00Z"
    step = TimelineEntry.objects.get(case=case, event_type="LicenceRevoked")
    assert step.event_id == event.payload["event_id"]
    audit = AuditEntry.objects.filter(action="approvals.LicenceRevoked").get()
    assert audit.object_id == case.number
    assert FRAUD in audit.summary
    assert "撤销" in audit.summary
    assert licence_status(case) == "revoked"
    assert next_actions(case) == []


def test_a_clerk_cancels_at_the_holders_request_naming_the_provision(licensed_case, clerk_daoli):
    provision = "《食品经营许可和备案管理办法》第四十二条"
    case = cancel_licence(
        actor=clerk_daoli,
        number=licensed_case.number,
        ground="holder_request",
        reason="经营者停止经营，申请注销",
        legal_basis=provision,
    )
    assert case.status == Case.Status.APPROVED
    ending = LicenceEnding.objects.get(case=case)
    assert ending.kind == "cancelled"
    assert ending.legal_basis == f"《中华人民共和国行政许可法》第七十条第（六）项；{provision}"
    event = Event.objects.get(event_type="LicenceCancelled")
    assert list(VALIDATOR.iter_errors(event.payload)) == []
    assert licence_status(case) == "cancelled"


def test_the_licence_actions_are_offered_only_while_the_licence_is_in_force(
    licensed_case, clerk_daoli
):
    assert {"revoke_licence", "cancel_licence"} <= set(next_actions(licensed_case))
    cancel_licence(
        actor=clerk_daoli, number=licensed_case.number, ground="expired", reason="有效期届满未延续"
    )
    assert not {"revoke_licence", "cancel_licence"} & set(next_actions(licensed_case))


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({"ground": "improper_means", "reason": ""}, "reason", "required"),
        ({"ground": "improper_means", "reason": "  \n "}, "reason", "required"),
        ({"ground": "", "reason": FRAUD}, "ground", "required"),
        ({"ground": "expired", "reason": FRAUD}, "ground", "must be one of: abuse_of_power"),
        ({"ground": "other_revocation", "reason": FRAUD}, "legal_basis", "required: the"),
        ({"ground": "improper_means", "reason": "x\x00"}, "reason", ""),
    ],
)
def test_bad_input_is_refused_by_field(licensed_case, leader_daoli, fields, field, reason):
    error = refused(
        lambda: revoke_licence(actor=leader_daoli, number=licensed_case.number, **fields),
        ErrorCode.INVALID_INPUT,
    )
    assert field in error.fields
    assert error.fields[field].startswith(reason)
    assert licence_status(licensed_case) == "valid"


def test_a_case_not_approved_has_no_licence_to_end(
    time_machine, citizen, food_item, clerk_daoli, leader_daoli
):
    time_machine.move_to(shanghai(2026, 12, 2, 9))
    submitted_case = submit_application(
        applicant=citizen, item_code=food_item.code, form=FORM, files=good_files()
    )

    def revoke() -> Case:
        return revoke_licence(
            actor=leader_daoli, number=submitted_case.number, ground="improper_means", reason=FRAUD
        )

    assert refused(revoke, ErrorCode.WRONG_STATE).fields == {"status": "submitted"}
    time_machine.move_to(shanghai(2026, 12, 3, 9))
    accept_case(actor=clerk_daoli, number=submitted_case.number)
    deny_case(
        actor=leader_daoli, number=submitted_case.number, reasons="不符合条件", remedies="复议"
    )
    conclude_case(actor=clerk_daoli, number=submitted_case.number)
    error = refused(revoke, ErrorCode.WRONG_STATE)
    assert error.fields == {"status": "no licence in force: the case was not approved"}


def test_a_licence_ends_once(time_machine, licensed_case, leader_daoli, clerk_daoli):
    time_machine.move_to(shanghai(2026, 12, 2, 10))
    revoke_licence(
        actor=leader_daoli,
        number=licensed_case.number,
        ground="procedure_violated",
        reason="未听证",
    )
    again = refused(
        lambda: revoke_licence(
            actor=leader_daoli, number=licensed_case.number, ground="improper_means", reason=FRAUD
        ),
        ErrorCode.LICENCE_ENDED,
    )
    assert again.fields == {"licence_number": "already revoked on 2026-12-02"}
    refused(
        lambda: cancel_licence(
            actor=clerk_daoli, number=licensed_case.number, ground="expired", reason="届满"
        ),
        ErrorCode.LICENCE_ENDED,
    )


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("clerk_daoli", ErrorCode.PERMISSION_DENIED),  # a clerk cancels but does not revoke
        ("citizen", ErrorCode.PERMISSION_DENIED),  # the holder asks; the department acts
        ("clerk_qiqihar", ErrorCode.NOT_FOUND),  # another city: not even seen
    ],
)
def test_a_role_that_may_not_revoke_is_refused(request, licensed_case, who, code):
    actor = request.getfixturevalue(who)
    refused(
        lambda: revoke_licence(
            actor=actor, number=licensed_case.number, ground="improper_means", reason=FRAUD
        ),
        code,
    )


def test_supervision_does_not_subscribe_to_licence_events(licensed_case, leader_daoli):
    """Decided (ADR 0058): the engine judges the handling of cases, not later acts on licences.

    Its subscriber wants neither type, so delivery passes over them: no failed
    delivery, no dead letter, and its case events are the handling's alone.
    """
    collector = subscribers.get("supervision.collect")
    assert collector is not None
    assert not collector.wants("LicenceRevoked")
    assert not collector.wants("LicenceCancelled")
    assert collector.wants("CaseDecided")
    revoke_licence(
        actor=leader_daoli, number=licensed_case.number, ground="improper_means", reason=FRAUD
    )
    report = deliver_pending()
    assert not DeadLetter.objects.exists()
    assert report is not None
    every_type = [s.name for s in subscribers.registered() if s.event_types is None]
    assert every_type == [], "a subscriber of every type must be checked against licence events"
