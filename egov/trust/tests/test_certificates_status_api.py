"""``GET /api/v1/trust/certificates/{serial}`` (证书状态查询)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from egov.trust import services
from egov.trust.crypto import suite
from egov.trust.models import Certificate, CertificateAuthority
from egov.trust.tests.conftest import PASSPHRASE

pytestmark = pytest.mark.django_db
URL = "/api/v1/trust/certificates/"


@pytest.fixture
def certificate(ca_sm: CertificateAuthority) -> Certificate:
    return services.issue_certificate(
        actor="ra",
        suite_name="sm",
        kind="org-seal",
        subject="CN=黑龙江省人民政府办公厅,O=黑龙江省人民政府,C=CN",
        public_key_der=suite("sm").public_key_der(suite("sm").generate_key()),
        passphrase=PASSPHRASE,
    )


def test_good_certificate(client: Client, certificate: Certificate) -> None:
    response = client.get(URL + certificate.serial)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "good"
    assert body["serial"] == certificate.serial
    assert body["subject"] == "CN=黑龙江省人民政府办公厅,O=黑龙江省人民政府,C=CN"
    assert (body["kind"], body["suite"]) == ("org-seal", "sm")
    assert body["revoked_at"] is None
    assert body["reason"] == ""
    assert dt.datetime.fromisoformat(body["not_after"]) == certificate.not_after


def test_serial_in_capitals_with_colons_and_leading_zeros(
    client: Client, certificate: Certificate
) -> None:
    spaced = ":".join(
        ("00" + certificate.serial.upper())[i : i + 2]
        for i in range(0, len(certificate.serial) + 2, 2)
    )
    assert client.get(URL + spaced).json()["serial"] == certificate.serial


def test_revoked_at_once(client: Client, certificate: Certificate) -> None:
    services.revoke_certificate(actor="ra", serial=certificate.serial, reason="superseded")
    body = client.get(URL + certificate.serial).json()
    assert body["status"] == "revoked"
    assert body["reason"] == "superseded"
    assert body["revoked_at"] is not None


def test_expired(client: Client, certificate: Certificate) -> None:
    # Clock read on purpose: an offset from the code's own now, true on any date.
    Certificate.objects.filter(pk=certificate.pk).update(
        not_after=timezone.now() - dt.timedelta(seconds=1)
    )
    assert client.get(URL + certificate.serial).json()["status"] == "expired"


def test_unknown_serial_is_404_json(client: Client, certificate: Certificate) -> None:
    response = client.get(URL + "abcdef0123")
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": "no certificate with this serial",
        "field": "serial",
        "status": "unknown",
        "errors": [{"field": "serial", "reason": "no certificate with this serial"}],
    }


@pytest.mark.parametrize("serial", ["xyz", "12g4", "0x12", "1" * 41])
def test_bad_serial_is_400_with_field_and_reason(client: Client, serial: str, db: None) -> None:
    response = client.get(URL + serial)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["errors"][0]["field"] == "serial"
    assert "hexadecimal" in body["errors"][0]["reason"]
