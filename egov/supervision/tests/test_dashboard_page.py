"""The supervision home (监察总览) and the statistics page (统计分析), scoped per viewer."""

from __future__ import annotations

import re

import plotly
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from egov.core.testing import shanghai
from egov.supervision.statistics.aggregates import week_start
from egov.supervision.tests.dashboard_data import known_set, rising_department

NOVEMBER = "?month=2026-11"
# The pages show this month and this week by default: the warning tests run on a
# Thursday late in November, so the week's decisions (Monday to Wednesday) lie in
# both, whatever the real date is.
LATE_NOVEMBER_THURSDAY = shanghai(2026, 11, 26, 11)


@pytest.fixture
def data(db):
    return known_set()


def page(user, url):
    client = Client()
    client.force_login(user)
    return client.get(url)


def test_the_province_sees_its_cities_figures_and_charts(data, supervisor_province):
    response = page(supervisor_province, f"/supervision/{NOVEMBER}")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="key-figures"' in html
    assert "哈尔滨市" in html
    assert "齐齐哈尔市" in html
    assert "<strong>9</strong>" in html  # received in November, the whole province
    assert 'id="chart-lights"' in html
    assert 'id="chart-findings"' in html
    assert f'<script src="/plotly-{plotly.__version__}.min.js">' in html
    assert "/supervision/findings/?rule=time.promised_overdue" in html  # S3's list, narrowed
    assert 'id="early-warnings"' in html


def test_a_city_supervisor_sees_only_the_city(data, supervisor_harbin):
    html = page(supervisor_harbin, f"/supervision/{NOVEMBER}").content.decode()
    assert "道里区" in html
    assert "哈尔滨市本级" in html
    assert "齐齐哈尔" not in html
    assert "<strong>6</strong>" in html


def test_drill_down_to_a_county_and_back_up(data, supervisor_province):
    html = page(supervisor_province, f"/supervision/{NOVEMBER}&region=230102").content.decode()
    crumbs = re.search(r'id="region-crumbs">(.*?)</div>', html).group(1)
    assert "黑龙江省" in crumbs
    assert "哈尔滨市" in crumbs
    assert "道里区" in crumbs
    assert "道里区本级" in html
    assert "齐齐哈尔" not in html


def test_a_region_outside_the_scope_is_not_found(data, supervisor_harbin):
    assert page(supervisor_harbin, "/supervision/?region=230200").status_code == 404
    assert page(supervisor_harbin, "/supervision/statistics/?region=230200").status_code == 404


def test_a_bad_period_is_a_form_error(data, supervisor_harbin):
    response = page(supervisor_harbin, "/supervision/?from=2026-11-20&to=2026-11-01")
    assert response.status_code == 400
    assert 'id="period-errors"' in response.content.decode()


def test_staff_without_the_right_are_refused(data, clerk_harbin):
    assert page(clerk_harbin, "/supervision/").status_code == 403
    assert page(clerk_harbin, "/supervision/statistics/").status_code == 403
    assert page(clerk_harbin, "/supervision/statistics/export.csv").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(db):
    response = Client().get("/supervision/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("region", "道里区"),
        ("department", "哈尔滨市道里区市场监督管理局"),
        ("item", "食品经营许可"),
    ],
)
def test_the_statistics_page_by_each_dimension(data, supervisor_harbin, by, expected):
    html = page(supervisor_harbin, f"/supervision/statistics/{NOVEMBER}&by={by}").content.decode()
    assert 'id="statistics"' in html
    assert expected in html
    assert "齐齐哈尔" not in html
    assert f"export.xlsx?by={by}" in html


def test_the_menu_offers_the_dashboard_to_viewers_only(data, supervisor_harbin, clerk_harbin):
    assert "/supervision/statistics/" in page(supervisor_harbin, "/workbench/").content.decode()
    assert "/supervision/statistics/" not in page(clerk_harbin, "/workbench/").content.decode()


def test_early_warnings_are_shown_to_the_covering_supervisors(
    db, supervisor_harbin, make_staff, time_machine
):
    time_machine.move_to(LATE_NOVEMBER_THURSDAY)
    rising_department(week_start(timezone.localdate()))
    html = page(supervisor_harbin, "/supervision/").content.decode()
    section = re.search(r'id="early-warnings">(.*?)</section>', html, re.S).group(1)
    assert "超期率异常上升" in section
    assert "哈尔滨市道里区市场监督管理局" in section
    assert "40.0%" in section  # 10 of 25 late this week
    assert 'id="chart-weekly"' in html  # the weeks behind the warning, drawn
    qiqihar = make_staff("supervisor_qiqihar", "230200-GOV", roles=["supervisor"])
    other = page(qiqihar, "/supervision/").content.decode()
    assert "超期率异常上升" not in other


def test_the_home_page_queries_do_not_grow_with_cases(data, supervisor_province):
    client = Client()
    client.force_login(supervisor_province)
    client.get(f"/supervision/{NOVEMBER}")  # warm: session, grants, rules registry
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/supervision/{NOVEMBER}").status_code == 200
    for _ in range(3):
        known_set()
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"/supervision/{NOVEMBER}")
    assert "<strong>36</strong>" in response.content.decode()  # four times the cases received
    assert len(many) == len(few)


def test_a_department_page_shows_its_items_weeks_and_warning(db, supervisor_harbin, time_machine):
    time_machine.move_to(LATE_NOVEMBER_THURSDAY)
    rising_department(week_start(timezone.localdate()))
    response = page(supervisor_harbin, "/supervision/statistics/departments/230102-SCJG/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "哈尔滨市道里区市场监督管理局" in html
    assert 'id="department-items"' in html
    assert "230102-SCJG-ITEM" in html
    assert "超期率异常上升" in html
    assert 'id="chart-weekly"' in html
    home = page(supervisor_harbin, "/supervision/").content.decode()
    assert "/supervision/statistics/departments/230102-SCJG/" in home  # the warning links here


def test_a_department_outside_the_scope_is_not_found(data, supervisor_harbin):
    base = "/supervision/statistics/departments"
    assert page(supervisor_harbin, f"{base}/230200-SCJG/").status_code == 404  # 齐齐哈尔
    assert page(supervisor_harbin, f"{base}/NOPE/").status_code == 404
