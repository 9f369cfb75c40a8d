"""Mutual TLS at a reverse proxy (双向认证): the proxy passes the verified client certificate.

Off unless ``EGOV_TRUSTED_PROXY_CERT_HEADER`` names the header, and the header
is read only from the addresses in ``EGOV_TRUSTED_PROXIES``: anyone else could
send it.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from egov.core.models import AuditEntry, SecurityEvent
from egov.trust import services
from egov.trust.login import header_key
from egov.trust.models import CertificateAuthority
from egov.trust.tests.login_support import latest_event, security_kinds, staff_holder

HEADER = "X-SSL-Client-Cert"
META = "HTTP_X_SSL_CLIENT_CERT"


@pytest.fixture
def behind_proxy(settings: object) -> None:
    settings.EGOV_TRUSTED_PROXY_CERT_HEADER = HEADER
    settings.EGOV_TRUSTED_PROXIES = ["10.0.0.0/24", "::1"]


def through(client: Client, pem: str, address: str = "10.0.0.5") -> object:
    """GET the workbench as nginx would forward it ($ssl_client_escaped_cert)."""
    return client.get(reverse("core:workbench"), REMOTE_ADDR=address, **{META: quote(pem)})


def test_the_proxys_certificate_logs_the_holder_in(
    client: Client, ca_sm: CertificateAuthority, behind_proxy: None
) -> None:
    holder = staff_holder()

    response = through(client, holder.pem)

    assert response.status_code == 200
    assert client.session["_auth_user_id"] == str(holder.user.pk)
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert entry.summary == f"login via certificate (mutual_tls) serial {holder.certificate.serial}"
    assert latest_event().kind == "cert_login"
    assert client.get(reverse("core:workbench")).status_code == 200


def test_off_by_default(client: Client, ca_sm: CertificateAuthority, settings: object) -> None:
    holder = staff_holder()
    assert settings.EGOV_TRUSTED_PROXY_CERT_HEADER == ""
    events_before = SecurityEvent.objects.count()

    response = through(client, holder.pem, address="127.0.0.1")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.count() == events_before


def test_the_header_from_elsewhere_is_ignored(
    client: Client, ca_sm: CertificateAuthority, behind_proxy: None
) -> None:
    holder = staff_holder()
    audit_before, events_before = AuditEntry.objects.count(), SecurityEvent.objects.count()

    response = through(client, holder.pem, address="192.0.2.7")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert (AuditEntry.objects.count(), SecurityEvent.objects.count()) == (
        audit_before,
        events_before,
    )


def test_a_revoked_certificate_from_the_proxy_is_refused(
    client: Client, ca_sm: CertificateAuthority, behind_proxy: None
) -> None:
    holder = staff_holder()
    services.revoke_certificate(actor="ra", serial=holder.certificate.serial, reason="superseded")
    audit_before, events_before = AuditEntry.objects.count(), SecurityEvent.objects.count()

    response = through(client, holder.pem)

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.count() == audit_before
    assert security_kinds()[events_before:] == ["cert_login_failed"]
    assert latest_event().detail == {
        "method": "mutual_tls",
        "code": "revoked",
        "field": "certificate",
        "reason": latest_event().detail["reason"],
        "serial": holder.certificate.serial,
    }


def test_nginx_null_means_no_certificate(
    client: Client, ca_sm: CertificateAuthority, behind_proxy: None
) -> None:
    events_before = SecurityEvent.objects.count()

    response = client.get(reverse("core:workbench"), REMOTE_ADDR="10.0.0.5", **{META: "(null)"})

    assert response.status_code == 302
    assert SecurityEvent.objects.count() == events_before


def test_header_names_become_meta_keys() -> None:
    assert header_key("X-SSL-Client-Cert") == META
    assert header_key(META) == META
