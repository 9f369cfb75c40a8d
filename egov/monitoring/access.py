"""Who may read ``/metrics`` and the details of ``/readyz`` (监控数据访问控制).

Two ways in, either suffices (ADR 0038):

* the client's address (``REMOTE_ADDR``, as the server saw it: never a forwarded
  header) lies in ``EGOV_METRICS_ALLOWED_NETWORKS`` (default: loopback), as a
  Prometheus server on the host or the monitoring network scrapes;
* the request carries ``Authorization: Bearer <EGOV_METRICS_TOKEN>`` (the token
  may be given as a file, ``EGOV_METRICS_TOKEN_FILE``); no token configured means
  this way is closed.

Everyone else gets 403 from ``/metrics`` and only the overall status from
``/readyz``.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
BEARER = "bearer "


@lru_cache(maxsize=8)
def parse_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """The networks of the setting; ValueError names a malformed entry."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as exc:
            raise ValueError(f"EGOV_METRICS_ALLOWED_NETWORKS: {entry!r} is not a network") from exc
    return tuple(networks)


def allowed_networks() -> tuple[Network, ...]:
    entries: Iterable[str] = getattr(settings, "EGOV_METRICS_ALLOWED_NETWORKS", ())
    return parse_networks(tuple(entries))


def from_allowed_network(request: Any) -> bool:
    """Does the request come from an address in the allowed networks?"""
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in allowed_networks())


def presents_metrics_token(request: Any) -> bool:
    """Does the request carry the configured bearer token? (constant-time comparison)"""
    token = str(getattr(settings, "EGOV_METRICS_TOKEN", "") or "")
    header = str(request.META.get("HTTP_AUTHORIZATION", ""))
    if not token or not header.lower().startswith(BEARER):
        return False
    offered = header[len(BEARER) :].strip()
    return hmac.compare_digest(offered.encode(), token.encode())


def may_read_monitoring(request: Any) -> bool:
    """May this caller read metrics and readiness details?"""
    return presents_metrics_token(request) or from_allowed_network(request)
