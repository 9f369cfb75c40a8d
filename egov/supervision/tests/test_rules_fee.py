"""Fee rules (收费监督), pure: off-catalogue, over standard, free items, closed cases, refunds."""

from __future__ import annotations

from egov.supervision.judging.rules.fee import (
    FREE_ITEM,
    NOT_IN_CATALOGUE,
    ON_UNACCEPTED,
    OVER_STANDARD,
    REFUND_MISSING,
)
from egov.supervision.tests.rule_history import (
    accepted,
    all_hits,
    at,
    concluded,
    decided,
    delivered,
    event,
    facts,
    hits,
    paid,
    reference,
    submitted,
)

FEES = (("工本费", 2000, "国家发展改革委、财政部核定的收费标准"),)


def approved_with(*payments: dict) -> list[dict]:
    return [
        submitted(fees=(("工本费", 2000),)),
        accepted(),
        decided(),
        *payments,
        concluded(),
        delivered(),
    ]


def test_a_fee_of_the_catalogue_at_its_standard_is_clean():
    assert all_hits(facts(approved_with(paid()), reference=reference(FEES))) == []


def test_a_fee_not_in_the_catalogue():
    case = facts(approved_with(paid("加急费", 5000)), reference=reference(FEES))
    [hit] = hits(NOT_IN_CATALOGUE, case)
    assert hit.evidence["fee_name"] == "加急费"
    assert hits(OVER_STANDARD, case) == hits(FREE_ITEM, case) == []


def test_a_fee_above_the_standard():
    case = facts(approved_with(paid("工本费", 2500)), reference=reference(FEES))
    [hit] = hits(OVER_STANDARD, case)
    assert hit.evidence["standard_fen"] == 2000
    assert hits(OVER_STANDARD, case, tolerance_fen=500) == []
    assert hits(NOT_IN_CATALOGUE, case) == []


def test_any_fee_on_a_free_item():
    case = facts(approved_with(paid("工本费", 2000)), reference=reference(()))
    [hit] = hits(FREE_ITEM, case)
    assert hit.evidence["amount_fen"] == 2000
    assert hits(NOT_IN_CATALOGUE, case) == []


def test_a_fee_on_a_refused_case():
    refused = event("CaseRefused", at(3), "refused", {"reasons": "不属于本机关职权范围"})
    case = facts([submitted(), refused, paid(when=at(3, 11), status="refused")])
    [hit] = hits(ON_UNACCEPTED, case)
    assert hit.evidence["outcome"] == "refused"
    assert hits(REFUND_MISSING, case) == []


def test_a_fee_paid_on_a_terminated_case_must_be_refunded():
    terminated = event(
        "CaseTerminated", at(12), "terminated", {"reason": "申请人死亡"}, "leader_daoli"
    )
    payment = paid(when=at(4), status="accepted")
    case = facts([submitted(), accepted(), payment, terminated], reference=reference(FEES))
    [hit] = hits(REFUND_MISSING, case)
    assert hit.evidence == {"outcome": "terminated", "paid_fen": 2000, "refunded_fen": 0}
    refund = dict(payment, type="FeeRefunded", event_id="00000000-0000-4000-8000-000000000001")
    assert hits(REFUND_MISSING, facts([*case.events, refund], reference=reference(FEES))) == []


def test_refundable_outcomes_are_a_parameter():
    payment = paid(when=at(4), status="accepted")
    case = facts(
        [
            submitted(),
            accepted(),
            payment,
            decided(decision="deny", reasons="不符合", remedies="可申请行政复议"),
        ],
        reference=reference(FEES),
    )
    assert len(hits(REFUND_MISSING, case)) == 1
    assert hits(REFUND_MISSING, case, refundable_statuses="terminated") == []
