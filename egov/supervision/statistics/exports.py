"""Statistics exports (统计导出): the statistics table as CSV or Excel (.xlsx).

The table is built once (:func:`statistics_table`: a header and rows of plain
values) and written by either writer, so both files hold the same figures.
CSV is UTF-8 with a byte-order mark, which Excel needs to read Chinese; the
.xlsx is written by xlsxwriter in memory (ADR 0028).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _

from egov.supervision.statistics import aggregates as stats

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Cell = str | int | float | None


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[Cell]]
    percent_columns: frozenset[int]  # columns holding a share (0..1), shown as percent in Excel


def key_title(dimension: str) -> tuple[str, str]:
    if dimension == stats.REGION:
        return _("区划代码"), _("地区")
    if dimension == stats.DEPARTMENT:
        return _("部门代码"), _("部门")
    return _("事项编码"), _("事项")


def rounded(value: float | None, digits: int) -> float | None:
    return round(value, digits) if value is not None else None


def figures_row(row: stats.Figures) -> list[Cell]:
    return [
        row.code,
        row.name,
        row.received,
        row.concluded,
        row.judged,
        row.on_time,
        row.overdue,
        rounded(row.on_time_rate, 4),
        rounded(row.average_working_days, 2),
        row.open_cases,
        row.yellow,
        row.red,
        row.findings,
        row.red_findings,
        rounded(row.findings_per_100, 2),
    ]


def statistics_table(rows: Sequence[stats.Figures], totals: stats.Figures, dimension: str) -> Table:
    """The header and one row per region, department or item, then the total."""
    code, name = key_title(dimension)
    header = [
        code,
        name,
        _("收件"),
        _("办结"),
        _("监察判定"),
        _("按时"),
        _("超期"),
        _("按时办结率"),
        _("平均用时（工作日）"),
        _("在办"),
        _("黄灯"),
        _("红灯"),
        _("监察发现"),
        _("红色发现"),
        _("百件发现数"),
    ]
    body = [figures_row(row) for row in rows]
    total = figures_row(totals)
    total[0] = ""
    return Table(header, [*body, total], frozenset({7}))


def to_csv(table: Table) -> bytes:
    """UTF-8 CSV with a BOM; empty cells for figures that do not apply."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def findings_table(counts: Sequence[stats.FindingCount], by: str) -> Table:
    """Findings of the period by rule or by category: found, red, not yet closed."""
    first = _("规则") if by == "rule" else _("类别")
    header = [_("代码"), first, _("类别"), _("发现"), _("红色"), _("未办结")]
    rows: list[list[Cell]] = [
        [c.key, c.name, stats.category_label(c.category), c.findings, c.red, c.unresolved]
        for c in counts
    ]
    return Table(header, rows, frozenset())


def to_xlsx(sheets: Sequence[tuple[str, Table]]) -> bytes:
    """One worksheet per table: a bold header, numbers as numbers, shares as percent."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = workbook.add_format({"bold": True, "bg_color": "#EEF3F9"})
    percent = workbook.add_format({"num_format": "0.0%"})
    for title, table in sheets:
        write_sheet(workbook.add_worksheet(title[:31]), table, bold, percent)
    workbook.close()
    return buffer.getvalue()


def write_sheet(sheet: Any, table: Table, bold: Any, percent: Any) -> None:
    sheet.write_row(0, 0, table.header, bold)
    for number, row in enumerate(table.rows, start=1):
        for column, cell in enumerate(row):
            if cell is None:
                continue
            if column in table.percent_columns:
                sheet.write_number(number, column, cell, percent)
            else:
                sheet.write(number, column, cell)
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 1, 32)
    sheet.set_column(2, len(table.header) - 1, 11)
    sheet.freeze_panes(1, 2)
