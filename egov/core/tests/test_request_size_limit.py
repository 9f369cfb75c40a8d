"""A body declared larger than EGOV_MAX_REQUEST_BYTES is refused (413) before a byte is read.

Before, a 120 MB upload was read (and spooled to disk) completely before the
10 MB check of the application form refused it.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args: object) -> bytes:
        raise AssertionError("the body was read")

    readline = read


def post_declaring(client: Client, path: str, length: int):
    return client.generic(
        "POST",
        path,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": UnreadableBody()},
    )


def test_the_cap_is_configured():
    assert 10 * MB < settings.EGOV_MAX_REQUEST_BYTES <= 64 * MB
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= settings.EGOV_MAX_REQUEST_BYTES
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= settings.EGOV_MAX_REQUEST_BYTES


def test_api_upload_over_the_cap_is_json_413_unread(citizen):
    client = Client()
    client.force_login(citizen)
    response = post_declaring(client, "/api/v1/approvals/cases", 120 * MB)
    assert response.status_code == 413
    body = response.json()
    assert (body["code"], body["field"]) == ("too_large", "body")
    assert str(settings.EGOV_MAX_REQUEST_BYTES) in body["message"]


def test_page_upload_over_the_cap_is_the_413_page_unread(citizen):
    client = Client()
    client.force_login(citizen)
    response = post_declaring(client, "/approvals/items/ANY/apply/", 120 * MB)
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert 'id="request-too-large"' in response.content.decode()


def test_anonymous_request_over_the_cap_is_refused_too(regions):
    response = post_declaring(Client(), "/api/v1/trust/signatures/verify-files", 120 * MB)
    assert response.status_code == 413


@override_settings(EGOV_MAX_REQUEST_BYTES=1000)
def test_a_body_at_the_cap_passes_and_one_byte_more_is_refused(regions):
    client = Client()
    refused = post_declaring(client, "/api/v1/trust/signatures/verify-files", 1001)
    assert refused.status_code == 413
    at_cap = client.post(
        "/api/v1/trust/signatures/verify",
        '{"payload": "YQ==", "signature": "' + "A" * 900 + '"}',
        content_type="application/json",
    )
    assert at_cap.status_code != 413


def test_form_data_over_the_memory_limit_is_the_413_page(citizen):
    client = Client()
    client.force_login(citizen)
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000):
        response = client.post("/account/login/", {"username": "x" * 5000})
    assert response.status_code == 413
    assert 'id="request-too-large"' in response.content.decode()
