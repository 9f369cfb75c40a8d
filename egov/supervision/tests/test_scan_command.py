"""``egov supervision scan [--date D]``: the scheduled job by hand."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from egov.core.selectors.calendar import add_working_days
from egov.supervision.models import Light, SupervisedCase
from egov.supervision.tests.lit_cases import open_case

pytestmark = pytest.mark.django_db

ACCEPTED = dt.date(2026, 9, 25)


def test_scan_as_of_a_date(regions: None) -> None:
    case = open_case(accepted_on=ACCEPTED, limit_days=5)
    day = add_working_days(ACCEPTED, 6)
    out = StringIO()
    call_command("supervision", "scan", "--date", day.isoformat(), stdout=out)
    assert f"scanned {day}: red 1" in out.getvalue()
    case.refresh_from_db()
    assert case.light == Light.RED
    out = StringIO()
    call_command("supervision", "scan", "--date", day.isoformat(), stdout=out)
    assert "red 0, yellow 0, green 0 turned; first judged 0; findings 0, alerts 0" in out.getvalue()


def test_a_bad_date_is_refused(regions: None) -> None:
    open_case(accepted_on=ACCEPTED)
    with pytest.raises(CommandError, match="--date: expected YYYY-MM-DD"):
        call_command("supervision", "scan", "--date", "29/11/2026")
    assert SupervisedCase.objects.get().light_judged_on is None
