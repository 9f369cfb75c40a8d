"""Request metrics (请求指标): count and time every request by the view that answered it.

The label is the resolved URL's name (``namespace:name``), never the raw
path, so the number of series stays bounded whatever paths clients send: a
path that resolved to no view is ``<unresolved>``, a static file ``<static>``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from egov.monitoring.metrics import observe_request

UNRESOLVED, UNNAMED, STATIC = "<unresolved>", "<unnamed>", "<static>"


def view_label(request: HttpRequest) -> str:
    """The bounded label of the view that answered (its URL name)."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name if match.url_name else UNNAMED
    static = str(getattr(settings, "STATIC_URL", "") or "")
    if static.startswith("/") and request.path.startswith(static):
        return STATIC
    return UNRESOLVED


class RequestMetricsMiddleware:
    """Counts requests and their latency per view (first in ``MIDDLEWARE``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        observe_request(
            view_label(request), request.method, response.status_code, time.perf_counter() - started
        )
        return response
