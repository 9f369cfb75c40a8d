"""Checks and gauges other apps register with core show in /readyz and /metrics (ADR 0043)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from egov.core import health as registry
from egov.core.health import Gauge, Readiness

pytestmark = pytest.mark.django_db


def samples(client: Client) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = client.get("/metrics").content.decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


@pytest.fixture
def roomy_disk(settings: Any) -> None:
    settings.EGOV_READY_MIN_FREE_MB = 1


def test_a_registered_check_that_passes_is_listed_with_its_figures(
    client: Client, roomy_disk: None
) -> None:
    with registry.override(checks={"archive": lambda: Readiness(True, {"age_seconds": 12.5})}):
        body = client.get("/readyz").json()

    assert body["checks"]["archive"] == {"status": "ok", "age_seconds": 12.5}
    assert list(body["checks"])[-1] == "archive"  # after monitoring's own checks


def test_a_registered_check_that_fails_makes_the_instance_unready(
    client: Client, roomy_disk: None
) -> None:
    with registry.override(checks={"archive": lambda: Readiness(False, {"problems": ["old"]})}):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["archive"] == {"status": "fail", "problems": ["old"]}


def test_a_registered_check_that_raises_is_a_failed_check_not_a_500(
    client: Client, roomy_disk: None
) -> None:
    def broken() -> Readiness:
        raise OSError("replica unreachable")

    with registry.override(checks={"archive": broken}):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["archive"] == {
        "status": "fail",
        "error": "OSError: replica unreachable",
    }


def test_registered_gauges_are_scraped_and_a_broken_source_says_so(client: Client) -> None:
    def archive() -> list[Gauge]:
        return [
            Gauge("egov_archive_age_seconds", "Age.", (((), 42.0),)),
            Gauge("egov_archive_copies", "Copies.", ((("harbin",), 2.0),), ("site",)),
        ]

    def broken() -> list[Gauge]:
        raise OSError("cannot list")

    with registry.override(sources={"archive": archive, "mirror": broken}):
        scraped = samples(client)

    assert scraped[("egov_archive_age_seconds", ())] == 42.0
    assert scraped[("egov_archive_copies", (("site", "harbin"),))] == 2.0
    assert scraped[("egov_monitoring_source_up", (("source", "archive"),))] == 1.0
    assert scraped[("egov_monitoring_source_up", (("source", "mirror"),))] == 0.0
    assert scraped[("egov_monitoring_source_up", (("source", "outbox"),))] == 1.0


def test_a_gauge_whose_samples_do_not_match_its_labels_is_refused() -> None:
    with pytest.raises(ValueError, match="does not match"):
        Gauge("egov_archive_copies", "Copies.", ((("harbin", "extra"), 2.0),), ("site",))
