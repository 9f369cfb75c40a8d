"""Irregular-handling rules (异常处理监督), pure."""

from __future__ import annotations

import datetime as dt

from egov.supervision.judging.rules import REGISTRY
from egov.supervision.judging.rules.facts import Closure, DepartmentDayFacts, parse_instant
from egov.supervision.judging.rules.irregular import (
    DECIDER_WITHOUT_ROLE,
    NIGHT_CLOSURES,
    NO_DECISION_DOCUMENT,
    REPEATED_SUPPLEMENT,
    STATUS_REVERSAL,
    STEPS_SKIPPED,
    SUSPENSION_OVERLONG,
    TIMESTAMPS,
)
from egov.supervision.tests.rule_history import (
    SHANGHAI,
    accepted,
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


def supplement(sequence: int, start: dt.datetime, end: dt.datetime, status: str = "accepted"):
    request = event(
        "SupplementRequested",
        start,
        "supplement_requested",
        {
            "sequence": sequence,
            "repeated": sequence > 1,
            "missing": [{"code": "M02", "name": "身份证明", "reason": "不清晰"}],
            "suspension_start": utc(start),
        },
    )
    answer = event(
        "SupplementReceived",
        end,
        status,
        {
            "sequence": sequence,
            "materials": [],
            "suspension_start": utc(start),
            "suspension_end": utc(end),
        },
        "applicant",
    )
    return [request, answer]


def test_deciding_without_acceptance_and_concluding_without_decision_are_skipped_steps():
    no_acceptance = facts([submitted(), decided(), concluded()])
    [hit] = hits(STEPS_SKIPPED, no_acceptance)
    assert hit.discriminator == "CaseDecided"
    no_decision = facts([submitted(), accepted(), concluded(), delivered()])
    assert [h.discriminator for h in hits(STEPS_SKIPPED, no_decision)] == ["CaseConcluded"]


def test_a_decider_without_the_role_or_unknown_to_the_platform():
    assert hits(DECIDER_WITHOUT_ROLE, facts(clean_events(), decider_has_role=True)) == []
    [hit] = hits(DECIDER_WITHOUT_ROLE, facts(clean_events(), decider_has_role=False))
    assert hit.evidence["actor"] == "leader_daoli"
    [unknown] = hits(DECIDER_WITHOUT_ROLE, facts(clean_events(), decider_has_role=None))
    assert unknown.evidence["known_account"] is False


def test_external_deciders_are_trusted_only_when_the_parameter_says_so():
    events = clean_events()
    events[2]["actor"] = {"kind": "external", "id": "wang.li", "organisation": "230102-SCJG"}
    case = facts(events, decider_has_role=None)
    assert len(hits(DECIDER_WITHOUT_ROLE, case)) == 1
    assert hits(DECIDER_WITHOUT_ROLE, case, trust_external=True) == []


def test_a_backdated_decision_document():
    events = clean_events()
    events[2]["data"]["decided_at"] = utc(at(10))  # recorded 13 March, dated 10 March
    [hit] = hits(TIMESTAMPS, facts(events))
    assert hit.evidence["type"] == "CaseDecided"
    assert hits(TIMESTAMPS, facts(events), tolerance_hours=96.0) == []


def test_an_event_that_happened_after_it_was_received_or_reported_late_by_a_live_source():
    events = clean_events()
    ids = [e["event_id"] for e in events]
    soon = {e["event_id"]: parse_instant(e["occurred_at"]) + dt.timedelta(hours=1) for e in events}
    on_time = {i: (soon[i], "api") for i in ids}
    assert hits(TIMESTAMPS, facts(events, received=on_time)) == []
    future = on_time | {ids[4]: (at(16, 9), "api")}  # delivered 10:00, received 09:00
    assert len(hits(TIMESTAMPS, facts(events, received=future))) == 1
    late = {i: (at(30), "api") for i in ids}
    assert len(hits(TIMESTAMPS, facts(events, received=late))) == 5
    imported = {i: (at(30), "import") for i in ids}
    assert hits(TIMESTAMPS, facts(events, received=imported)) == []
    internal = {i: (at(30), "internal") for i in ids}  # our outbox's lag is not the department's
    assert hits(TIMESTAMPS, facts(events, received=internal)) == []


def test_more_than_one_request_for_materials():
    once = [submitted(), accepted(), *supplement(1, at(4), at(5)), decided(at(16))]
    twice = [*once[:-1], *supplement(2, at(9), at(10)), decided(at(17))]
    assert hits(REPEATED_SUPPLEMENT, facts(once)) == []
    [hit] = hits(REPEATED_SUPPLEMENT, facts(twice))
    assert hit.evidence["requests"] == 2


def test_a_supplement_suspension_over_its_limit():
    # Paused 5-26 March: 16 working days, one over the default 15.
    long = [submitted(), accepted(), *supplement(1, at(4), at(26)), decided(at(27))]
    [hit] = hits(SUSPENSION_OVERLONG, facts(long))
    assert hit.evidence["working_days"] == 16
    assert hits(SUSPENSION_OVERLONG, facts(long), supplement_limit_days=16) == []
    assert len(hits(SUSPENSION_OVERLONG, facts(long), total_limit_days=10)) == 2


def test_a_status_going_back():
    back = event("CaseAccepted", at(16, 12), "accepted", accepted()["data"])
    case = facts([*clean_events(), back])
    [hit] = hits(STATUS_REVERSAL, case)
    assert (hit.evidence["from"], hit.evidence["to"]) == ("delivered", "accepted")
    pause = [submitted(), *supplement(1, at(2, 11), at(3), status="submitted"), accepted(at(4))]
    assert hits(STATUS_REVERSAL, facts(pause)) == []


def test_decision_documents():
    assert hits(NO_DECISION_DOCUMENT, facts(clean_events())) == []
    blank = facts([submitted(), accepted(), decided(licence_number="无")])
    assert hits(NO_DECISION_DOCUMENT, blank)[0].summary == "准予许可但无许可证号"
    no_remedy = decided(decision="deny", reasons="不符合法定条件", remedies="请重新申请")
    del no_remedy["data"]["licence_number"]
    assert (
        "复议" in hits(NO_DECISION_DOCUMENT, facts([submitted(), accepted(), no_remedy]))[0].summary
    )
    concluded_only = facts([submitted(), accepted(), concluded()])
    assert len(hits(NO_DECISION_DOCUMENT, concluded_only)) == 1


def closures(*times: tuple[int, int]) -> DepartmentDayFacts:
    day = dt.date(2026, 3, 13)
    return DepartmentDayFacts(
        "230102-SCJG",
        day,
        tuple(
            Closure(
                f"23010220260302000{i:04d}",
                dt.datetime(2026, 3, 13, h, m, tzinfo=SHANGHAI),
                "CaseConcluded",
            )
            for i, (h, m) in enumerate(times)
        ),
    )


def test_a_burst_of_closures_at_night():
    rule = REGISTRY[NIGHT_CLOSURES]
    burst = closures((23, 0), (23, 10), (23, 20), (23, 30), (23, 55), (10, 0))
    [hit] = rule.run(burst)
    assert len(hit.evidence["cases"]) == 5
    spread = closures((23, 0), (23, 10), (23, 20), (23, 30), (2, 0))
    assert rule.run(spread) == []
    daytime = closures(*[(10, i) for i in range(10)])
    assert rule.run(daytime) == []
    assert len(rule.run(spread, {"min_count": 4})) == 1
