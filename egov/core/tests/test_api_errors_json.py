"""Every error answer under /api/ is JSON in the error format, never Django's HTML page.

Before: unknown /api/ paths, 405, too many files or fields, a body over the limit
and a crash answered Django's bare HTML pages (or ninja's ``{"detail"}``).
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from egov.core.selectors import organisations as organisation_selectors

pytestmark = pytest.mark.django_db

VERIFY_FILES = "/api/v1/trust/signatures/verify-files"


def problem_of(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert body["message"]
    assert "field" in body
    assert isinstance(body["errors"], list)
    return body


@pytest.mark.parametrize("path", ["/api/", "/api/nothing", "/api/v1/nothing", "/api/v1/x/y/"])
def test_unknown_api_path_is_json_404(path):
    problem_of(Client().get(path), 404, "not_found")


def test_wrong_method_is_json_405_with_allow(regions):
    response = Client().delete("/api/v1/organisations")
    problem_of(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


def test_too_many_files_is_json_400():
    files = {f"f{n}": SimpleUploadedFile(f"{n}.txt", b"x") for n in range(150)}
    body = problem_of(Client().post(VERIFY_FILES, files), 400, "too_many_files")
    assert body["field"] == "body"


def test_too_many_fields_is_json_400():
    fields = {f"k{n}": "v" for n in range(1200)}
    problem_of(Client().post(VERIFY_FILES, fields), 400, "too_many_fields")


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_body_over_the_memory_limit_is_json_413():
    response = Client().post(VERIFY_FILES, {"text": "x" * 5000})
    problem_of(response, 413, "too_large")


def test_not_signed_in_is_json_401(regions):
    problem_of(Client().get("/api/v1/approvals/cases"), 401, "not_authenticated")


def test_a_crash_is_json_500(regions, monkeypatch):
    def crash(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(organisation_selectors, "organisations", crash)
    response = Client(raise_request_exception=False).get("/api/v1/organisations")
    body = problem_of(response, 500, "server_error")
    assert "boom" not in response.content.decode()
    assert body["field"] is None


def test_pages_keep_their_html_error_pages(regions):
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
