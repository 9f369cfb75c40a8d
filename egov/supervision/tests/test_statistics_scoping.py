"""Statistics are scoped by the viewer's region grants (统计范围)."""

from __future__ import annotations

import pytest

from egov.supervision.statistics import aggregates as stats
from egov.supervision.tests.dashboard_data import known_set

NOVEMBER = stats.month_period(2026, 11)


@pytest.fixture
def data(db):
    return known_set()


def test_supervisor_harbin_sees_only_harbin(data, supervisor_harbin):
    scope = stats.viewer_scope(supervisor_harbin)
    assert scope.roots == ("230000/230100/",)
    departments = {row.key for row in stats.grouped_figures(scope, stats.DEPARTMENT, NOVEMBER)}
    assert departments == {"230102-SCJG", "230100-SCJG"}
    totals = stats.total_figures(scope, NOVEMBER)
    assert (totals.received, totals.findings) == (6, 2)
    assert stats.open_by_light(scope)["green"] == 1  # 道里区's October case, not 齐齐哈尔's


def test_drilling_down_inside_the_scope(data, supervisor_province):
    scope = stats.viewer_scope(supervisor_province, "230102")
    assert scope.roots == ("230000/230100/230102/",)
    [row] = stats.grouped_figures(scope, stats.REGION, NOVEMBER)
    assert (row.name, row.received) == ("道里区本级", 4)


def test_drilling_outside_the_scope_is_refused(data, supervisor_harbin):
    assert stats.viewer_scope(supervisor_harbin, "230200") is None
    assert stats.viewer_scope(supervisor_harbin, "999999") is None


def test_someone_without_the_right_sees_nothing(data, clerk_harbin):
    scope = stats.viewer_scope(clerk_harbin)
    assert scope.is_empty
    assert stats.grouped_figures(scope, stats.REGION, NOVEMBER) == []
    assert stats.total_figures(scope, NOVEMBER).received == 0


def test_a_leader_sees_their_city(data, leader_harbin):
    scope = stats.viewer_scope(leader_harbin)
    assert stats.total_figures(scope, NOVEMBER).received == 6


def test_nested_grants_count_once(data, make_staff):
    user = make_staff("two_grants", "230100-GOV", roles=["supervisor"])
    from egov.core.services.people import grant_role

    grant_role(actor="test", user=user, role="supervisor", organisation_code="230102-GOV")
    user.refresh_from_db()
    scope = stats.viewer_scope(user)
    assert scope.roots == ("230000/230100/",)
    assert stats.total_figures(scope, NOVEMBER).received == 6


def test_two_separate_grants_show_both_subtrees(data, make_staff):
    user = make_staff("two_cities", "230100-GOV", roles=["supervisor"])
    from egov.core.services.people import grant_role

    grant_role(actor="test", user=user, role="supervisor", organisation_code="230200-GOV")
    user.refresh_from_db()
    scope = stats.viewer_scope(user)
    assert scope.roots == ("230000/230100/", "230000/230200/")
    rows = {row.name: row.received for row in stats.grouped_figures(scope, stats.REGION, NOVEMBER)}
    assert rows == {"哈尔滨市本级": 2, "道里区": 4, "齐齐哈尔市本级": 3}
    assert stats.total_figures(scope, NOVEMBER).received == 9


def test_one_department_inside_the_scope(data, supervisor_harbin):
    own = stats.viewer_scope(supervisor_harbin)
    daoli = stats.department_scope(own, "230102-SCJG")
    assert daoli == stats.ViewScope(("230000/230100/230102/",), "230102-SCJG")
    unnamed, item = stats.grouped_figures(daoli, stats.ITEM, NOVEMBER)
    assert (item.key, item.received, item.open_cases) == ("230102-SCJG-ITEM", 4, 2)
    assert (unnamed.key, unnamed.name, unnamed.findings) == ("", "（未注明）", 2)  # no item
    assert stats.open_by_light(daoli)["red"] == 1
    assert stats.department_scope(own, "230200-SCJG") is None  # 齐齐哈尔: not hers
