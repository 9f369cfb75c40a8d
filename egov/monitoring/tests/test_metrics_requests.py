"""Requests and latency are counted per resolved view, never per raw path."""

from __future__ import annotations

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

pytestmark = pytest.mark.django_db


def samples(client: Client, name: str) -> dict[tuple, float]:
    text = client.get("/metrics").content.decode()
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                found[tuple(sorted(sample.labels.items()))] = sample.value
    return found


def count(client: Client, **labels: str) -> float:
    wanted = tuple(sorted(labels.items()))
    return samples(client, "egov_http_requests_total").get(wanted, 0.0)


def test_a_request_is_counted_under_its_url_name(client: Client) -> None:
    before = count(client, view="core:home", method="GET", status="200")

    client.get("/")
    client.get("/")

    assert count(client, view="core:home", method="GET", status="200") == before + 2


def test_latency_is_observed_per_view(client: Client) -> None:
    key = (("method", "GET"), ("view", "core:home"))
    before = samples(client, "egov_http_request_duration_seconds_count").get(key, 0.0)

    client.get("/")

    after = samples(client, "egov_http_request_duration_seconds_count")
    assert after[key] == before + 1


def test_unknown_paths_share_one_label(client: Client) -> None:
    before = count(client, view="<unresolved>", method="GET", status="404")

    for path in ("/no/such/page-1", "/no/such/page-2", "/wp-admin/setup.php?x=1"):
        client.get(path)

    text = client.get("/metrics").content.decode()
    assert count(client, view="<unresolved>", method="GET", status="404") == before + 3
    assert "page-1" not in text
    assert "wp-admin" not in text


def test_a_routed_path_with_an_argument_is_labelled_by_its_route(client: Client) -> None:
    client.get("/monitoring/incidents/999999/close/")  # GET on a POST-only route

    views = {dict(labels)["view"] for labels in samples(client, "egov_http_requests_total")}
    assert "monitoring:incident_close" in views
    assert not any("999999" in view for view in views)


def test_odd_methods_are_one_label(client: Client) -> None:
    client.generic("BREW", "/")

    methods = {dict(labels)["method"] for labels in samples(client, "egov_http_requests_total")}
    assert "BREW" not in methods
    assert "other" in methods
