"""The standard organisation chart: systematic codes, names and parent links (no database)."""

from __future__ import annotations

from egov.core.orgchart import RegionInfo, organisation_chart

REGIONS = [
    RegionInfo("230000", "黑龙江省", 1, None),
    RegionInfo("230100", "哈尔滨市", 2, "230000"),
    RegionInfo("230102", "道里区", 3, "230100"),
    RegionInfo("230124", "方正县", 3, "230100"),
]


def chart() -> dict:
    return {spec.code: spec for spec in organisation_chart(REGIONS)}


def test_governments_chain_province_city_county():
    specs = chart()
    assert specs["230000-GOV"].parent_code is None
    assert specs["230100-GOV"].parent_code == "230000-GOV"
    assert specs["230102-GOV"].parent_code == "230100-GOV"
    assert specs["230000-GOV"].name == "黑龙江省人民政府"


def test_departments_hang_under_their_own_government_with_region_names():
    specs = chart()
    market = specs["230100-SCJG"]
    assert (market.name, market.short_name, market.parent_code) == (
        "哈尔滨市市场监督管理局",
        "哈尔滨市市场监管局",
        "230100-GOV",
    )
    assert specs["230000-OFFICE"].name == "黑龙江省人民政府办公厅"
    assert specs["230000-EGOV"].kind == "egov_office"
    assert specs["230000-YSHJ"].name == "黑龙江省营商环境建设监督局"


def test_a_citys_district_carries_the_city_name_a_county_does_not():
    specs = chart()
    assert specs["230102-SCJG"].name == "哈尔滨市道里区市场监督管理局"
    assert specs["230102-SCJG"].short_name == "道里区市场监管局"
    assert specs["230124-GOV"].name == "方正县人民政府"


def test_parents_come_before_children_and_codes_are_unique():
    specs = organisation_chart(REGIONS)
    seen: set[str] = set()
    for spec in specs:
        assert spec.parent_code is None or spec.parent_code in seen
        assert spec.code not in seen
        seen.add(spec.code)
    assert len(specs) == (2 + 18) + (2 + 9) + 2 * (2 + 7)
