"""Charts for every app's pages (图表): plotly figures as HTML fragments, plotly.js served locally.

Figures are built server-side with plotly and rendered without plotly.js; a
page loads the script once from :func:`plotly_js` at ``/plotly-<version>.min.js``,
read from the installed plotly package (no CDN: government networks are often
closed, ADR 0015). The version in the URL makes a year-long cache safe.

A fragment holds no script that runs: the figure is a JSON data block beside its
``<div>``, and ``egov/static/egov/egov.js`` draws every chart of the page, so
pages need no inline script under the Content-Security-Policy (ADR 0031). Pages
include ``core/_plotly.html``, which loads plotly.js after the style sheets plotly
would otherwise create as inline ``<style>`` (blocked by the policy): they carry
the request's nonce, plotly adds its rules to them (:func:`plotly_style_ids`).
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import plotly
import plotly.graph_objects as go
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html, json_script
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

PLOTLY_JS_PATH = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
PLOTLY_JS_MAX_AGE = 365 * 24 * 3600
PLOTLY_GLOBAL_STYLE_ID = "plotly.js-style-global"
# plotly.js bundles CSS it injects on load unless an element of that id exists (maplibre's).
PLOTLY_INJECTED_STYLE = re.compile(rb'if\(!document\.getElementById\("([0-9a-f]{64})"\)\)')


CHART_CONFIG = {"displaylogo": False, "responsive": True}


def fragment(figure: go.Figure, div_id: str) -> str:
    """The figure as an empty <div> and its JSON data block, drawn by egov.js (no plotly.js)."""
    figure_json = json.loads(figure.to_json()) | {"config": CHART_CONFIG}
    data_id = f"{div_id}-figure"
    return format_html(
        '<div id="{}" class="plotly-chart" data-figure="{}"></div>{}',
        div_id,
        data_id,
        json_script(figure_json, data_id),
    )


@functools.cache
def plotly_style_ids() -> tuple[str, ...]:
    """Ids of the <style> elements plotly.js fills or skips if the page already has them."""
    injected = PLOTLY_INJECTED_STYLE.findall(PLOTLY_JS_PATH.read_bytes())
    return (PLOTLY_GLOBAL_STYLE_ID, *(found.decode("ascii") for found in injected))


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
