"""A department's response to a notice, and supervisors' notes, are typed text (issue 10).

Before the fix a response of NUL or U+202E characters, or a number, was
stored as sent (``str(12345)``). Now it is refused naming the field, and
nothing is written; multi-line text and its line breaks are kept.
"""

from __future__ import annotations

import pytest
from django.test import Client

from egov.core.models import AuditEntry, Event
from egov.core.testing import make_staff
from egov.supervision.errors import ErrorCode, SupervisionError
from egov.supervision.findings import handling as findings
from egov.supervision.models import Finding, SupervisionNotice
from egov.supervision.tests.lit_cases import make_finding

pytestmark = pytest.mark.django_db


@pytest.fixture
def market_leader(regions: None):
    """The leader of 道里区市场监督管理局: answers its notices."""
    return make_staff("leader_daoli_market", "230102-SCJG", roles=["leader"])


def written() -> tuple[int, int, list]:
    return (
        Event.objects.count(),
        AuditEntry.objects.count(),
        list(SupervisionNotice.objects.values_list("pk", "status", "response")),
    )


def issue(supervisor) -> SupervisionNotice:
    return findings.issue_notice(
        actor=supervisor, finding_id=make_finding().pk, due_days=5, instructions="请说明"
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (12345, "expected text, got int"),
        (["说明"], "expected text, got list"),
        ("已整改\x00", "control character U+0000 is not allowed"),
        ("已整改\u202e", "control character U+202E is not allowed"),
        ("\x85已整改", "control character U+0085 is not allowed"),
        ("改" * 4001, "at most 4000 characters, got 4001"),
    ],
)
def test_a_bad_response_is_refused_and_nothing_written(
    supervisor_harbin, market_leader, text, reason
) -> None:
    notice = issue(supervisor_harbin)
    before = written()
    with pytest.raises(SupervisionError) as refused:
        findings.respond_to_notice(
            actor=market_leader, number=notice.number, kind="explanation", text=text
        )
    assert refused.value.code == ErrorCode.INVALID_INPUT
    assert refused.value.fields == {"text": reason}
    assert written() == before


def test_a_response_keeps_its_lines(supervisor_harbin, market_leader) -> None:
    notice = issue(supervisor_harbin)
    answered = findings.respond_to_notice(
        actor=market_leader,
        number=notice.number,
        kind="rectification",
        text="一、已整改\n二、已通报",
    )
    assert answered.response == "一、已整改\n二、已通报"


def test_instructions_and_escalation_reasons_refuse_controls(supervisor_harbin) -> None:
    finding = make_finding()
    with pytest.raises(SupervisionError) as refused:
        findings.issue_notice(
            actor=supervisor_harbin, finding_id=finding.pk, due_days=5, instructions="说\x07明"
        )
    assert refused.value.fields == {"instructions": "control character U+0007 is not allowed"}
    with pytest.raises(SupervisionError) as escalation:
        findings.escalate_finding(actor=supervisor_harbin, finding_id=finding.pk, reason=None)
    assert escalation.value.fields == {"reason": "required"}
    assert Finding.objects.get(pk=finding.pk).status == Finding.Status.OPEN
    assert not SupervisionNotice.objects.exists()


def test_the_api_answers_400_with_the_field(supervisor_harbin, market_leader) -> None:
    notice = issue(supervisor_harbin)
    before = written()
    client = Client()
    client.force_login(market_leader)
    answer = client.post(
        f"/api/v1/supervision/notices/{notice.number}/response",
        {"kind": "explanation", "text": "已整改\u2066"},
        content_type="application/json",
    )
    assert answer.status_code == 400
    body = answer.json()
    assert (body["code"], body["field"]) == ("invalid_input", "text")
    assert body["errors"] == [
        {"field": "text", "reason": "control character U+2066 is not allowed"}
    ]
    assert written() == before
