"""``egov rebuild_supervision_rollups``: rebuilds what was lost; a bad --day is refused."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from egov.supervision.models import ReceivedDay
from egov.supervision.statistics.rollups import refresh_rollups_for
from egov.supervision.tests.test_rollups import generated_cases

pytestmark = pytest.mark.django_db


def received_rows() -> list[tuple[dt.date, str, int]]:
    return sorted(ReceivedDay.objects.values_list("day", "item_code", "received"))


def test_the_command_rebuilds_rollups_that_were_lost(regions: None) -> None:
    refresh_rollups_for(generated_cases(60, seed=3))
    kept = received_rows()
    ReceivedDay.objects.all().delete()  # as after a bulk load written around ingest
    out = StringIO()
    call_command("rebuild_supervision_rollups", stdout=out)
    assert received_rows() == kept
    assert f"received-day rows {len(kept)}" in out.getvalue()


@pytest.mark.parametrize("day", ["2026-13-01", "tomorrow", "2026-03-09\x00"])
def test_a_bad_day_is_refused_and_nothing_is_rebuilt(regions: None, day: str) -> None:
    refresh_rollups_for(generated_cases(20, seed=5))
    ReceivedDay.objects.all().delete()
    with pytest.raises(CommandError, match="--day: expected YYYY-MM-DD"):
        call_command("rebuild_supervision_rollups", "--day", day)
    assert ReceivedDay.objects.count() == 0
