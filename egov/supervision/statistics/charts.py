"""Supervision dashboard charts (监察图表), built server-side with plotly.

Each function returns an HTML fragment without plotly.js (core's
:func:`egov.core.charts.fragment`); the page loads the script once from
``core:plotly_js``. A chart with nothing to draw returns an empty string.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from egov.core.charts import fragment
from egov.supervision.models import Light
from egov.supervision.statistics.aggregates import DepartmentWeeks, Figures, FindingCount

LIGHT_COLOURS: dict[str, str] = {
    Light.GREEN: "#2e8b57",
    Light.YELLOW: "#e0a800",
    Light.RED: "#c00000",
    Light.SUSPENDED: "#7f8c9a",
    Light.STOPPED: "#b8c1cc",
}
CATEGORY_COLOUR = "#1f5fa8"
HEIGHT = 340


def count_axis(most: int) -> dict[str, object]:
    """An axis of counts: whole-number ticks when the counts are small (no 0.5 case)."""
    axis: dict[str, object] = {"rangemode": "tozero", "tickformat": ",d"}
    if most < 10:
        axis |= {"tick0": 0, "dtick": 1}
    return axis


def lights_chart(counts: Mapping[str, int]) -> str:
    """Open cases by light (在办亮灯), a donut."""
    shown = [(light, n) for light, n in counts.items() if n]
    if not shown:
        return ""
    labels = dict(Light.choices)
    figure = go.Figure(
        data=[
            go.Pie(
                labels=[str(labels.get(light, light)) for light, _n in shown],
                values=[n for _light, n in shown],
                marker={"colors": [LIGHT_COLOURS.get(light, "#999") for light, _n in shown]},
                hole=0.45,
                sort=False,
            )
        ]
    )
    figure.update_layout(title=str(_("在办件亮灯分布")), height=HEIGHT)
    return fragment(figure, "chart-lights")


def on_time_chart(rows: Sequence[Figures], title: str) -> str:
    """On-time rate per region or department in percent (按时办结率), judged rows only."""
    judged = [row for row in rows if row.judged]
    if not judged:
        return ""
    figure = go.Figure(
        data=[
            go.Bar(
                x=[row.name for row in judged],
                y=[round(100 * (row.on_time_rate or 0), 1) for row in judged],
                marker_color="#1f5fa8",
                name=str(_("按时办结率")),
            )
        ]
    )
    figure.update_layout(title=title, yaxis={"range": [0, 100], "ticksuffix": "%"}, height=HEIGHT)
    return fragment(figure, "chart-on-time")


def volume_chart(rows: Sequence[Figures], title: str) -> str:
    """Received and concluded per region or department, grouped bars, with red findings."""
    if not any(row.received or row.findings for row in rows):
        return ""
    names = [row.name for row in rows]
    figure = go.Figure(
        data=[
            go.Bar(
                name=str(_("收件")),
                x=names,
                y=[row.received for row in rows],
                marker_color=CATEGORY_COLOUR,
            ),
            go.Bar(
                name=str(_("办结")),
                x=names,
                y=[row.concluded for row in rows],
                marker_color="#7fa7d6",
            ),
            go.Bar(
                name=str(_("监察发现")),
                x=names,
                y=[row.findings for row in rows],
                marker_color="#c00000",
            ),
        ]
    )
    most = max(max(row.received, row.findings) for row in rows)
    figure.update_layout(barmode="group", title=title, height=HEIGHT, yaxis=count_axis(most))
    return fragment(figure, "chart-volume")


def findings_chart(categories: Sequence[FindingCount]) -> str:
    """Findings by category (发现类别), horizontal bars, red ones stacked apart."""
    if not categories:
        return ""
    names = [row.name for row in categories]
    figure = go.Figure(
        data=[
            go.Bar(
                name=str(_("红色")),
                y=names,
                x=[row.red for row in categories],
                orientation="h",
                marker_color="#c00000",
            ),
            go.Bar(
                name=str(_("其他")),
                y=names,
                x=[row.findings - row.red for row in categories],
                orientation="h",
                marker_color=CATEGORY_COLOUR,
            ),
        ]
    )
    figure.update_layout(
        barmode="stack",
        title=str(_("监察发现（按类别）")),
        height=HEIGHT,
        yaxis={"autorange": "reversed"},
        xaxis=count_axis(max(row.findings for row in categories)),
    )
    return fragment(figure, "chart-findings")


def weekly_chart(series: Sequence[DepartmentWeeks]) -> str:
    """Decisions per week and the share late (周办结量与超期率), the scope's departments summed."""
    if not series:
        return ""
    weeks = [week.week for week in series[0].weeks]
    decided = [sum(d.weeks[n].decided for d in series) for n in range(len(weeks))]
    overdue = [sum(d.weeks[n].overdue for d in series) for n in range(len(weeks))]
    rates = [
        round(100 * late / n, 1) if n else None for late, n in zip(overdue, decided, strict=True)
    ]
    labels = [f"{week:%m-%d}" for week in weeks]  # each week's Monday
    figure = go.Figure(
        data=[
            go.Bar(name=str(_("办结")), x=labels, y=decided, marker_color="#7fa7d6"),
            go.Scatter(
                name=str(_("超期率（%）")),
                x=labels,
                y=rates,
                yaxis="y2",
                mode="lines+markers",
                line={"color": "#c00000"},
            ),
        ]
    )
    figure.update_layout(
        title=str(_("近十周办结量与超期率")),
        height=HEIGHT,
        yaxis=count_axis(max(decided)),
        xaxis={"type": "category", "title": str(_("周（周一）"))},
        yaxis2={"overlaying": "y", "side": "right", "rangemode": "tozero", "ticksuffix": "%"},
        legend={"orientation": "h", "y": -0.2},
    )
    return fragment(figure, "chart-weekly")
