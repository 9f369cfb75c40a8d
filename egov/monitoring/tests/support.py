"""Helpers shared by monitoring's tests: security events from an address, sign-ins."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import RequestFactory

from egov.core.models import SecurityEvent, User
from egov.core.services.security import record_security_event
from egov.monitoring.models import SignIn

OUTSIDER = "203.0.113.9"  # TEST-NET-3: never an allowed network


def from_address(address: str) -> Any:
    return RequestFactory().post("/login/", REMOTE_ADDR=address)


def fail_login(username: str, address: str) -> SecurityEvent:
    """A failed login for ``username`` from ``address``, at the current (travelled) time."""
    return record_security_event(
        kind="login_failed", request=from_address(address), username=username
    )


def signed_in(user: User, address: str, at: dt.datetime, *, privileged: bool = True) -> SignIn:
    """A sign-in recorded as monitoring records them, placed at ``at``."""
    return SignIn.objects.create(
        user=user,
        username=user.username,
        signed_in_at=at,
        ip_address=address,
        entrance="/login/",
        roles=["administrator"] if privileged else ["clerk"],
        privileged=privileged,
    )
