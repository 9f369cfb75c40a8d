"""Statistics over the API (/api/v1/supervision/statistics, /early-warnings), scoped as pages."""

from __future__ import annotations

import pytest
from django.test import Client

from egov.supervision.tests.dashboard_data import known_set

URL = "/api/v1/supervision/statistics"


@pytest.fixture
def data(db):
    return known_set()


def get(user, url):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def test_by_region_for_the_province(data, supervisor_province):
    response = get(supervisor_province, f"{URL}?month=2026-11")
    assert response.status_code == 200
    body = response.json()
    assert (body["start"], body["end"], body["by"]) == ("2026-11-01", "2026-11-30", "region")
    rows = {row["code"]: row for row in body["rows"]}
    assert set(rows) == {"230100", "230200"}
    assert rows["230100"]["received"] == 6
    assert rows["230100"]["on_time_rate"] == 0.75
    assert body["total"]["received"] == 9


def test_by_department_for_a_city(data, supervisor_harbin):
    body = get(supervisor_harbin, f"{URL}?by=department&start=2026-11-01&end=2026-11-30").json()
    assert {row["key"] for row in body["rows"]} == {"230100-SCJG", "230102-SCJG"}


def test_refusals_name_the_field(data, supervisor_harbin, clerk_harbin):
    bad = get(supervisor_harbin, f"{URL}?month=2026-13")
    assert bad.status_code == 400
    assert bad.json()["errors"] == [{"field": "month", "reason": "月份格式应为 YYYY-MM"}]
    backwards = get(supervisor_harbin, f"{URL}?start=2026-11-20&end=2026-11-01")
    assert backwards.json()["errors"][0]["field"] == "end"
    assert get(supervisor_harbin, f"{URL}?by=week").json()["errors"][0]["field"] == "by"
    assert get(supervisor_harbin, f"{URL}?region=230200").status_code == 404
    assert get(clerk_harbin, URL).status_code == 403
    assert get(None, URL).status_code == 401


def test_early_warnings_list(data, supervisor_harbin):
    response = get(supervisor_harbin, "/api/v1/supervision/early-warnings")
    assert response.status_code == 200
    assert response.json() == []  # the known set is far too small to warn
