"""Data rules (资料数据对比), pure: identifiers, contradictions, materials, duplicates."""

from __future__ import annotations

import datetime as dt

from egov.core.identifiers import credit_code_with_check_digit, resident_id_with_check_digit
from egov.supervision.judging.rules.data import (
    APPLICANT_INCONSISTENT,
    DUPLICATE_APPLICATION,
    IDENTIFIER_INVALID,
    MATERIALS_MISSING,
    REFERENCE_MISMATCH,
)
from egov.supervision.judging.rules.facts import RelatedCase
from egov.supervision.tests.rule_history import (
    ITEM,
    MATERIALS,
    RESIDENT_ID,
    accepted,
    at,
    clean_events,
    decided,
    event,
    facts,
    hits,
    submitted,
    utc,
)


def with_identifier(identifier: str, id_type: str = "resident_id", kind: str = "citizen") -> list:
    events = clean_events()
    events[0]["data"]["applicant"] |= {"identifier": identifier, "id_type": id_type, "kind": kind}
    return events


def test_a_valid_resident_id_from_a_known_region_passes():
    assert hits(IDENTIFIER_INVALID, facts(with_identifier(RESIDENT_ID))) == []


def test_a_wrong_check_character_is_a_finding():
    wrong = RESIDENT_ID[:-1] + ("0" if RESIDENT_ID[-1] != "0" else "1")
    [hit] = hits(IDENTIFIER_INVALID, facts(with_identifier(wrong)))
    assert "check" in hit.evidence["reason"]
    assert hit.evidence["identifier_tail"] == wrong[-4:]


def test_an_address_code_unknown_to_the_region_table_is_a_finding():
    unknown = resident_id_with_check_digit("99010219750312003")
    [hit] = hits(IDENTIFIER_INVALID, facts(with_identifier(unknown)))
    assert "990102" in hit.evidence["reason"]


def test_credit_codes_are_checked_too():
    good = credit_code_with_check_digit("91230100MA1C0DEM0")
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    enterprise = {"id_type": "credit_code", "kind": "enterprise"}
    assert hits(IDENTIFIER_INVALID, facts(with_identifier(good, **enterprise))) == []
    assert len(hits(IDENTIFIER_INVALID, facts(with_identifier(bad, **enterprise)))) == 1


def test_a_citizen_with_a_credit_code_contradicts_the_applicant_kind():
    code = credit_code_with_check_digit("91230100MA1C0DEM0")
    case = facts(with_identifier(code, id_type="credit_code", kind="citizen"))
    assert len(hits(IDENTIFIER_INVALID, case)) == 1
    assert hits(IDENTIFIER_INVALID, case, check_kind=False) == []


def earlier(name: str, item: str = "OTHER-ITEM", closed: dt.datetime | None = None, days: int = 5):
    received = at(2, 9) - dt.timedelta(days=days)
    return RelatedCase("230102202602250000030", item, name, received, closed)


def test_same_identifier_with_another_name_than_an_earlier_case():
    case = facts(clean_events(), related=[earlier("张小明", closed=at(1))])
    [hit] = hits(APPLICANT_INCONSISTENT, case)
    assert hit.evidence["earlier"] == [{"case_number": "230102202602250000030", "name": "张小明"}]
    assert hits(APPLICANT_INCONSISTENT, facts(clean_events(), related=[earlier("张晓明")])) == []


def test_only_the_later_case_is_inconsistent():
    later = RelatedCase("230102202603090000001", "X", "张小明", at(9), None)
    assert hits(APPLICANT_INCONSISTENT, facts(clean_events(), related=[later])) == []


def test_deciding_without_a_required_material():
    events = clean_events()
    events[0] = submitted(materials=MATERIALS[1:])  # M01 (required) never submitted
    [hit] = hits(MATERIALS_MISSING, facts(events))
    assert hit.evidence["missing"] == [{"code": "M01", "name": "申请书"}]
    # M03 is not required: leaving it out is fine.
    events[0] = submitted(materials=MATERIALS[:2])
    assert hits(MATERIALS_MISSING, facts(events)) == []


def test_a_material_asked_for_and_received_by_supplement_counts_as_supplied():
    request = event(
        "SupplementRequested",
        at(3),
        "supplement_requested",
        {
            "sequence": 1,
            "repeated": False,
            "missing": [{"code": "M01", "name": "申请书", "reason": "缺少"}],
            "suspension_start": utc(at(3)),
        },
    )
    answer = event(
        "SupplementReceived",
        at(4),
        "submitted",
        {
            "sequence": 1,
            "materials": [],
            "suspension_start": utc(at(3)),
            "suspension_end": utc(at(4)),
        },
        "applicant",
    )
    events = [submitted(materials=MATERIALS[1:]), request, answer, accepted(at(5)), decided(at(13))]
    assert hits(MATERIALS_MISSING, facts(events)) == []


def test_a_second_application_for_the_same_item_while_the_first_is_open():
    open_one = earlier("张晓明", item=ITEM, closed=None)
    [hit] = hits(DUPLICATE_APPLICATION, facts(clean_events(), related=[open_one]))
    assert hit.evidence["earlier"] == ["230102202602250000030"]


def test_not_a_duplicate_when_the_first_was_closed_another_item_or_long_ago():
    closed = earlier("张晓明", item=ITEM, closed=at(1))
    other = earlier("张晓明", item="OTHER", closed=None)
    old = earlier("张晓明", item=ITEM, closed=None, days=40)
    for related in (closed, other, old):
        assert hits(DUPLICATE_APPLICATION, facts(clean_events(), related=[related])) == []
    assert (
        len(hits(DUPLICATE_APPLICATION, facts(clean_events(), related=[old]), window_days=60)) == 1
    )


def test_a_case_that_contradicts_the_catalogue_item():
    assert hits(REFERENCE_MISMATCH, facts(clean_events())) == []
    events = clean_events()
    events[0]["data"]["promised_limit_days"] = 15  # the catalogue says 10
    events[0]["data"]["fees"] = [{"name": "加急费", "amount_fen": 100}]
    [hit] = hits(REFERENCE_MISMATCH, facts(events))
    assert hit.evidence["differences"]["promised_limit_days"] == {"case": 15, "reference": 10}
    assert set(hit.evidence["differences"]) == {"promised_limit_days", "fees"}


def test_the_clock_counts_the_catalogue_limit_not_the_cases_own_copy():
    events = [submitted(), accepted(), decided(at(18), on_time=True)]
    events[0]["data"]["promised_limit_days"] = 15
    late = facts(events)
    assert late.clock.limit_days == 10
    assert late.clock.on_time is False


def test_an_item_changed_after_the_case_was_received_is_not_a_contradiction():
    from dataclasses import replace

    events = clean_events()
    events[0]["data"]["promised_limit_days"] = 15
    changed_later = replace(facts(events).reference, published_at=at(10))
    case = facts(events, reference=changed_later)
    assert hits(REFERENCE_MISMATCH, case) == []
    assert case.clock.limit_days == 15  # the case's own copy: the version then in force
