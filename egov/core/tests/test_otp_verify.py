"""Entering the current token after login (动态口令验证); failures are security events."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from egov.core.models import AuditEntry, SecurityEvent, User
from egov.core.tests.otp_support import confirmed_device, password_login, token_for, wrong_token

pytestmark = [pytest.mark.django_db, pytest.mark.real_second_factor]
VERIFY = "/otp/verify/"


def test_the_current_token_opens_the_pages(client: Client, auditor_province: User) -> None:
    device = confirmed_device(auditor_province)
    password_login(client, auditor_province)

    response = client.post(VERIFY, {"token": token_for(device), "next": "/workbench/audit/"})

    assert response.status_code == 302
    assert response["Location"] == "/workbench/audit/"
    assert client.get(reverse("core:audit_log")).status_code == 200
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert (entry.action, entry.actor) == ("auth.second_factor", "auditor_province")


def test_a_wrong_token_is_refused_and_recorded(client: Client, auditor_province: User) -> None:
    device = confirmed_device(auditor_province)
    password_login(client, auditor_province)
    audit_before, events_before = AuditEntry.objects.count(), SecurityEvent.objects.count()

    response = client.post(VERIFY, {"token": wrong_token(device)})

    assert response.status_code == 400
    assert "动态口令不正确" in response.content.decode()
    assert AuditEntry.objects.count() == audit_before
    events = list(SecurityEvent.objects.order_by("pk"))[events_before:]
    assert [(e.kind, e.user, e.detail) for e in events] == [
        ("otp_failed", auditor_province, {"stage": "verify", "reason": "wrong_token"})
    ]
    assert client.get(reverse("core:workbench")).status_code == 302


def test_a_used_token_cannot_be_replayed_in_another_session(
    auditor_province: User,
) -> None:
    device = confirmed_device(auditor_province)
    first, second = Client(), Client()
    password_login(first, auditor_province)
    password_login(second, auditor_province)
    token = token_for(device)
    assert first.post(VERIFY, {"token": token}).status_code == 302

    replay = second.post(VERIFY, {"token": token})

    assert replay.status_code == 400
    assert second.get(reverse("core:workbench")).status_code == 302


def test_next_must_stay_on_this_site(client: Client, auditor_province: User) -> None:
    device = confirmed_device(auditor_province)
    password_login(client, auditor_province)

    response = client.post(VERIFY, {"token": token_for(device), "next": "https://evil.example/"})

    assert response["Location"] == reverse("core:workbench")


def test_without_a_device_verify_sends_to_setup(client: Client, auditor_province: User) -> None:
    password_login(client, auditor_province)

    response = client.get(VERIFY)

    assert response.status_code == 302
    assert response["Location"].startswith("/otp/setup/")
