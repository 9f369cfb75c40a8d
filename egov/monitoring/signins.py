"""Sign-ins as monitoring sees them (登录记录): Django's ``user_logged_in``, recorded.

Core records failed logins as security events but successful ones only in
the audit chain, without the address; the correlation rules need the address
and the hour of each privileged sign-in. Like core's failed-login receivers
(``egov.core.auth_events``), this is the one way to hear of a login that
Django performs, password and certificate logins alike (ADR 0039).
"""

from __future__ import annotations

from typing import Any


def on_logged_in(sender: Any, request: Any = None, user: Any = None, **_: Any) -> None:
    from egov.monitoring.services import record_sign_in

    if user is not None and getattr(user, "pk", None):
        record_sign_in(user=user, request=request)


def connect() -> None:
    """Connect the receiver (called once from ``MonitoringConfig.ready``)."""
    from django.contrib.auth.signals import user_logged_in

    user_logged_in.connect(on_logged_in, dispatch_uid="egov-monitoring-sign-in")
