"""The standard organisation chart (机构设置) derived from the regions, no Django.

Used by the demo data and the test factories so both name and code organisations
the same way:

* a government per division: code ``<region>-GOV`` (``230102-GOV``), name
  ``<region name>人民政府``; its general office ``<region>-OFFICE``;
* departments ``<region>-<KEY>`` (``230100-SCJG``), name ``<region name><department>``
  (``哈尔滨市市场监督管理局``);
* a district (区) of a city is named with its city, as officially
  (``哈尔滨市道里区人民政府``); its short name drops the city (``道里区人民政府``);
* the provincial government is the root; a city government's parent is the
  provincial government, a county government's parent is its city's government
  (the province's when the county has no prefecture); departments and offices
  hang under their own government.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

GOVERNMENT, GENERAL_OFFICE, DEPARTMENT, EGOV_OFFICE = (
    "government",
    "general_office",
    "department",
    "egov_office",
)
PROVINCE, PREFECTURE, COUNTY = 1, 2, 3


@dataclass(frozen=True)
class Department:
    """A kind of department: code key, full name and short name at one level."""

    key: str
    name: str
    short: str
    kind: str = DEPARTMENT


PROVINCIAL_DEPARTMENTS = (
    Department("EGOV", "电子政务办公室", "电子政务办", EGOV_OFFICE),
    Department("FGW", "发展和改革委员会", "发改委"),
    Department("JY", "教育厅", "教育厅"),
    Department("GA", "公安厅", "公安厅"),
    Department("MZ", "民政厅", "民政厅"),
    Department("SF", "司法厅", "司法厅"),
    Department("CZ", "财政厅", "财政厅"),
    Department("RS", "人力资源和社会保障厅", "人社厅"),
    Department("ZRZY", "自然资源厅", "自然资源厅"),
    Department("STHJ", "生态环境厅", "生态环境厅"),
    Department("ZJ", "住房和城乡建设厅", "住建厅"),
    Department("JT", "交通运输厅", "交通运输厅"),
    Department("NYNC", "农业农村厅", "农业农村厅"),
    Department("SW", "商务厅", "商务厅"),
    Department("WJ", "卫生健康委员会", "卫健委"),
    Department("YJ", "应急管理厅", "应急管理厅"),
    Department("SCJG", "市场监督管理局", "市场监管局"),
    Department("YSHJ", "营商环境建设监督局", "营商局"),
)
CITY_DEPARTMENTS = (
    Department("FGW", "发展和改革委员会", "发改委"),
    Department("SCJG", "市场监督管理局", "市场监管局"),
    Department("GA", "公安局", "公安局"),
    Department("RS", "人力资源和社会保障局", "人社局"),
    Department("ZRZY", "自然资源局", "自然资源局"),
    Department("ZJ", "住房和城乡建设局", "住建局"),
    Department("MZ", "民政局", "民政局"),
    Department("YJ", "应急管理局", "应急局"),
    Department("YSHJ", "营商环境建设监督局", "营商局"),
)
COUNTY_DEPARTMENTS = (
    Department("FGW", "发展和改革局", "发改局"),
    Department("SCJG", "市场监督管理局", "市场监管局"),
    Department("GA", "公安局", "公安局"),
    Department("RS", "人力资源和社会保障局", "人社局"),
    Department("MZ", "民政局", "民政局"),
    Department("YJ", "应急管理局", "应急局"),
    Department("ZRZY", "自然资源局", "自然资源局"),
)
DEPARTMENTS_BY_LEVEL = {
    PROVINCE: PROVINCIAL_DEPARTMENTS,
    PREFECTURE: CITY_DEPARTMENTS,
    COUNTY: COUNTY_DEPARTMENTS,
}
OFFICE_NAME = {PROVINCE: "人民政府办公厅", PREFECTURE: "人民政府办公室", COUNTY: "人民政府办公室"}


@dataclass(frozen=True)
class RegionInfo:
    """What the chart needs of a division."""

    code: str
    name: str
    level: int
    parent: str | None


@dataclass(frozen=True)
class OrganisationSpec:
    """One organisation to create (机构定义)."""

    code: str
    name: str
    short_name: str
    kind: str
    region_code: str
    parent_code: str | None


def government_code(region_code: str) -> str:
    """The code of a division's government (人民政府): ``230102-GOV``."""
    return f"{region_code}-GOV"


def office_code(region_code: str) -> str:
    """The code of a government's general office (办公厅/办公室): ``230102-OFFICE``."""
    return f"{region_code}-OFFICE"


def department_code(region_code: str, key: str) -> str:
    """The code of a department: ``230100-SCJG``."""
    return f"{region_code}-{key}"


def display_names(region: RegionInfo, regions: dict[str, RegionInfo]) -> tuple[str, str]:
    """(full prefix, short prefix): a city's district carries the city's name in full."""
    parent = regions.get(region.parent or "")
    if region.level == COUNTY and region.name.endswith("区") and parent and parent.level == 2:
        return parent.name + region.name, region.name
    return region.name, region.name


def government_parent(region: RegionInfo, regions: dict[str, RegionInfo]) -> str | None:
    """The government above this division's government, or None for the province."""
    if region.parent is None or region.parent not in regions:
        return None
    return government_code(region.parent)


def region_chart(region: RegionInfo, regions: dict[str, RegionInfo]) -> list[OrganisationSpec]:
    """A division's government, its office and its departments."""
    full, short = display_names(region, regions)
    government = government_code(region.code)
    specs = [
        OrganisationSpec(
            government,
            f"{full}人民政府",
            f"{short}政府",
            GOVERNMENT,
            region.code,
            government_parent(region, regions),
        ),
        OrganisationSpec(
            office_code(region.code),
            full + OFFICE_NAME[region.level],
            f"{short}政府办",
            GENERAL_OFFICE,
            region.code,
            government,
        ),
    ]
    for department in DEPARTMENTS_BY_LEVEL[region.level]:
        specs.append(
            OrganisationSpec(
                department_code(region.code, department.key),
                full + department.name,
                short + department.short,
                department.kind,
                region.code,
                government,
            )
        )
    return specs


def organisation_chart(regions: Iterable[RegionInfo]) -> list[OrganisationSpec]:
    """The whole chart for these (current) divisions, each parent before its children."""
    by_code = {region.code: region for region in regions}
    ordered = sorted(by_code.values(), key=lambda region: (region.level, region.code))
    specs: list[OrganisationSpec] = []
    for region in ordered:
        specs.extend(region_chart(region, by_code))
    return specs
