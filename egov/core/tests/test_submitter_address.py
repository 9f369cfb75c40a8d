"""The address a request came from, seen through a trusted proxy (per-address limits).

Behind a TLS proxy every request's REMOTE_ADDR is the proxy's: counted as is,
one busy proxy would exhaust a per-address limit for every citizen. When
REMOTE_ADDR is one of EGOV_TRUSTED_PROXIES, the address the proxy appended
to X-Forwarded-For is used instead; from anyone else the header is ignored.
"""

from __future__ import annotations

from django.test import RequestFactory

from egov.core.services.security import submitter_address


def request(remote: str, forwarded: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_without_a_proxy_the_peer_address_counts(settings):
    settings.EGOV_TRUSTED_PROXIES = []
    assert submitter_address(request("203.0.113.7")) == "203.0.113.7"


def test_a_forwarded_header_from_an_untrusted_peer_is_ignored(settings):
    settings.EGOV_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert submitter_address(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_behind_a_trusted_proxy_the_address_it_saw_counts(settings):
    settings.EGOV_TRUSTED_PROXIES = ["10.0.0.0/8"]
    spoofed_then_real = "192.0.2.66, 198.51.100.1"
    assert submitter_address(request("10.1.2.3", spoofed_then_real)) == "198.51.100.1"


def test_a_trusted_proxy_without_a_usable_header_counts_as_itself(settings):
    settings.EGOV_TRUSTED_PROXIES = ["10.1.2.3"]
    assert submitter_address(request("10.1.2.3")) == "10.1.2.3"
    assert submitter_address(request("10.1.2.3", "not-an-address")) == "10.1.2.3"
