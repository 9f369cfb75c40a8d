"""The loaded regions are Heilongjiang's real GB/T 2260 divisions, current and historical."""

from __future__ import annotations

import pytest

from egov.core.models import Region
from egov.core.regions_data import build_divisions, level_of, path_of

pytestmark = pytest.mark.django_db


def current(level: int) -> int:
    return Region.objects.filter(is_current=True, level=level).count()


def test_the_province_13_prefectures_and_121_counties_are_current():
    assert current(Region.Level.PROVINCE) == 1
    assert current(Region.Level.PREFECTURE) == 13
    assert current(Region.Level.COUNTY) == 121


def test_daoli_is_a_district_of_harbin_with_its_code_chain():
    daoli = Region.objects.get(code="230102")
    assert (daoli.name, daoli.parent_id, daoli.level) == ("道里区", "230100", Region.Level.COUNTY)
    assert daoli.path == "230000/230100/230102/"
    assert Region.objects.get(code="230100").name == "哈尔滨市"
    assert Region.objects.get(code="230000").name == "黑龙江省"


def test_daxinganling_statistical_areas_are_not_current_divisions():
    areas = Region.objects.filter(code__in=["232761", "232762", "232763", "232764"])
    assert {r.name for r in areas} == {"加格达奇区", "松岭区", "新林区", "呼中区"}
    assert not any(r.is_current for r in areas)


def test_codes_newer_than_the_last_gb2260_revision_are_current():
    assert Region.objects.get(code="230717").name == "伊美区"
    assert Region.objects.get(code="230717").is_current
    assert Region.objects.get(code="231183").name == "嫩江市"
    assert Region.objects.get(code="231183").is_current


def test_historical_codes_are_kept_under_their_prefecture():
    hulan = Region.objects.get(code="230121")
    assert (hulan.name, hulan.is_current, hulan.parent_id) == ("呼兰县", False, "230100")
    songhuajiang = Region.objects.get(code="232100")
    assert (songhuajiang.name, songhuajiang.is_current) == ("松花江地区", False)
    assert songhuajiang.parent_id == "230000"


def test_every_path_is_the_chain_of_parent_codes():
    regions = {r.code: r for r in Region.objects.all()}
    for region in regions.values():
        expected = (regions[region.parent_id].path if region.parent_id else "") + region.code + "/"
        assert region.path == expected


def test_levels_follow_the_code_form():
    assert (level_of("230000"), level_of("230100"), level_of("230102")) == (1, 2, 3)


def test_build_divisions_keeps_new_codes_and_drops_codes_the_latest_revision_dropped():
    nbs = [("990000", "P"), ("990100", "C"), ("990101", "old-kept-by-nbs"), ("990102", "new")]
    history = {"990000": "P", "990100": "C", "990101": "old", "990199": "gone"}
    latest = frozenset({"990000", "990100"})
    records = {r.code: r for r in build_divisions("990000", nbs, history, latest)}
    assert records["990102"].is_current  # newer than the last revision
    assert not records["990101"].is_current  # listed before, dropped by the latest
    assert records["990101"].name == "old"  # as GB2260 named it, not the NBS row
    assert not records["990199"].is_current
    assert records["990199"].parent == "990100"
    assert list(records) == ["990000", "990100", "990101", "990102", "990199"]


def test_a_historical_county_without_prefecture_hangs_under_the_province():
    records = build_divisions("990000", [("990000", "P")], {"990301": "x"}, frozenset())
    county = next(r for r in records if r.code == "990301")
    assert county.parent == "990000"
    assert path_of("990301", {r.code: r.parent for r in records}) == "990000/990301/"
