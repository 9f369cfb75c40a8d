"""Tests of privileged pages get a verified session from ``force_login`` (test helper)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.core.models import User


@pytest.mark.django_db
def test_force_login_of_an_auditor_passes_the_second_factor(
    client: Client, auditor_province: User
) -> None:
    client.force_login(auditor_province)

    assert client.get(reverse("core:audit_log")).status_code == 200
    device = TOTPDevice.objects.get(user=auditor_province)
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


@pytest.mark.django_db
def test_force_login_of_a_clerk_adds_no_device(client: Client, clerk_harbin_daoli: User) -> None:
    client.force_login(clerk_harbin_daoli)

    assert not TOTPDevice.objects.exists()
    assert DEVICE_ID_SESSION_KEY not in client.session
