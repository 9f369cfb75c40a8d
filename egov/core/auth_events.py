"""Failed logins and lockouts as security events (登录失败与锁定).

Django sends ``user_login_failed`` for every failed ``authenticate`` (staff,
public and admin logins alike) and django-axes sends ``user_locked_out`` when
an account and address reach the failure limit, and again for each attempt
while locked. These receivers record them; they are connected in
``CoreConfig.ready``. Credentials are never stored: only the username tried.
"""

from __future__ import annotations

from typing import Any

from egov.core.models import User
from egov.core.services.security import record_security_event


def known_user(username: str) -> User | None:
    return User.objects.filter(username=username).first() if username else None


def entrance(request: Any) -> str:
    return str(getattr(request, "path", ""))[:200]


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **_: Any
) -> None:
    """Record ``login_failed`` with the username tried and the entrance."""
    username = str(credentials.get("username", ""))
    record_security_event(
        kind="login_failed",
        request=request,
        user=known_user(username),
        username=username,
        detail={
            "entrance": entrance(request),
            "while_locked": bool(getattr(request, "axes_locked_out", False)),
        },
    )


def on_locked_out(sender: Any, request: Any = None, username: str = "", **_: Any) -> None:
    """Record ``account_locked`` (django-axes lockout) for the username and address."""
    name = str(username or "")
    record_security_event(
        kind="account_locked",
        request=request,
        user=known_user(name),
        username=name,
        detail={"entrance": entrance(request), "by": "django-axes"},
    )


def connect() -> None:
    """Connect the receivers (called once from ``CoreConfig.ready``)."""
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_login_failed

    user_login_failed.connect(on_login_failed, dispatch_uid="egov-security-login-failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="egov-security-locked-out")
