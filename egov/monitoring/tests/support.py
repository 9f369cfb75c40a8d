"""Helpers shared by monitoring's tests: security events from an address, sign-ins."""

from __future__ import annotations

import datetime as dt
import hashlib
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


def make_incident(
    subject: str,
    *,
    organisation_code: str = "",
    rule_code: str = "sign_in.privileged_odd_hours",
    status: str = "open",
    at: dt.datetime | None = None,
) -> Any:
    """An incident as correlation opens them (written directly: the page and actions' input)."""
    from egov.core.models import Organisation
    from egov.core.testing import make_organisation, shanghai
    from egov.monitoring.models import Incident

    moment = at or shanghai(2026, 11, 26, 23, 40)
    organisation: Organisation | None = (
        make_organisation(organisation_code) if organisation_code else None
    )
    return Incident.objects.create(
        rule_code=rule_code,
        subject=subject,
        fingerprint=hashlib.sha256(f"{rule_code}|{subject}|{moment}".encode()).hexdigest(),
        severity="medium",
        summary=f"privileged sign-in of {subject} at 23:40",
        evidence={"username": subject, "ip_address": "192.0.2.10"},
        window_start=moment,
        window_end=moment,
        organisation=organisation,
        opened_at=moment,
        status=status,
    )


class BrokenMailBackend:
    """A mail backend whose server is down."""

    def __init__(self, **_: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("mail server down")
