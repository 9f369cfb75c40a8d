"""Helpers of the second-factor tests: tokens computed from the device's key, as an app would."""

from __future__ import annotations

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.core.models import User
from egov.core.testing import TEST_PASSWORD


def token_for(device: TOTPDevice, offset: int = 0) -> str:
    """The device's current token (``offset`` steps later), six digits."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time += offset * device.step
    return f"{totp.token():06d}"


def wrong_token(device: TOTPDevice) -> str:
    """Six digits that none of the accepted tokens (previous, current, next step) equal."""
    accepted = {token_for(device, offset) for offset in (-1, 0, 1)}
    return next(
        candidate
        for candidate in ("000000", "111111", "222222", "333333")
        if candidate not in accepted
    )


def confirmed_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def password_login(client, user: User) -> None:
    response = client.post("/login/", {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
