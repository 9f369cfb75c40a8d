"""System checks of the monitoring settings (``egov check``): a bad network fails loudly."""

from __future__ import annotations

from typing import Any

from django.core import checks


def check_metrics_networks(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from egov.monitoring.access import allowed_networks

    try:
        allowed_networks()
    except ValueError as exc:
        return [checks.Error(str(exc), id="monitoring.E001")]
    return []


def register() -> None:
    checks.register(check_metrics_networks, "monitoring")
