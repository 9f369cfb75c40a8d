"""事前 catalogue rules and 事后 random sampling, pure; the rule registry and parameters."""

from __future__ import annotations

import pytest

from egov.supervision.judging.rules import REGISTRY, Scope, rules_for
from egov.supervision.judging.rules.base import CATEGORIES, check_parameters, merge_parameters
from egov.supervision.judging.rules.catalogue import (
    FEE_WITHOUT_BASIS,
    NO_LEGAL_BASIS,
    PROMISED_OVER_STATUTORY,
)
from egov.supervision.judging.rules.facts import ReferenceFacts
from egov.supervision.judging.rules.review import SAMPLED, is_sampled
from egov.supervision.tests.rule_history import clean_events, facts, hits


def item(**changes) -> ReferenceFacts:
    base = {
        "code": "SCJG-001-230102",
        "legal_basis": "《中华人民共和国食品安全法》第三十五条",
        "statutory_limit_days": 20,
        "promised_limit_days": 10,
        "fees": ({"name": "工本费", "amount_fen": 2000, "basis": "财政部核定"},),
    }
    return ReferenceFacts(**(base | changes))


def run(code: str, reference: ReferenceFacts) -> list:
    return REGISTRY[code].run(reference)


def test_a_well_formed_item_passes_every_catalogue_rule():
    assert [hit for rule in rules_for(Scope.ITEM) for hit in rule.run(item())] == []


def test_promised_longer_than_statutory():
    [hit] = run(PROMISED_OVER_STATUTORY, item(promised_limit_days=25))
    assert hit.evidence == {"promised": 25, "statutory": 20}


def test_missing_legal_basis():
    assert len(run(NO_LEGAL_BASIS, item(legal_basis="  "))) == 1


def test_a_fee_without_basis():
    fees = (
        {"name": "工本费", "amount_fen": 2000, "basis": "财政部核定"},
        {"name": "加急费", "amount_fen": 100},
    )
    [hit] = run(FEE_WITHOUT_BASIS, item(fees=fees))
    assert hit.discriminator == "加急费"


def test_sampling_is_deterministic_and_close_to_the_rate():
    numbers = [f"2301022026030200{i:05d}" for i in range(20_000)]
    chosen = [n for n in numbers if is_sampled(n, 0.05)]
    assert chosen == [n for n in numbers if is_sampled(n, 0.05)]
    assert 0.045 < len(chosen) / len(numbers) < 0.055
    assert set(chosen) != {n for n in numbers if is_sampled(n, 0.05, seed="2026Q2")}


def test_only_concluded_cases_are_sampled():
    concluded = facts(clean_events())
    assert len(hits(SAMPLED, concluded, rate=1.0)) == 1
    assert hits(SAMPLED, concluded, rate=0.0) == []
    open_case = facts(clean_events()[:2])
    assert hits(SAMPLED, open_case, rate=1.0) == []
    assert hits(SAMPLED, concluded, rate=1.0)[0].severity == "info"


def test_every_rule_is_described():
    assert len(REGISTRY) >= 26
    for rule in REGISTRY.values():
        assert rule.category in CATEGORIES
        assert rule.code.startswith(rule.category + ".")
        assert rule.name
        assert rule.basis
        assert rule.description
        assert rule.severity in ("info", "yellow", "red")
    assert {rule.category for rule in REGISTRY.values()} == set(CATEGORIES) - {"complaint"}


def test_parameters_are_checked_by_type():
    rule = REGISTRY["irregular.night_closures"]
    assert check_parameters(rule, {"min_count": "7"}) == {"min_count": 7}
    with pytest.raises(ValueError, match="expected an integer") as refused:
        check_parameters(rule, {"min_count": "many", "colour": "red"})
    assert refused.value.args[0] == {
        "min_count": "expected an integer",
        "colour": "unknown parameter",
    }
    with pytest.raises(ValueError, match="must be >= 0"):
        check_parameters(REGISTRY["review.sampled"], {"rate": -0.5})
    assert check_parameters(REGISTRY["review.sampled"], {"rate": "0.1"}) == {"rate": 0.1}
    assert check_parameters(
        REGISTRY["irregular.decider_without_role"], {"trust_external": "on"}
    ) == {"trust_external": True}


def test_settings_layers_override_the_defaults_in_order():
    rule = REGISTRY["irregular.night_closures"]
    merged = merge_parameters(rule, [{"min_count": 7}, {"min_count": 9, "window_minutes": 30}])
    assert merged == rule.defaults() | {"min_count": 9, "window_minutes": 30}


def test_bounded_parameters_refuse_values_out_of_range():
    with pytest.raises(ValueError, match="must be <= 1") as refused:
        check_parameters(REGISTRY["review.sampled"], {"rate": "1.5"})
    assert refused.value.args[0] == {"rate": "must be <= 1"}
    with pytest.raises(ValueError, match="must be <= 23"):
        check_parameters(REGISTRY["irregular.night_closures"], {"night_start_hour": 24})
