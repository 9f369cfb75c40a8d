"""A scan looks again only at what changed since the previous scan (ADR 0056).

Changed: the cases the projection rebuilt since the previous scan began
(``rebuilt_at``), and the cases whose light this scan set. A case the
projection lit between two scans still gets its alerts and its finding; the
cases an earlier scan already looked at are not probed again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from egov.core.testing import make_staff, shanghai
from egov.supervision.judging.rules.time import PROMISED_OVERDUE, STATUTORY_OVERDUE
from egov.supervision.judging.scan import COMMIT_MARGIN, scan
from egov.supervision.models import Alert, Finding, Light
from egov.supervision.tests.lit_cases import open_case

pytestmark = pytest.mark.django_db

ACCEPTED = dt.date(2026, 9, 25)


@pytest.fixture
def handler(regions: None) -> str:
    make_staff("clerk_market_wang", "230102-SCJG", roles=["clerk"])
    return "clerk_market_wang"


def lit_by_projection(day: dt.date, handler: str) -> Any:
    """A case the projection rebuilt red today (its deadline long past), as ingest leaves it."""
    return open_case(accepted_on=ACCEPTED, handler=handler, light=Light.RED, light_judged_on=day)


def test_a_case_the_projection_lit_after_the_scan_is_alerted_by_the_next(
    handler: str, time_machine: Any
) -> None:
    time_machine.move_to(shanghai(2026, 12, 2, 1))
    day = dt.date(2026, 12, 2)
    first = open_case(accepted_on=ACCEPTED, handler=handler)
    assert scan(day).turned_red == 1
    time_machine.move_to(shanghai(2026, 12, 2, 9))  # ingest rebuilds a case in the morning
    later = lit_by_projection(day, handler)

    result = scan(day)  # a second scan the same day: no light changes, one new case

    assert (result.turned_red, result.alerts_created, result.findings_created) == (0, 1, 2)
    assert Alert.objects.filter(case_number=later.case_number, level="red").count() == 1
    rules = Finding.objects.filter(case_number=later.case_number).values_list("rule_code")
    assert {code for (code,) in rules} == {PROMISED_OVERDUE, STATUTORY_OVERDUE}
    assert Alert.objects.filter(case_number=first.case_number).count() == 1


def test_cases_an_earlier_scan_looked_at_are_not_probed_again(
    handler: str, time_machine: Any
) -> None:
    scanned_at = shanghai(2026, 12, 2, 1)
    time_machine.move_to(scanned_at - COMMIT_MARGIN - dt.timedelta(minutes=1))
    day = dt.date(2026, 12, 2)
    case = open_case(accepted_on=ACCEPTED, handler=handler)  # rebuilt before the margin
    time_machine.move_to(scanned_at)
    scan(day)
    Alert.objects.filter(case_number=case.case_number).delete()  # lost outside the scan

    assert scan(day).alerts_created == 0  # it changed neither light nor projection since

    # A scan as of an earlier day than the last one looks at every case again.
    assert scan(day - dt.timedelta(days=1)).alerts_created == 1
    assert Alert.objects.filter(case_number=case.case_number).count() == 1
