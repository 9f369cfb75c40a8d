"""The probes (HTTP, TCP, TLS) against loopback servers only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from egov.monitoring import probes
from egov.monitoring.tests.servers import CERTIFICATE_EXPIRES, closed_port, http_server


@pytest.fixture
def http_port() -> Iterator[int]:
    with http_server() as port:
        yield port


@pytest.fixture
def https_port(tmp_path: Path) -> Iterator[int]:
    with http_server(tmp_path) as port:
        yield port


def test_http_up(http_port: int) -> None:
    outcome = probes.probe("http", f"http://127.0.0.1:{http_port}/", timeout=5)

    assert (outcome.ok, outcome.status_code, outcome.error) == (True, 200, "")
    assert outcome.seconds > 0


def test_http_error_status_is_down(http_port: int) -> None:
    outcome = probes.probe("http", f"http://127.0.0.1:{http_port}/down", timeout=5)

    assert (outcome.ok, outcome.status_code, outcome.error) == (False, 503, "HTTP 503")


def test_http_expected_status(http_port: int) -> None:
    url = f"http://127.0.0.1:{http_port}/missing"

    assert probes.probe("http", url, timeout=5, expected_status=404).ok
    assert not probes.probe("http", url, timeout=5, expected_status=200).ok


def test_http_refused_connection_is_down() -> None:
    outcome = probes.probe("http", f"http://127.0.0.1:{closed_port()}/", timeout=5)

    assert not outcome.ok
    assert "ConnectionRefusedError" in outcome.error


def test_https_with_an_unverifiable_certificate_is_down_unless_told(https_port: int) -> None:
    url = f"https://127.0.0.1:{https_port}/"

    refused = probes.probe("http", url, timeout=5)
    accepted = probes.probe("http", url, timeout=5, verify=False)

    assert not refused.ok
    assert "CERTIFICATE_VERIFY_FAILED" in refused.error
    assert accepted.ok
    assert accepted.certificate_expires == CERTIFICATE_EXPIRES


def test_tls_handshake_and_certificate_expiry(https_port: int) -> None:
    outcome = probes.probe("tls", f"127.0.0.1:{https_port}", timeout=5, verify=False)

    assert outcome.ok
    assert outcome.certificate_expires == CERTIFICATE_EXPIRES


def test_tls_to_a_plain_server_is_down(http_port: int) -> None:
    outcome = probes.probe("tls", f"127.0.0.1:{http_port}", timeout=5, verify=False)

    assert not outcome.ok
    assert "SSL" in outcome.error


def test_tcp_open_and_closed(http_port: int) -> None:
    assert probes.probe("tcp", f"127.0.0.1:{http_port}", timeout=5).ok
    assert not probes.probe("tcp", f"127.0.0.1:{closed_port()}", timeout=5).ok


@pytest.mark.parametrize(
    ("kind", "target"),
    [("tcp", "127.0.0.1"), ("tcp", "127.0.0.1:99999"), ("tls", ":443"), ("http", "ftp://x/")],
)
def test_malformed_targets_are_down_with_a_reason(kind: str, target: str) -> None:
    outcome = probes.probe(kind, target, timeout=1)

    assert not outcome.ok
    assert "ValueError" in outcome.error


def test_an_unknown_kind_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown probe kind"):
        probes.probe("icmp", "127.0.0.1", timeout=1)
