"""The quality measure, small: every injected violation found, nothing on clean cases.

A few hundred generated cases over a handful of departments go through the
real intake and the rules; the findings must equal the generator's labelled
ground truth exactly (recall and precision 1 for every rule).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from egov.core.selectors.calendar import get_working_calendar
from egov.core.testing import make_organisation, shanghai
from egov.supervision.demo.month import item_specs, load_month
from egov.supervision.judging.quality import found_pairs, score
from egov.supervision.judging.rules import REGISTRY
from egov.supervision.judging.violations import generate_month
from egov.supervision.models import CaseEvent, Finding, ReferenceItem

pytestmark = pytest.mark.django_db

# The generated month ends here: it spans the National Day week and a make-up
# Saturday, so the rules meet holidays whatever day the suite runs.
MONTH_END = shanghai(2026, 10, 30, 17)


@pytest.fixture(autouse=True)
def _at_month_end(time_machine: Any) -> None:
    time_machine.move_to(MONTH_END)


DEPARTMENTS = ("230102-SCJG", "230102-GA", "230100-SCJG", "230000-SCJG")
FEES = [{"name": "工本费", "amount_fen": 2000, "basis": "国家发展改革委、财政部核定"}]
MATERIALS = [
    {"code": "M01", "name": "申请书", "required": True},
    {"code": "M02", "name": "身份证明", "required": True},
    {"code": "M03", "name": "场所证明", "required": False},
]


def reference_items() -> None:
    for department in DEPARTMENTS:
        organisation = make_organisation(department)
        for number, (statutory, promised, fees) in enumerate(
            ((20, 10, FEES), (20, 5, []), (30, 15, []), (20, 12, FEES)), start=1
        ):
            ReferenceItem.objects.create(
                code=f"{department}-{number:03d}",
                name=f"示例事项{number}",
                department_code=department,
                region_code=organisation.region_id,
                legal_basis="《中华人民共和国行政许可法》",
                statutory_limit_days=statutory,
                promised_limit_days=promised,
                fees=fees,
                materials=MATERIALS,
                published_at=MONTH_END - dt.timedelta(days=60),
            )


def test_every_injected_violation_is_found_and_nothing_else(regions: Any) -> None:
    reference_items()
    now = MONTH_END
    month = generate_month(item_specs(), get_working_calendar(), now, cases=160, seed=11)
    loaded = load_month(month, now)
    assert loaded["cases"] >= 190
    assert CaseEvent.objects.exclude(type="ItemPublished").count() == len(month.events)
    found = found_pairs()
    assert found - month.truth == set(), "findings on cases without that violation"
    assert month.truth - found == set(), "injected violations not found"
    scores = score(month.truth, found)
    assert {s.rule_code for s in scores if s.injected} >= set(REGISTRY) - {"review.sampled"}
    assert all(s.precision == 1.0 and s.recall == 1.0 for s in scores)


def test_loading_the_same_month_again_changes_nothing(regions: Any) -> None:
    reference_items()
    now = MONTH_END
    month = generate_month(item_specs(), get_working_calendar(), now, cases=20, seed=3)
    load_month(month, now)
    findings = Finding.objects.count()
    load_month(month, now)
    assert Finding.objects.count() == findings
