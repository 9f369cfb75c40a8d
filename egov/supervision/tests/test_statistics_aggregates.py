"""Statistics aggregates (统计) on a known set: by region, department, item; totals; findings."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from egov.supervision.models import SupervisedCase
from egov.supervision.statistics import aggregates as stats
from egov.supervision.statistics.rollups import refresh_rollups_for
from egov.supervision.tests.dashboard_data import at, known_set, make_case

NOVEMBER = stats.month_period(2026, 11)


@pytest.fixture
def data(db):
    return known_set()


def by_key(rows):
    return {row.key: row for row in rows}


def test_province_sees_its_cities(data, supervisor_province):
    scope = stats.viewer_scope(supervisor_province)
    rows = by_key(stats.grouped_figures(scope, stats.REGION, NOVEMBER))
    assert set(rows) == {"230000/230100/", "230000/230200/"}
    harbin, qiqihar = rows["230000/230100/"], rows["230000/230200/"]
    assert (harbin.name, harbin.code) == ("哈尔滨市", "230100")
    assert (harbin.received, harbin.concluded, harbin.judged, harbin.on_time) == (6, 4, 4, 3)
    assert harbin.on_time_rate == 0.75
    assert harbin.average_working_days == pytest.approx(6.0)
    assert (harbin.open_cases, harbin.yellow, harbin.red) == (3, 1, 1)
    assert (harbin.findings, harbin.red_findings) == (2, 1)
    assert harbin.findings_per_100 == pytest.approx(100 * 2 / 6)
    assert (qiqihar.received, qiqihar.concluded, qiqihar.on_time, qiqihar.overdue) == (3, 2, 1, 1)
    assert qiqihar.average_working_days == pytest.approx(7.0)
    assert (qiqihar.open_cases, qiqihar.findings) == (1, 1)


def test_a_city_sees_its_own_departments_and_counties(data, supervisor_harbin):
    scope = stats.viewer_scope(supervisor_harbin)
    rows = by_key(stats.grouped_figures(scope, stats.REGION, NOVEMBER))
    assert set(rows) == {"230000/230100/", "230000/230100/230102/"}
    own, daoli = rows["230000/230100/"], rows["230000/230100/230102/"]
    assert own.name == "哈尔滨市本级"
    assert (own.received, own.concluded, own.on_time, own.yellow) == (2, 1, 1, 1)
    assert daoli.name == "道里区"
    assert (daoli.received, daoli.concluded, daoli.on_time, daoli.overdue) == (4, 3, 2, 1)
    assert daoli.average_working_days == pytest.approx(7.0)
    assert (daoli.open_cases, daoli.red, daoli.findings) == (2, 1, 2)


def test_by_department_and_item(data, supervisor_province):
    scope = stats.viewer_scope(supervisor_province)
    departments = by_key(stats.grouped_figures(scope, stats.DEPARTMENT, NOVEMBER))
    assert set(departments) == {"230102-SCJG", "230100-SCJG", "230200-SCJG"}
    assert departments["230102-SCJG"].name == "哈尔滨市道里区市场监督管理局"
    assert departments["230102-SCJG"].received == 4
    assert departments["230200-SCJG"].findings == 1
    items = by_key(stats.grouped_figures(scope, stats.ITEM, NOVEMBER))
    assert items["230102-SCJG-ITEM"].name == "食品经营许可"  # from the reference catalogue
    assert items["230200-SCJG-ITEM"].name == "230200-SCJG-ITEM"  # unknown item: its code


def test_totals_and_lights(data, supervisor_province):
    scope = stats.viewer_scope(supervisor_province)
    totals = stats.total_figures(scope, NOVEMBER)
    assert (totals.received, totals.concluded, totals.judged, totals.on_time) == (9, 6, 6, 4)
    assert totals.average_working_days == pytest.approx((4 + 6 + 11 + 3 + 5 + 9) / 6)
    assert (totals.open_cases, totals.findings, totals.red_findings) == (4, 3, 1)
    lights = stats.open_by_light(scope)
    assert lights == {"green": 2, "yellow": 1, "red": 1, "suspended": 0, "stopped": 0}


def test_findings_by_category_and_rule(data, supervisor_province):
    scope = stats.viewer_scope(supervisor_province)
    categories = stats.finding_breakdown(scope, NOVEMBER, "category")
    assert [(c.key, c.findings, c.red) for c in categories] == [
        ("data", 1, 0),
        ("fee", 1, 0),
        ("time", 1, 1),
    ]
    assert {c.key: c.name for c in categories}["fee"] == "收费"
    rules = stats.finding_breakdown(scope, NOVEMBER, "rule")
    assert {r.key for r in rules} == {
        "time.promised_overdue",
        "fee.above_standard",
        "data.resident_id_invalid",
    }
    assert all(r.unresolved == r.findings for r in rules)  # none closed yet


def test_a_period_outside_the_data_is_empty(data, supervisor_province):
    scope = stats.viewer_scope(supervisor_province)
    december = stats.month_period(2026, 12)
    rows = stats.grouped_figures(scope, stats.REGION, december)
    assert all(row.received == 0 and row.findings == 0 for row in rows)
    assert sum(row.open_cases for row in rows) == 4  # the open snapshot does not depend on it


def test_custom_range(data, supervisor_province):
    scope = stats.viewer_scope(supervisor_province)
    period = stats.parse_period(start="2026-11-02", end="2026-11-03")
    totals = stats.total_figures(scope, period)
    assert totals.received == 4  # 道里区 on the 2nd and 3rd, 齐齐哈尔 on the 2nd and 3rd


def test_queries_do_not_grow_with_cases(data, supervisor_province):
    scope = stats.viewer_scope(supervisor_province)
    with CaptureQueriesContext(connection) as few:
        stats.grouped_figures(scope, stats.DEPARTMENT, NOVEMBER)
    known_set_more = [known_set() for _ in range(3)]  # noqa: F841 - four times the rows
    with CaptureQueriesContext(connection) as many:
        rows = stats.grouped_figures(scope, stats.DEPARTMENT, NOVEMBER)
    assert len(many) == len(few)
    assert by_key(rows)["230102-SCJG"].received == 16


def test_a_refusal_to_accept_is_received_but_not_in_the_on_time_rate(data, supervisor_harbin):
    refused = make_case("230102-SCJG", received=at(6), on_time=True, days=0)
    SupervisedCase.objects.filter(pk=refused.pk).update(
        status="refused", is_open=False, light="stopped", closed_at=at(7)
    )
    refresh_rollups_for([refused.case_number])  # the projection's change, as ingest ends
    scope = stats.viewer_scope(supervisor_harbin)
    daoli = by_key(stats.grouped_figures(scope, stats.DEPARTMENT, NOVEMBER))["230102-SCJG"]
    assert (daoli.received, daoli.concluded, daoli.judged, daoli.on_time) == (5, 3, 3, 2)


@pytest.mark.parametrize("dimension", [stats.REGION, stats.DEPARTMENT, stats.ITEM])
def test_rows_add_up_to_the_total(data, supervisor_province, dimension):
    scope = stats.viewer_scope(supervisor_province)
    rows = stats.grouped_figures(scope, dimension, NOVEMBER)
    assert stats.total_of(rows) == stats.total_figures(scope, NOVEMBER)
