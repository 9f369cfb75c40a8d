"""plotly.js served from the installed package for every app's charts (core.charts)."""

from __future__ import annotations

import plotly
import plotly.graph_objects as go
from django.test import Client

from egov.core.charts import fragment, plotly_js_url


def test_the_script_is_served_with_a_long_cache(db):
    url = plotly_js_url()
    assert url == f"/plotly-{plotly.__version__}.min.js"
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "immutable" in response["Cache-Control"]
    assert b"* plotly.js v" in response.content[:200]


def test_another_version_is_not_found(db):
    assert Client().get("/plotly-0.0.1.min.js").status_code == 404


def test_a_fragment_draws_without_the_library():
    html = fragment(go.Figure(data=[go.Bar(x=["a"], y=[1])]), "chart-x")
    assert 'id="chart-x"' in html
    assert "<script" in html
    assert "plotly.js v" not in html  # the page loads the library once, from the URL above
