"""Statistics exports (统计导出): CSV and .xlsx hold the same rows, scoped like the page."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from xml.etree import ElementTree

import pytest
from django.test import Client

from egov.supervision.tests.dashboard_data import known_set

NS = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


@pytest.fixture
def data(db):
    return known_set()


def download(user, url):
    client = Client()
    client.force_login(user)
    return client.get(url)


def xlsx_rows(content: bytes, sheet_number: int = 1) -> list[list[str]]:
    """A sheet's cells as text, read with zipfile (no spreadsheet library)."""
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        shared = []
        if "xl/sharedStrings.xml" in book.namelist():
            root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))  # noqa: S314 - our own file
            shared = ["".join(t.text or "" for t in si.iter(f"{{{NS['x']}}}t")) for si in root]
        sheet = ElementTree.fromstring(book.read(f"xl/worksheets/sheet{sheet_number}.xml"))  # noqa: S314 - ours
    rows = []
    for row in sheet.iter(f"{{{NS['x']}}}row"):
        cells = {}
        for cell in row.findall("x:c", NS):
            column = re.match(r"[A-Z]+", cell.get("r")).group(0)
            value = cell.find("x:v", NS)
            text = value.text if value is not None else ""
            cells[column] = shared[int(text)] if cell.get("t") == "s" else text
        rows.append([cells.get(chr(ord("A") + i), "") for i in range(15)])
    return rows


def test_csv_by_department(data, supervisor_harbin):
    response = download(
        supervisor_harbin, "/supervision/statistics/export.csv?by=department&month=2026-11"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert (
        'filename="supervision-department-20261101-20261130.csv"' in response["Content-Disposition"]
    )
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["部门代码", "部门", "收件", "办结"]
    by_code = {row[0]: row for row in rows[1:]}
    assert set(by_code) == {"230100-SCJG", "230102-SCJG", ""}  # two departments and the total
    daoli = by_code["230102-SCJG"]
    assert daoli[1] == "哈尔滨市道里区市场监督管理局"
    assert daoli[2:8] == ["4", "3", "3", "2", "1", "0.6667"]
    assert by_code[""][1] == "合计"
    assert by_code[""][2] == "6"


def test_xlsx_by_region_opens_and_holds_the_rows(data, supervisor_province):
    response = download(supervisor_province, "/supervision/statistics/export.xlsx?month=2026-11")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = xlsx_rows(response.content)
    assert rows[0][:3] == ["区划代码", "地区", "收件"]
    assert [row[:3] for row in rows[1:]] == [
        ["230100", "哈尔滨市", "6"],
        ["230200", "齐齐哈尔市", "3"],
        ["", "合计", "9"],
    ]
    assert float(rows[1][7]) == 0.75  # on-time rate stored as a number (percent format)
    by_rule = xlsx_rows(response.content, 2)
    assert by_rule[0][:6] == ["代码", "规则", "类别", "发现", "红色", "未办结"]
    assert {row[0] for row in by_rule[1:]} == {
        "time.promised_overdue",
        "fee.above_standard",
        "data.resident_id_invalid",
    }
    by_category = xlsx_rows(response.content, 3)
    assert sorted((row[1], row[3]) for row in by_category[1:]) == [
        ("收费", "1"),
        ("时限", "1"),
        ("资料数据", "1"),
    ]


def test_exports_are_scoped_like_the_page(data, supervisor_harbin):
    content = download(supervisor_harbin, "/supervision/statistics/export.csv?month=2026-11")
    text = content.content.decode("utf-8-sig")
    assert "齐齐哈尔" not in text
    assert "道里区" in text
    refused = download(supervisor_harbin, "/supervision/statistics/export.csv?region=230200")
    assert refused.status_code == 404


def test_a_bad_period_or_format_is_refused(data, supervisor_harbin):
    response = download(supervisor_harbin, "/supervision/statistics/export.csv?month=2026-13")
    assert response.status_code == 400
    assert "月份" in response.content.decode()  # the field, named as on the form
    assert download(supervisor_harbin, "/supervision/statistics/export.pdf").status_code == 404
