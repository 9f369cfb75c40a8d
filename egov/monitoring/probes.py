"""Probes of systems and sites (系统与网站探测) over HTTP, TCP and TLS, with no Django import.

Each probe connects once with a timeout and answers a :class:`ProbeOutcome`:
whether the system answered as expected, how long it took, what went wrong,
and for TLS (and HTTPS) when the server's certificate expires. They are run
by :func:`egov.monitoring.services.probe_systems` for the systems registered
by administrators; tests probe only 127.0.0.1.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from cryptography import x509

HTTP, TCP, TLS = "http", "tcp", "tls"
USER_AGENT = "egov-monitoring-probe/1"
ERROR_MAX = 300


@dataclass(frozen=True)
class ProbeOutcome:
    """One probe's result."""

    ok: bool
    seconds: float
    error: str = ""
    status_code: int | None = None
    certificate_expires: datetime | None = None


def split_host_port(target: str) -> tuple[str, int]:
    """``host:port`` (``[v6]:port`` too) → (host, port); ValueError if malformed."""
    host, _sep, port = target.strip().rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"expected host:port, got {target!r}")
    return host, int(port)


def tls_context(verify: bool) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def certificate_expiry(sock: ssl.SSLSocket) -> datetime | None:
    der = sock.getpeercert(binary_form=True)
    return x509.load_der_x509_certificate(der).not_valid_after_utc if der else None


def failed(started: float, exc: BaseException) -> ProbeOutcome:
    text = f"{type(exc).__name__}: {exc}"[:ERROR_MAX]
    return ProbeOutcome(False, time.perf_counter() - started, text)


def probe_tcp(target: str, *, timeout: float) -> ProbeOutcome:
    """A TCP connection is accepted."""
    started = time.perf_counter()
    try:
        with socket.create_connection(split_host_port(target), timeout=timeout):
            pass
    except (OSError, ValueError) as exc:
        return failed(started, exc)
    return ProbeOutcome(True, time.perf_counter() - started)


def probe_tls(target: str, *, timeout: float, verify: bool = True) -> ProbeOutcome:
    """A TLS handshake succeeds (the chain verified unless ``verify`` is off); its expiry."""
    started = time.perf_counter()
    try:
        host, port = split_host_port(target)
        with (
            socket.create_connection((host, port), timeout=timeout) as raw,
            tls_context(verify).wrap_socket(raw, server_hostname=host) as sock,
        ):
            expires = certificate_expiry(sock)
    except (OSError, ValueError) as exc:
        return failed(started, exc)
    return ProbeOutcome(True, time.perf_counter() - started, certificate_expires=expires)


def http_connection(url: str, timeout: float, verify: bool) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"expected an http:// or https:// URL, got {url!r}")
    if parts.scheme == "https":
        return http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=timeout, context=tls_context(verify)
        )
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)


def probe_http(
    url: str, *, timeout: float, expected_status: int | None = None, verify: bool = True
) -> ProbeOutcome:
    """A GET answers with ``expected_status`` (any status below 400 when none is given)."""
    started = time.perf_counter()
    try:
        connection = http_connection(url, timeout, verify)
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request("GET", path, headers={"User-Agent": USER_AGENT})
            sock = connection.sock  # before the response: "Connection: close" drops it
            expires = certificate_expiry(sock) if isinstance(sock, ssl.SSLSocket) else None
            status = connection.getresponse().status
        finally:
            connection.close()
    except (OSError, ValueError, http.client.HTTPException) as exc:
        return failed(started, exc)
    ok = status == expected_status if expected_status else status < 400
    error = "" if ok else f"HTTP {status}"
    return ProbeOutcome(ok, time.perf_counter() - started, error, status, expires)


def probe(
    kind: str,
    target: str,
    *,
    timeout: float,
    expected_status: int | None = None,
    verify: bool = True,
) -> ProbeOutcome:
    """Probe ``target`` by ``kind`` (http, tcp, tls)."""
    if kind == HTTP:
        return probe_http(target, timeout=timeout, expected_status=expected_status, verify=verify)
    if kind == TLS:
        return probe_tls(target, timeout=timeout, verify=verify)
    if kind == TCP:
        return probe_tcp(target, timeout=timeout)
    raise ValueError(f"unknown probe kind {kind!r}")
