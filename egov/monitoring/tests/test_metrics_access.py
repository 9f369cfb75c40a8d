"""/metrics is for the allowed networks or the bearer token only; everyone else gets 403."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from egov.monitoring.tests.support import OUTSIDER

pytestmark = pytest.mark.django_db
TOKEN = "scrape-token-for-tests-0123456789abcdef"


@pytest.fixture
def token(settings: Any) -> str:
    settings.EGOV_METRICS_TOKEN = TOKEN
    return TOKEN


def is_metrics(response: Any) -> bool:
    return response.status_code == 200 and b"egov_http_requests_total" in response.content


def test_loopback_reads_metrics_by_default(client: Client) -> None:
    response = client.get("/metrics")  # the test client comes from 127.0.0.1

    assert is_metrics(response)
    assert response["Content-Type"].startswith("text/plain")


def test_an_outsider_without_a_token_is_refused(client: Client, token: str) -> None:
    response = client.get("/metrics", REMOTE_ADDR=OUTSIDER)

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert b"egov_" not in response.content


def test_an_outsider_with_the_bearer_token_reads_metrics(client: Client, token: str) -> None:
    response = client.get("/metrics", REMOTE_ADDR=OUTSIDER, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert is_metrics(response)


@pytest.mark.parametrize(
    "header",
    [f"Bearer {TOKEN}x", f"Basic {TOKEN}", "Bearer ", TOKEN],
)
def test_a_wrong_or_malformed_token_is_refused(client: Client, token: str, header: str) -> None:
    response = client.get("/metrics", REMOTE_ADDR=OUTSIDER, HTTP_AUTHORIZATION=header)

    assert response.status_code == 403


def test_no_configured_token_means_no_token_gets_in(client: Client, settings: Any) -> None:
    settings.EGOV_METRICS_TOKEN = ""

    response = client.get("/metrics", REMOTE_ADDR=OUTSIDER, HTTP_AUTHORIZATION="Bearer ")

    assert response.status_code == 403


def test_a_configured_network_reads_metrics(client: Client, settings: Any) -> None:
    settings.EGOV_METRICS_ALLOWED_NETWORKS = ["10.20.0.0/16"]

    assert is_metrics(client.get("/metrics", REMOTE_ADDR="10.20.3.4"))
    assert client.get("/metrics", REMOTE_ADDR="10.21.3.4").status_code == 403
    assert client.get("/metrics").status_code == 403  # loopback is no longer listed


def test_a_forwarded_header_does_not_make_an_outsider_local(client: Client) -> None:
    response = client.get("/metrics", REMOTE_ADDR=OUTSIDER, HTTP_X_FORWARDED_FOR="127.0.0.1")

    assert response.status_code == 403


def test_the_token_also_opens_readyz_details(client: Client, token: str) -> None:
    response = client.get("/readyz", REMOTE_ADDR=OUTSIDER, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert "checks" in response.json()


def test_a_malformed_network_setting_fails_the_system_check(settings: Any) -> None:
    from egov.monitoring.checks import check_metrics_networks

    settings.EGOV_METRICS_ALLOWED_NETWORKS = ["10.0.0.0/33"]

    [error] = check_metrics_networks()
    assert error.id == "monitoring.E001"
    assert "10.0.0.0/33" in error.msg
