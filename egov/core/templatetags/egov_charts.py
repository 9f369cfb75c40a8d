"""Template tags for pages with charts (egov.core.charts)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from egov.core.charts import plotly_style_ids

register = template.Library()


@register.simple_tag(takes_context=True)
def plotly_style_sheets(context: template.Context) -> SafeString:
    """Empty <style> elements with the request's nonce, for plotly.js to fill or skip.

    Without them plotly.js creates its own, which the Content-Security-Policy blocks.
    """
    nonce = getattr(context["request"], "csp_nonce", "")
    rows = ((style_id, nonce) for style_id in plotly_style_ids())
    return format_html_join("", '<style id="{}" nonce="{}"></style>', rows)
