"""Health and metrics endpoints (健康检查与监控指标): ``/healthz``, ``/readyz``, ``/metrics``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST

from egov.monitoring.access import may_read_monitoring
from egov.monitoring.health import readiness
from egov.monitoring.metrics import scrape

FORBIDDEN = {
    "code": "forbidden",
    "message": "metrics are readable from the allowed networks or with the bearer token",
    "field": None,
}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness (存活): the process answers. Touches no database, queue or disk."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness (就绪): 200 when every check passes, 503 otherwise.

    Everyone gets the overall status; callers allowed to read monitoring data
    also get each check with its figures.
    """
    results = readiness()
    ready = all(result.ok for result in results)
    body: dict[str, object] = {"status": "ok" if ready else "fail"}
    if may_read_monitoring(request):
        body["checks"] = {result.name: result.as_dict() for result in results}
    return JsonResponse(body, status=200 if ready else 503)


@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics (监控指标), for the allowed networks or the bearer token only."""
    if not may_read_monitoring(request):
        return JsonResponse(FORBIDDEN, status=403)
    return HttpResponse(scrape(), content_type=CONTENT_TYPE_LATEST)
