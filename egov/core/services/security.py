"""Security event writes (安全事件记录): one row and one outbox event per occurrence.

Called by the login views and signal receivers of core (failed logins,
lockouts, second-factor failures), by the people services (privilege changes)
and by other apps through this function (trust: certificate login failures,
revocations). Runs in a plain ``atomic`` block, so it joins the caller's
transaction (a revocation and its security event commit together) and opens
its own when called alone. ``detail`` must not carry a secret: keys that name
one are refused.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

import django_otp
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.core.events import payload_problem, publish
from egov.core.models import Organisation, SecurityEvent, User
from egov.core.services.audit import record_audit

SECRET_WORDS = ("password", "passphrase", "secret", "token", "private", "signature", "key_pem")
USERNAME_MAX = 150
USER_AGENT_MAX = 255
EVENT_TYPE = "SecurityEventRecorded"
TOKEN_PATTERN = re.compile(r"^[0-9]{6}$")
DEVICE_NAME = "default"


def secret_keys(detail: dict[str, Any]) -> list[str]:
    """Keys of ``detail`` (at any depth) whose name says they hold a secret."""
    found = []
    for key, value in detail.items():
        if any(word in str(key).lower() for word in SECRET_WORDS):
            found.append(str(key))
        if isinstance(value, dict):
            found.extend(secret_keys(value))
    return found


def check_detail(kind: str, detail: dict[str, Any]) -> None:
    """Refuse an unknown kind, a detail that is not JSON, or one naming a secret."""
    errors = {}
    if kind not in SecurityEvent.Kind.values:
        errors["kind"] = f"unknown kind {kind!r}; known: {sorted(SecurityEvent.Kind.values)}"
    problem = payload_problem(detail)
    if problem:
        errors["detail"] = problem
    elif secret_keys(detail):
        errors["detail"] = f"must not hold secrets (keys {secret_keys(detail)})"
    if errors:
        raise ValidationError(errors)


def client_address(request: Any) -> str | None:
    """The client's address as the server saw it (REMOTE_ADDR), if it is an IP address."""
    address = getattr(request, "META", {}).get("REMOTE_ADDR", "") if request else ""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def from_trusted_proxy(request: Any) -> bool:
    """Did the request come from one of ``EGOV_TRUSTED_PROXIES`` (addresses or networks)?"""
    address = client_address(request)
    if address is None:
        return False
    for entry in settings.EGOV_TRUSTED_PROXIES:
        try:
            if ipaddress.ip_address(address) in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def submitter_address(request: Any) -> str | None:
    """The address a request came from, seen through a trusted proxy.

    REMOTE_ADDR, unless it is one of ``EGOV_TRUSTED_PROXIES``: then the last
    address that proxy appended to ``X-Forwarded-For`` (the one it saw), so a
    per-address limit does not count every client behind the proxy as one.
    """
    if not from_trusted_proxy(request):
        return client_address(request)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(forwarded))
    except ValueError:
        return client_address(request)


def client_agent(request: Any) -> str:
    agent = getattr(request, "META", {}).get("HTTP_USER_AGENT", "") if request else ""
    return str(agent)[:USER_AGENT_MAX]


def organisation_of(user: User | None) -> Organisation | None:
    """The staff user's organisation, for scoping the event to an auditor's subtree."""
    if user is None or not getattr(user, "pk", None):
        return None
    profile = getattr(user, "staff", None) if user.kind == User.Kind.STAFF else None
    return profile.organisation if profile is not None else None


def record_security_event(
    *,
    kind: str,
    request: Any = None,
    user: User | None = None,
    username: str = "",
    organisation: Organisation | None = None,
    detail: dict[str, Any] | None = None,
) -> SecurityEvent:
    """Record one security event (记录安全事件) and publish ``SecurityEventRecorded``.

    ``user`` is the account concerned when known; ``username`` the name tried
    (defaults to the user's). ``request`` gives the client's IP address and
    user agent. ``organisation`` defaults to the staff user's own. Bad input
    raises ``ValidationError`` naming the field; nothing is written then.
    """
    detail = dict(detail or {})
    check_detail(kind, detail)
    account = user if user is not None and getattr(user, "pk", None) else None
    name = str(username or (account.get_username() if account else ""))[:USERNAME_MAX]
    where = organisation or organisation_of(account)
    with transaction.atomic():
        event = SecurityEvent.objects.create(
            kind=kind,
            occurred_at=timezone.now(),
            username=name,
            user=account,
            organisation=where,
            ip_address=client_address(request),
            user_agent=client_agent(request),
            detail=detail,
        )
        publish(
            EVENT_TYPE,
            {
                "id": event.pk,
                "kind": kind,
                "username": name,
                "organisation": where.code if where else "",
                "ip_address": event.ip_address or "",
                "occurred_at": event.occurred_at.isoformat(),
                "detail": detail,
            },
            aggregate=f"security-event:{kind}",
        )
    return event


def begin_totp_setup(*, user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator device (待绑定), created once with a fresh key."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def clean_token(token: Any) -> str:
    """The token without spaces; empty when it is not six digits."""
    text = str(token or "").replace(" ", "").strip()
    return text if TOKEN_PATTERN.match(text) else ""


def otp_failed(request: Any, user: User, stage: str, reason: str) -> None:
    record_security_event(
        kind="otp_failed", request=request, user=user, detail={"stage": stage, "reason": reason}
    )


def confirm_totp_device(*, request: Any, device: TOTPDevice, token: str) -> bool:
    """Confirm an authenticator with its first token (确认绑定) and verify this session.

    A wrong or malformed token records ``otp_failed`` and confirms nothing.
    """
    user = request.user
    cleaned = clean_token(token)
    with transaction.atomic(durable=True):
        if not cleaned or not device.verify_token(cleaned):
            otp_failed(request, user, "setup", "malformed" if not cleaned else "wrong_token")
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record_audit(
            actor=user, action="auth.otp_device_confirmed", object_type="user",
            object_id=user.get_username(), summary="TOTP authenticator bound",
        )  # fmt: skip
        record_security_event(
            kind="otp_device_confirmed", request=request, user=user, detail={"device": device.pk}
        )
    django_otp.login(request, device)
    return True


def verify_second_factor(*, request: Any, token: str) -> bool:
    """Check the current token against the user's confirmed devices (动态口令验证).

    Success marks the session verified and is audited; a failure records
    ``otp_failed`` (django-otp also throttles the device after failures).
    """
    user = request.user
    cleaned = clean_token(token)
    with transaction.atomic(durable=True):
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None or not cleaned or not device.verify_token(cleaned):
            otp_failed(request, user, "verify", "malformed" if not cleaned else "wrong_token")
            return False
        record_audit(
            actor=user, action="auth.second_factor", object_type="user",
            object_id=user.get_username(), summary="TOTP token confirmed",
        )  # fmt: skip
    django_otp.login(request, device)
    return True
