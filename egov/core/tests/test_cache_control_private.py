"""Pages for a signed-in person and every API answer say ``Cache-Control: no-store, private``.

Before, a shared proxy or the browser's disk could keep case pages, account pages
and API data; the anonymous portal home and public files stay cacheable.
"""

from __future__ import annotations

import plotly
import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def not_stored(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


@pytest.mark.parametrize(
    ("user", "path"),
    [
        ("clerk_harbin_daoli", "/workbench/"),
        ("clerk_harbin_daoli", "/approvals/"),
        ("clerk_harbin_daoli", "/trust/ra/mine/"),
        ("clerk_harbin_daoli", "/no-such-page/"),
        ("supervisor_province", "/supervision/"),
        ("supervisor_province", "/supervision/findings/"),
        ("auditor_province", "/workbench/audit/"),
        ("clerk_harbin_daoli", "/"),
    ],
)
def test_staff_pages_are_not_stored(request, user, path):
    client = Client()
    client.force_login(request.getfixturevalue(user))
    response = client.get(path)
    assert response.status_code in {200, 404}
    assert not_stored(response), response.get("Cache-Control")


def test_account_page_is_not_stored(citizen):
    client = Client()
    client.force_login(citizen)
    for path in ("/account/", "/approvals/mine/"):
        assert not_stored(client.get(path))


@pytest.mark.parametrize(
    "path", ["/api/v1/approvals/items", "/api/v1/organisations", "/api/v1/whoami", "/api/x"]
)
def test_every_api_answer_is_not_stored_even_anonymous(regions, path):
    assert not_stored(Client().get(path))


def test_anonymous_portal_home_stays_cacheable(regions):
    response = Client().get("/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_public_files_stay_public_for_a_signed_in_user(clerk_harbin_daoli):
    client = Client()
    client.force_login(clerk_harbin_daoli)
    response = client.get(f"/plotly-{plotly.__version__}.min.js")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert "no-store" not in response["Cache-Control"]


def test_api_errors_replaced_by_json_are_not_stored_either(regions):
    response = Client().delete("/api/v1/organisations")
    assert response.status_code == 405
    assert not_stored(response)
    assert "Content-Security-Policy" in response
