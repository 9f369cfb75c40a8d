"""Binding an authenticator (绑定动态口令): otpauth URI and QR, confirmed by a first token."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.core.models import AuditEntry, SecurityEvent, User
from egov.core.tests.otp_support import password_login, token_for, wrong_token

pytestmark = [pytest.mark.django_db, pytest.mark.real_second_factor]
SETUP = "/otp/setup/"


def kinds_since(count: int) -> list[str]:
    return list(SecurityEvent.objects.order_by("pk").values_list("kind", flat=True))[count:]


def test_setup_shows_the_uri_and_a_qr_code(client: Client, auditor_province: User) -> None:
    password_login(client, auditor_province)

    page = client.get(SETUP).content.decode()

    device = TOTPDevice.objects.get(user=auditor_province)
    assert not device.confirmed
    uri = urlparse(device.config_url)
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    assert parse_qs(uri.query)["issuer"] == ["egov"]
    assert device.config_url.replace("&", "&amp;") in page
    assert "<svg" in page
    assert parse_qs(uri.query)["secret"][0] in page
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=auditor_province).count() == 1


def test_a_right_first_token_confirms_and_verifies(client: Client, auditor_province: User) -> None:
    password_login(client, auditor_province)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=auditor_province)
    events_before = SecurityEvent.objects.count()

    response = client.post(SETUP, {"token": token_for(device), "next": "/workbench/audit/"})

    assert response.status_code == 302
    assert response["Location"] == "/workbench/audit/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("core:audit_log")).status_code == 200
    assert AuditEntry.objects.order_by("-sequence").first().action == "auth.otp_device_confirmed"
    assert kinds_since(events_before) == ["otp_device_confirmed"]


@pytest.mark.parametrize("token", ["wrong", "12ab56", "", "1234567"])
def test_a_wrong_or_malformed_token_confirms_nothing(
    client: Client, auditor_province: User, token: str
) -> None:
    password_login(client, auditor_province)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=auditor_province)
    audit_before, events_before = AuditEntry.objects.count(), SecurityEvent.objects.count()
    if token == "wrong":
        token = wrong_token(device)

    response = client.post(SETUP, {"token": token})

    assert response.status_code == 400
    assert "动态口令不正确" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert AuditEntry.objects.count() == audit_before
    assert kinds_since(events_before) == ["otp_failed"]
    event = SecurityEvent.objects.order_by("pk").last()
    assert event.user == auditor_province
    assert event.detail["stage"] == "setup"
    assert token not in str(event.detail) or not token
    assert client.get(reverse("core:workbench")).status_code == 302


def test_with_a_confirmed_device_setup_sends_to_verify(
    client: Client, auditor_province: User
) -> None:
    TOTPDevice.objects.create(user=auditor_province, name="phone", confirmed=True)
    password_login(client, auditor_province)

    response = client.get(SETUP)

    assert response.status_code == 302
    assert response["Location"].startswith("/otp/verify/")
    assert TOTPDevice.objects.filter(user=auditor_province).count() == 1


def test_anonymous_visitors_are_sent_to_login(client: Client) -> None:
    response = client.get(SETUP)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))
