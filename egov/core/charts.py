"""Charts for every app's pages (图表): plotly figures as HTML fragments, plotly.js served locally.

Figures are built server-side with plotly and rendered without plotly.js; a
page loads the script once from :func:`plotly_js` at ``/plotly-<version>.min.js``,
read from the installed plotly package (no CDN: government networks are often
closed, ADR 0015). The version in the URL makes a year-long cache safe.
"""

from __future__ import annotations

from pathlib import Path

import plotly
import plotly.graph_objects as go
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

PLOTLY_JS_PATH = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
PLOTLY_JS_MAX_AGE = 365 * 24 * 3600


def fragment(figure: go.Figure, div_id: str) -> str:
    """The figure as a <div> and its drawing script, without plotly.js itself."""
    return figure.to_html(
        full_html=False, include_plotlyjs=False, div_id=div_id, config={"displaylogo": False}
    )


def plotly_js_url() -> str:
    """Where a page loads plotly.js from (the installed version in the URL)."""
    return reverse("core:plotly_js", kwargs={"version": plotly.__version__})


@cache_control(public=True, max_age=PLOTLY_JS_MAX_AGE, immutable=True)
@require_GET
def plotly_js(request: HttpRequest, version: str) -> HttpResponse:
    """plotly.min.js from the installed plotly package, versioned in its URL, cached a year."""
    if version != plotly.__version__:
        raise Http404
    return HttpResponse(PLOTLY_JS_PATH.read_bytes(), content_type="text/javascript")
