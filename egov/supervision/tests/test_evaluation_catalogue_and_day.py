"""evaluate_catalogue (事前) over reference items and evaluate_department_day (夜间集中办结)."""

from __future__ import annotations

import pytest

from egov.core.testing import make_organisation
from egov.supervision.judging.evaluation import (
    evaluate_cases,
    evaluate_catalogue,
    evaluate_department_day,
)
from egov.supervision.models import Finding, RuleSetting
from egov.supervision.tests.factories import CaseStory, at
from egov.supervision.tests.test_evaluation_case import reference_item, store

pytestmark = pytest.mark.django_db


def test_catalogue_findings_name_the_item_and_are_not_repeated():
    make_organisation("230102-SCJG")
    reference_item()
    reference_item(code="SCJG-002-230102", promised_limit_days=30, legal_basis="")
    reference_item(code="SCJG-003-230102", fees=[{"name": "加急费", "amount_fen": 100}])
    found = evaluate_catalogue()
    assert sorted((f.item_code, f.rule_code) for f in found) == [
        ("SCJG-002-230102", "catalogue.no_legal_basis"),
        ("SCJG-002-230102", "catalogue.promised_over_statutory"),
        ("SCJG-003-230102", "catalogue.fee_without_basis"),
    ]
    assert all(f.case_number == "" and f.organisation is not None for f in found)
    assert len(evaluate_catalogue()) == 3
    assert Finding.objects.count() == 3


def test_a_catalogue_rule_switched_off_for_one_item():
    reference_item(code="SCJG-002-230102", legal_basis="")
    RuleSetting.objects.create(
        rule_code="catalogue.no_legal_basis", item_code="SCJG-002-230102", enabled=False
    )
    assert evaluate_catalogue() == []


def night_closed(minute: int, day: int = 13) -> str:
    story = CaseStory(received=at(2026, 3, 2, 9)).accept(at(2026, 3, 3))
    story.decide(at(2026, 3, day, 23, minute)).conclude(at(2026, 3, day, 23, minute + 1))
    return store(story)


def test_five_closures_within_an_hour_at_night_make_one_department_finding():
    numbers = [night_closed(minute) for minute in (0, 10, 20, 30, 40)]
    [finding] = evaluate_department_day(department_code="230102-SCJG", day=at(2026, 3, 13).date())
    assert finding.rule_code == "irregular.night_closures"
    assert finding.case_number == ""
    assert finding.department_code == "230102-SCJG"
    assert sorted(finding.evidence["cases"]) == sorted(numbers)
    assert (
        len(evaluate_department_day(department_code="230102-SCJG", day=at(2026, 3, 13).date())) == 1
    )
    assert Finding.objects.count() == 1


def test_four_closures_are_not_a_burst():
    for minute in (0, 10, 20, 30):
        night_closed(minute)
    assert evaluate_department_day(department_code="230102-SCJG", day=at(2026, 3, 13).date()) == []


def test_evaluating_the_cases_also_judges_their_departments_night():
    numbers = [night_closed(minute) for minute in (0, 10, 20, 30, 40)]
    found = evaluate_cases(case_numbers=numbers)
    night = [f for f in found if f.rule_code == "irregular.night_closures"]
    assert len(night) == 1
    assert evaluate_cases(case_numbers=numbers[:1])[-1].pk == night[0].pk
    assert Finding.objects.filter(rule_code="irregular.night_closures").count() == 1
