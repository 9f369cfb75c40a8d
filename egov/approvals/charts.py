"""Department statistics charts (部门统计图表), built server-side with plotly.

The figures are rendered to an HTML fragment without plotly.js; the page
loads the script from ``core:plotly_js`` (served from the installed package, no CDN).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from egov.core.charts import fragment

if TYPE_CHECKING:
    from egov.approvals.selectors import DepartmentFigures


def counts_chart(figures: Sequence[DepartmentFigures]) -> str:
    """Received / accepted / concluded per department (收件、受理、办结), grouped bars."""
    names = [row.name for row in figures]
    figure = go.Figure(
        data=[
            go.Bar(name=str(_("收件")), x=names, y=[row.received for row in figures]),
            go.Bar(name=str(_("受理")), x=names, y=[row.accepted for row in figures]),
            go.Bar(name=str(_("办结")), x=names, y=[row.concluded for row in figures]),
        ]
    )
    figure.update_layout(barmode="group", title=str(_("各部门办件量")), height=360)
    return fragment(figure, "chart-counts")


def on_time_chart(figures: Sequence[DepartmentFigures]) -> str:
    """On-time rate per department in percent (按时办结率); undecided departments show none."""
    decided = [row for row in figures if row.decided]
    figure = go.Figure(
        data=[
            go.Bar(
                x=[row.name for row in decided],
                y=[round(100 * row.on_time / row.decided, 1) for row in decided],
                marker_color="#c00000",
            )
        ]
    )
    figure.update_layout(title=str(_("按时办结率（%）")), yaxis={"range": [0, 100]}, height=360)
    return fragment(figure, "chart-on-time")
