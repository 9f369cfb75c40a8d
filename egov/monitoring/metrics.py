"""Prometheus metrics (监控指标): per-request counters in every process, gauges at scrape.

Request counts and latencies are counted by the middleware in the process
that served the request. Under gunicorn each worker is a process, so with
``PROMETHEUS_MULTIPROC_DIR`` set (``egov serve`` sets it) prometheus-client
keeps them in memory-mapped files there and a scrape sums every worker's
files; without it (``runserver``, tests) they live in this process. Figures
that come from the database or the queue (outbox lag, dead letters, queue
depth, open incidents) are not counted anywhere: a collector computes them at
scrape time, so every worker answers the same (ADR 0038).
"""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from egov.monitoring.collectors import DatabaseCollector

MULTIPROCESS_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUESTS = Counter(
    "egov_http_requests",
    "HTTP requests answered, by resolved view (URL name), method and status code.",
    ["view", "method", "status"],
    registry=None,
)
LATENCY = Histogram(
    "egov_http_request_duration_seconds",
    "Time to answer an HTTP request, by resolved view (URL name) and method.",
    ["view", "method"],
    buckets=LATENCY_BUCKETS,
    registry=None,
)


def method_label(method: str | None) -> str:
    upper = (method or "").upper()
    return upper if upper in KNOWN_METHODS else "other"


def observe_request(view: str, method: str | None, status: int, seconds: float) -> None:
    """Count one answered request and its duration."""
    label = method_label(method)
    REQUESTS.labels(view=view, method=label, status=str(status)).inc()
    LATENCY.labels(view=view, method=label).observe(seconds)


def multiprocess_directory() -> str:
    return os.environ.get(MULTIPROCESS_VARIABLE, "")


def scrape_registry() -> CollectorRegistry:
    """A registry for one scrape: every process's request metrics and the database gauges."""
    registry = CollectorRegistry(auto_describe=False)
    if multiprocess_directory():
        MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(DatabaseCollector())
    return registry


def scrape() -> bytes:
    """The metrics in Prometheus' text format."""
    return generate_latest(scrape_registry())
