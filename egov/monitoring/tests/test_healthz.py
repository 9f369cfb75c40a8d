"""Liveness (/healthz): the process answers, without touching the database."""

from __future__ import annotations

import pytest
from django.test import Client

from egov.monitoring.tests.support import OUTSIDER


@pytest.mark.django_db
def test_healthz_answers_ok_without_a_single_query(
    client: Client, django_assert_num_queries: object
) -> None:
    with django_assert_num_queries(0):  # type: ignore[operator]
        response = client.get("/healthz", REMOTE_ADDR=OUTSIDER)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_even_when_the_database_is_unusable(client: Client) -> None:
    # No django_db mark: pytest-django blocks every database access in this test.
    response = client.get("/healthz")

    assert response.status_code == 200


def test_healthz_refuses_writes(client: Client) -> None:
    assert client.post("/healthz").status_code == 405
