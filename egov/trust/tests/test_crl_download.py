"""``/trust/crl/<suite>.crl`` (CRL下载): DER, newest number, refreshed when stale."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from egov.trust import services
from egov.trust.crypto import suite
from egov.trust.models import CertificateAuthority, RevocationList
from egov.trust.pki.revocation import load_crl
from egov.trust.tests.conftest import PASSPHRASE

pytestmark = pytest.mark.django_db


def test_crl_is_served_as_der(client: Client, ca_sm: CertificateAuthority) -> None:
    record = services.issue_certificate(
        actor="ra", suite_name="sm", kind="system", subject="CN=数据交换系统",
        public_key_der=suite("sm").public_key_der(suite("sm").generate_key()),
        passphrase=PASSPHRASE,
    )  # fmt: skip
    services.revoke_certificate(
        actor="ra", serial=record.serial, reason="keyCompromise", passphrase=PASSPHRASE
    )
    response = client.get("/trust/crl/sm.crl")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pkix-crl"
    parsed = load_crl(response.content)
    assert parsed.number == 2
    assert parsed.revoked == {int(record.serial, 16): 1}


def test_unknown_suite_or_no_ca_is_404(client: Client, ca_sm: CertificateAuthority) -> None:
    assert client.get("/trust/crl/intl.crl").status_code == 404
    assert client.get("/trust/crl/rsa.crl").status_code == 404


def make_stale() -> None:
    # Clock read on purpose: an offset from the code's own now, true on any date.
    RevocationList.objects.update(
        this_update=timezone.now() - dt.timedelta(days=8),
        next_update=timezone.now() - dt.timedelta(days=1),
    )


def test_stale_crl_is_refreshed_when_the_passphrase_is_configured(
    client: Client, ca_sm: CertificateAuthority, monkeypatch
) -> None:
    make_stale()
    monkeypatch.setenv("EGOV_CA_PASSPHRASE", PASSPHRASE)
    parsed = load_crl(client.get("/trust/crl/sm.crl").content)
    assert parsed.number == 2
    # Clock read on purpose: an offset from the code's own now, true on any date.
    assert parsed.next_update > timezone.now()


def test_stale_crl_is_served_as_is_without_the_passphrase(
    client: Client, ca_sm: CertificateAuthority, monkeypatch
) -> None:
    make_stale()
    monkeypatch.delenv("EGOV_CA_PASSPHRASE", raising=False)
    monkeypatch.delenv("EGOV_CA_PASSPHRASE_FILE", raising=False)
    assert load_crl(client.get("/trust/crl/sm.crl").content).number == 1
    assert RevocationList.objects.count() == 1
