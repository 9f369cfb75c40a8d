"""The dashboards' daily roll-ups give the figures the case table gives (ADR 0050).

The oracle is the statistics computed from the cases themselves
(``source=RAW``); the pages read the roll-ups kept by ingest and the scan.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from egov.core.selectors.calendar import add_working_days
from egov.core.testing import make_organisation
from egov.supervision.collection.ingest import ingest_events
from egov.supervision.judging.scan import scan
from egov.supervision.models import (
    Light,
    OpenLightCount,
    ReceivedDay,
    ReceivedMonth,
    SupervisedCase,
)
from egov.supervision.statistics import aggregates as stats
from egov.supervision.statistics.rollups import rebuild_rollups, refresh_rollups_for
from egov.supervision.tests.factories import CaseStory, at, citizen_applicant

pytestmark = pytest.mark.django_db

DEPARTMENTS = ("230102-SCJG", "230103-SCJG", "230202-SCJG")
PROVINCE = stats.ViewScope(("230000/",))
MARCH = stats.month_period(2026, 3)
FIRST_DAY = dt.date(2026, 3, 2)


def assert_rollups_equal_raw(scope: stats.ViewScope, period: stats.Period, today: dt.date) -> None:
    for dimension in (*stats.DIMENSIONS, "total"):
        rolled = stats.grouped_figures(scope, dimension, period)
        raw = stats.grouped_figures(scope, dimension, period, stats.RAW)
        assert rolled == raw, dimension
    assert stats.open_by_light(scope) == stats.open_by_light(scope, stats.RAW)
    rolled_weeks = stats.department_weeks(scope, today, 8)
    assert rolled_weeks == stats.department_weeks(scope, today, 8, stats.RAW)


def generated_cases(count: int, seed: int, month: int = 3) -> list[str]:
    """Cases received over a month, March by default (some at night, a local day apart from
    UTC's), some decided."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    organisations = {code: make_organisation(code) for code in DEPARTMENTS}
    rows: list[SupervisedCase] = []
    for n in range(count):
        code = rng.choice(DEPARTMENTS)
        organisation = organisations[code]
        received = at(2026, month, 1, 0) + dt.timedelta(minutes=rng.randrange(30 * 24 * 60))
        accepted = received.date()
        limit = rng.choice((3, 5, 10))
        decided = received + dt.timedelta(days=rng.randint(1, 12)) if rng.random() < 0.5 else None
        suspended = decided is None and rng.random() < 0.1
        dated = decided is None and not suspended
        rows.append(
            SupervisedCase(
                case_number=f"{organisation.region_id}2026{month:02d}{n:06d}",
                item_code=f"{code}-{n % 3}",
                department_code=code,
                region_code=organisation.region_id,
                region_path=organisation.region.path,
                organisation=organisation,
                source="internal",
                status="concluded" if decided else "accepted",
                is_open=decided is None,
                received_at=received,
                accepted_at=received,
                decided_at=decided,
                working_days_used=rng.randint(1, 12) if decided else None,
                on_time=rng.random() < 0.8 if decided and rng.random() < 0.9 else None,
                deadline=add_working_days(accepted, limit) if dated else None,
                statutory_deadline=add_working_days(accepted, 2 * limit) if dated else None,
                yellow_on=add_working_days(accepted, limit - 2) if dated else None,
                promised_limit_days=limit,
                light=Light.STOPPED if decided else (Light.SUSPENDED if suspended else Light.GREEN),
            )
        )
    SupervisedCase.objects.bulk_create(rows)
    return [row.case_number for row in rows]


def test_generated_cases_after_ingest_refresh_and_scans(regions: None) -> None:
    numbers = generated_cases(300, seed=11)
    refresh_rollups_for(numbers)  # what ingest calls at the end of its batch
    assert_rollups_equal_raw(PROVINCE, MARCH, dt.date(2026, 3, 31))

    for day in (dt.date(2026, 3, 10), dt.date(2026, 3, 11), dt.date(2026, 3, 20)):
        result = scan(day)
        assert_rollups_equal_raw(PROVINCE, MARCH, day)
    assert result.turned_red  # the scans moved cases between lights
    lights = stats.open_by_light(PROVINCE)
    assert lights[Light.RED] > 0
    assert lights[Light.YELLOW] + lights[Light.GREEN] > 0

    # A case decided later (its events arrive): its day's rows follow.
    later = SupervisedCase.objects.filter(is_open=True, light=Light.RED).first()
    assert later is not None
    SupervisedCase.objects.filter(pk=later.pk).update(
        is_open=False,
        light=Light.STOPPED,
        decided_at=at(2026, 3, 21),
        working_days_used=14,
        on_time=False,
    )
    refresh_rollups_for([later.case_number])
    assert_rollups_equal_raw(PROVINCE, MARCH, dt.date(2026, 3, 25))


def test_a_city_and_a_department_see_the_same_figures_as_from_the_cases(regions: None) -> None:
    refresh_rollups_for(generated_cases(120, seed=5))
    scan(dt.date(2026, 3, 16))
    harbin = stats.ViewScope(("230000/230100/",))
    assert_rollups_equal_raw(harbin, MARCH, dt.date(2026, 3, 31))
    daoli = stats.department_scope(harbin, "230102-SCJG")
    assert daoli is not None
    assert_rollups_equal_raw(
        daoli, stats.Period(dt.date(2026, 3, 5), dt.date(2026, 3, 12)), FIRST_DAY
    )


def test_rebuilding_gives_the_rows_the_refreshes_kept(regions: None) -> None:
    refresh_rollups_for(generated_cases(150, seed=7))
    scan(dt.date(2026, 3, 12))
    kept = sorted(ReceivedDay.objects.values_list("day", "item_code", "received", "on_time"))
    columns = ("item_code", "department_code", "light", "cases")
    lights = {(i, d, li): n for i, d, li, n in OpenLightCount.objects.values_list(*columns) if n}
    rebuild_rollups()
    assert (
        sorted(ReceivedDay.objects.values_list("day", "item_code", "received", "on_time")) == kept
    )
    rebuilt = OpenLightCount.objects.values_list(*columns)
    assert {(i, d, li): n for i, d, li, n in rebuilt} == lights
    one_day = rebuild_rollups(dt.date(2026, 3, 9))
    assert one_day["received_days"] == ReceivedDay.objects.filter(day=dt.date(2026, 3, 9)).count()
    assert_rollups_equal_raw(PROVINCE, MARCH, dt.date(2026, 3, 31))


def test_ingested_cases_are_in_the_rollups(regions: None) -> None:
    make_organisation("230102-SCJG")
    decided = CaseStory(applicant=citizen_applicant(), received=at(2026, 3, 3))
    decided.accept(at(2026, 3, 3, 11)).decide(at(2026, 3, 10)).conclude(at(2026, 3, 10, 15))
    waiting = CaseStory(applicant=citizen_applicant(), received=at(2026, 3, 4))
    waiting.accept(at(2026, 3, 4, 11))
    ingest_events(
        events=decided.events + waiting.events, source="api", source_system="t", actor="t"
    )
    totals = stats.total_figures(PROVINCE, MARCH)
    assert (totals.received, totals.concluded, totals.open_cases) == (2, 1, 1)
    assert_rollups_equal_raw(PROVINCE, MARCH, dt.date(2026, 3, 12))


def test_periods_of_whole_months_and_loose_days_add_up_as_from_the_cases(
    regions: None,
) -> None:
    """A period reads whole months from the month rows and its other days from the day rows."""
    numbers = [*generated_cases(150, seed=3), *generated_cases(150, seed=4, month=4)]
    refresh_rollups_for(numbers)
    periods = (
        stats.Period(dt.date(2026, 3, 1), dt.date(2026, 4, 30)),  # two whole months
        stats.Period(dt.date(2026, 3, 17), dt.date(2026, 4, 30)),  # days, then a month
        stats.Period(dt.date(2026, 2, 20), dt.date(2026, 4, 9)),  # days, a month, days
        stats.Period(dt.date(2026, 3, 31), dt.date(2026, 4, 1)),  # no whole month
    )
    for period in periods:
        assert_rollups_equal_raw(PROVINCE, period, dt.date(2026, 4, 30))
    assert ReceivedMonth.objects.filter(month=dt.date(2026, 4, 1)).exists()

    rebuild_rollups()  # the command's rebuild keeps the same month and week rows
    for period in periods:
        assert_rollups_equal_raw(PROVINCE, period, dt.date(2026, 4, 30))
