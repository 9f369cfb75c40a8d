"""Every page carries a Content-Security-Policy, and no page needs an inline script or style.

Before, no page had a policy; the dashboards drew their charts with inline
scripts, a select submitted its form with ``onchange=`` and tables used
``style=`` attributes.
"""

from __future__ import annotations

import re
from pathlib import Path

import plotly.graph_objects as go
import pytest
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import Client

from egov.core.charts import fragment

pytestmark = pytest.mark.django_db

TEMPLATES = sorted(Path(settings.BASE_DIR).glob("**/templates/**/*.html"))
SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b([^>]*)>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)


def policy_of(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def nonce_of(response) -> str | None:
    """The request's nonce; the policy names one only if the page used it."""
    nonces = [v for v in policy_of(response)["script-src"] if v.startswith("'nonce-")]
    assert len(nonces) <= 1
    return nonces[0].removeprefix("'nonce-").removesuffix("'") if nonces else None


def inline_problems(html: str, nonce: str | None) -> list[str]:
    """Inline scripts, styles and handlers that a nonce-based policy would block."""
    allowed = {'type="application/json"'} | ({f'nonce="{nonce}"'} if nonce else set())
    problems = [
        f"<script{attrs}>"
        for attrs in SCRIPT.findall(html)
        if "src=" not in attrs and not any(a in attrs for a in allowed)
    ]
    problems += [
        f"<style{attrs}>"
        for attrs in STYLE_ELEMENT.findall(html)
        if not any(a in attrs for a in allowed)
    ]
    problems += STYLE_ATTRIBUTE.findall(html) + EVENT_HANDLER.findall(html)
    return problems


def test_pages_carry_a_strict_policy(regions):
    response = Client().get("/")
    policy = policy_of(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    for directive in ("script-src", "style-src"):
        assert "'self'" in policy[directive]
        assert "'unsafe-inline'" not in policy[directive]
        assert "'unsafe-eval'" not in policy[directive]
    assert all(source in {"'self'", "data:"} for source in policy["img-src"])


def test_plotly_style_sheets_carry_the_nonce_of_the_policy(rf):
    def chart_page(request):
        context = {"plotly_js": "/plotly.min.js"}
        return HttpResponse(render_to_string("core/_plotly.html", context, request=request))

    responses = [CSPMiddleware(chart_page)(rf.get("/")) for _ in range(2)]
    nonces = [nonce_of(response) for response in responses]
    assert None not in nonces
    assert nonces[0] != nonces[1]
    for nonce, response in zip(nonces, responses, strict=True):
        html = response.content.decode()
        assert f'<style id="plotly.js-style-global" nonce="{nonce}"></style>' in html
        assert inline_problems(html, nonce) == []


@pytest.mark.parametrize("path", sorted(str(p.relative_to(settings.BASE_DIR)) for p in TEMPLATES))
def test_no_template_has_inline_script_style_or_handler(path):
    html = (Path(settings.BASE_DIR) / path).read_text(encoding="utf-8")
    html = html.replace('nonce="{{ request.csp_nonce }}"', 'nonce="N"')
    assert inline_problems(html, "N") == []


@pytest.mark.parametrize(
    ("user", "path"),
    [
        (None, "/"),
        (None, "/login/"),
        (None, "/api/v1/docs"),
        ("clerk_harbin_daoli", "/workbench/"),
        ("clerk_harbin_daoli", "/approvals/statistics/"),
        ("supervisor_province", "/supervision/"),
        ("supervisor_province", "/supervision/statistics/"),
        ("ra_officer_province", "/trust/ra/queue/"),
        ("citizen", "/trust/ra/apply/"),
        ("admin_province", "/monitoring/incidents/"),
        ("admin_province", "/monitoring/systems/"),
        ("admin_province", "/backup/"),
    ],
)
def test_rendered_pages_need_no_inline_code_without_the_nonce(request, regions, user, path):
    client = Client()
    if user:
        client.force_login(request.getfixturevalue(user))
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert inline_problems(html, nonce_of(response)) == []
    sources = re.findall(r'<script[^>]*\ssrc="([^"]+)"', html)
    assert sources
    assert all(s.startswith("/") and not s.startswith("//") for s in sources)  # no CDN


def test_a_chart_fragment_holds_data_not_code():
    html = fragment(go.Figure(data=[go.Bar(x=["a"], y=[1])]), "chart-x")
    assert inline_problems(html, None) == []
    assert '<script id="chart-x-figure" type="application/json">' in html
