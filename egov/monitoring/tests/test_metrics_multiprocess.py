"""With PROMETHEUS_MULTIPROC_DIR, a scrape sums the requests every worker process counted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from egov.monitoring import metrics

pytestmark = pytest.mark.django_db

WORKER = (
    "import django; django.setup();"
    "from egov.monitoring.metrics import observe_request;"
    "[observe_request('core:home', 'GET', 200, 0.01) for _ in range({n})]"
)


def run_worker(directory: Path, requests: int) -> None:
    """A separate process (as a gunicorn worker is) answering ``requests`` requests."""
    env = os.environ | {
        "PROMETHEUS_MULTIPROC_DIR": str(directory),
        "DJANGO_SETTINGS_MODULE": "egov.test_settings",
    }
    subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", WORKER.format(n=requests)], env=env, check=True, timeout=120
    )


def test_a_scrape_sums_every_worker_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_worker(tmp_path, 3)
    run_worker(tmp_path, 4)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))

    text = metrics.scrape().decode()

    counts = {
        tuple(sorted(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "egov_http_requests_total"
    }
    assert counts == {(("method", "GET"), ("status", "200"), ("view", "core:home")): 7}
    assert "egov_monitoring_source_up" in text  # and the database gauges beside them
