"""Time rules (时限判别), pure: acceptance, promised, statutory, special procedures, claims."""

from __future__ import annotations

import pytest

from egov.supervision.judging.rules.time import (
    ACCEPTANCE_LATE,
    CLAIM_MISMATCH,
    PROMISED_OVERDUE,
    SPECIAL_PROCEDURE_OVERDUE,
    STATUTORY_OVERDUE,
)
from egov.supervision.tests.rule_history import (
    accepted,
    all_hits,
    at,
    clean_events,
    concluded,
    decided,
    delivered,
    event,
    facts,
    hits,
    submitted,
    utc,
)


def test_a_clean_case_breaks_no_rule():
    assert all_hits(facts(clean_events())) == []


def test_acceptance_on_the_fifth_working_day_is_in_time_the_sixth_is_late():
    # Received Monday 2 March: the five working days are 3-6 and 9 March.
    on_time = facts([submitted(), accepted(at(9))])
    late = facts([submitted(), accepted(at(10))])
    assert hits(ACCEPTANCE_LATE, on_time) == []
    [hit] = hits(ACCEPTANCE_LATE, late)
    assert hit.evidence["acceptance_due"] == "2026-03-09"
    assert hit.severity == "yellow"


def test_acceptance_window_does_not_count_a_supplement_before_acceptance():
    request = event(
        "SupplementRequested",
        at(3),
        "supplement_requested",
        {
            "sequence": 1,
            "repeated": False,
            "missing": [{"code": "M02", "name": "身份证明", "reason": "不清晰"}],
            "suspension_start": utc(at(3)),
        },
    )
    received = event(
        "SupplementReceived",
        at(6),
        "submitted",
        {
            "sequence": 1,
            "materials": [],
            "suspension_start": utc(at(3)),
            "suspension_end": utc(at(6)),
        },
        "applicant",
    )
    # 4-6 March paused: the window runs 3, 9, 10, 11, 12 March.
    case = facts([submitted(), request, received, accepted(at(12))])
    assert hits(ACCEPTANCE_LATE, case) == []
    assert hits(ACCEPTANCE_LATE, facts([submitted(), request, received, accepted(at(13))]))


def test_deemed_acceptance_is_not_a_late_acceptance():
    deemed = accepted(at(16))
    deemed["data"]["deemed"] = True
    assert hits(ACCEPTANCE_LATE, facts([submitted(), deemed])) == []


def test_grace_days_parameter_tolerates_a_late_acceptance():
    late = facts([submitted(), accepted(at(10))])
    assert hits(ACCEPTANCE_LATE, late, grace_days=1) == []


def test_decision_after_the_promised_limit_is_overdue():
    # Accepted 3 March, promised 10 working days: 17 March is the last day in time.
    in_time = facts([submitted(), accepted(), decided(at(17))])
    late = facts([submitted(), accepted(), decided(at(18), on_time=False)])
    assert hits(PROMISED_OVERDUE, in_time) == []
    [hit] = hits(PROMISED_OVERDUE, late)
    assert hit.evidence["working_days_used"] == 11
    assert hit.evidence["limit_days"] == 10
    assert hits(STATUTORY_OVERDUE, late) == []


def test_an_extension_moves_the_promised_limit():
    extension = event(
        "CaseExtended",
        at(10),
        "accepted",
        {"days": 5, "reason": "情况复杂", "total_extension_days": 5, "deadline": "2026-03-24"},
        "leader_daoli",
    )
    case = facts([submitted(), accepted(), extension, decided(at(24))])
    assert hits(PROMISED_OVERDUE, case) == []


def test_decision_after_the_statutory_limit_is_red():
    # 20 working days after 3 March is 31 March.
    case = facts([submitted(), accepted(), decided(at(1, month=4), on_time=False)])
    [hit] = hits(STATUTORY_OVERDUE, case)
    assert hit.severity == "red"
    assert hit.evidence["working_days_used"] == 21


def special_procedure(started_day: int, ended_day: int, limit: int) -> list[dict]:
    start = event(
        "SpecialProcedureStarted",
        at(started_day),
        "special_procedure",
        {
            "procedure": "testing",
            "reason": "依法需要检验",
            "limit_days": limit,
            "applicant_notified": True,
            "suspension_start": utc(at(started_day)),
        },
    )
    end = event(
        "SpecialProcedureEnded",
        at(ended_day),
        "accepted",
        {
            "procedure": "testing",
            "outcome": "合格",
            "suspension_start": utc(at(started_day)),
            "suspension_end": utc(at(ended_day)),
        },
    )
    return [start, end]


def test_a_special_procedure_over_its_own_limit_is_a_finding_and_does_not_count_in_the_clock():
    within = special_procedure(4, 11, 5)  # 5-11 March: 5 working days
    over = special_procedure(4, 12, 5)  # 6 working days
    base = [submitted(), accepted()]
    assert hits(SPECIAL_PROCEDURE_OVERDUE, facts([*base, *within, decided(at(20))])) == []
    [hit] = hits(SPECIAL_PROCEDURE_OVERDUE, facts([*base, *over, decided(at(20))]))
    assert hit.evidence == hit.evidence | {"working_days": 6, "limit_days": 5}
    # The suspension stops the clock: decided 20 March, 13 days after acceptance minus 5 paused.
    assert hits(PROMISED_OVERDUE, facts([*base, *within, decided(at(20))])) == []


def test_claimed_on_time_but_late_is_a_mismatch():
    claim = facts([submitted(), accepted(), decided(at(18), on_time=True), concluded(at(18, 11))])
    [hit] = hits(CLAIM_MISMATCH, claim)
    assert hit.evidence["claimed_on_time"] is True
    assert hit.evidence["engine_on_time"] is False


def test_understated_claims_are_a_finding_only_when_asked():
    modest = facts([submitted(), accepted(), decided(on_time=False), concluded(on_time=False)])
    assert hits(CLAIM_MISMATCH, modest) == []
    assert len(hits(CLAIM_MISMATCH, modest, report_understated=True)) == 1


def test_a_case_not_yet_decided_is_not_judged_by_the_case_rules():
    case = facts([submitted(), accepted()])
    assert hits(PROMISED_OVERDUE, case) == hits(CLAIM_MISMATCH, case) == []
    assert all_hits(facts([submitted(), accepted(), decided(), concluded(), delivered()])) == []


def test_an_event_without_its_time_is_refused_by_name():
    # Intake never stores one; were one to reach the facts, it is named, not a None crash.
    events = clean_events()
    del events[1]["occurred_at"]
    with pytest.raises(ValueError, match="occurred_at is not a time"):
        facts(events)
