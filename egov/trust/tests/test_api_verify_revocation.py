"""Revocation takes effect at once in verification (吊销即时生效): before or after signing.

The API answers from the register, not from a published CRL, so a revocation
counts from the moment it is recorded. An invalidity date (RFC 5280 5.3.2, the
time the key is known or suspected to be compromised) earlier than the
signature makes it ``revoked_before_signing``.
"""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from egov.core.models import AuditEntry
from egov.core.testing import make_citizen
from egov.trust import services, signing
from egov.trust.crypto import suite
from egov.trust.errors import TrustError
from egov.trust.models import Certificate, CertificateAuthority, RevocationList
from egov.trust.pki.certificates import load_certificate
from egov.trust.pki.cms import build_signed_data
from egov.trust.tests.conftest import PASSPHRASE, openssl
from egov.trust.tests.test_signing_sign import PAYLOAD

URL = "/api/v1/trust/signatures/verify"
HOLDER_PASS = b"holder-pass"


@pytest.fixture
def holder(
    ca_sm: CertificateAuthority, monkeypatch: pytest.MonkeyPatch
) -> tuple[tuple[object, object], Certificate]:
    """A citizen, their key and a certificate issued two hours ago."""
    user = make_citizen()
    crypto = suite("sm")
    key = crypto.generate_key()
    # Clock read on purpose: an offset from the code's own now, true on any date.
    two_hours_ago = timezone.now() - dt.timedelta(hours=2)
    with monkeypatch.context() as patch:
        patch.setattr(services.timezone, "now", lambda: two_hours_ago)
        certificate = services.issue_certificate(
            actor="ca-officer",
            suite_name="sm",
            kind="person",
            subject="CN=张三,C=CN",
            public_key_der=crypto.public_key_der(key),
            passphrase=PASSPHRASE,
            holder=user,
        )
    return (user, key), certificate


def sign_at(user_key: tuple, moment: dt.datetime, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """Sign through the service as if the clock said ``moment``."""
    user, key = user_key
    with monkeypatch.context() as patch:
        patch.setattr(signing.timezone, "now", lambda: moment)
        return signing.sign(
            user=user,
            payload=PAYLOAD,
            private_key_pem=key.to_pem(HOLDER_PASS),
            passphrase=HOLDER_PASS,
        ).signature_der


def verdict(client: Client, der: bytes) -> dict:
    body = {
        "payload": base64.b64encode(PAYLOAD).decode(),
        "signature": base64.b64encode(der).decode(),
    }
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 200
    return response.json()


def test_key_compromised_before_signing(
    client: Client, holder: tuple, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_key, certificate = holder
    # Clock read on purpose: an offset from the code's own now, true on any date.
    signed_at = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=10)
    der = sign_at(user_key, signed_at, monkeypatch)
    assert verdict(client, der)["status"] == "valid"
    services.revoke_certificate(
        actor="ca-officer",
        serial=certificate.serial,
        reason="keyCompromise",
        invalidity_date=signed_at - dt.timedelta(hours=1),
    )
    body = verdict(client, der)  # at once: no CRL was published
    assert body["status"] == "signed_by_revoked"
    assert body["revocation_timing"] == "revoked_before_signing"
    assert body["key_compromised"] is True
    assert body["serial"] == certificate.serial
    assert dt.datetime.fromisoformat(body["invalidity_date"]) == signed_at - dt.timedelta(hours=1)


def test_revoked_after_signing(
    client: Client, holder: tuple, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_key, certificate = holder
    # Clock read on purpose: an offset from the code's own now, true on any date.
    signed_at = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=10)
    der = sign_at(user_key, signed_at, monkeypatch)
    services.revoke_certificate(
        actor="ca-officer", serial=certificate.serial, reason="affiliationChanged"
    )
    body = verdict(client, der)
    assert (body["status"], body["revocation_timing"]) == (
        "signed_by_revoked",
        "revoked_after_signing",
    )
    assert (body["key_compromised"], body["invalidity_date"]) == (False, None)


def test_invalidity_date_after_signing_keeps_it_after(
    client: Client, holder: tuple, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_key, certificate = holder
    # Clock read on purpose: an offset from the code's own now, true on any date.
    signed_at = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=10)
    der = sign_at(user_key, signed_at, monkeypatch)
    services.revoke_certificate(
        actor="ca-officer",
        serial=certificate.serial,
        reason="keyCompromise",
        invalidity_date=signed_at + dt.timedelta(minutes=5),
    )
    body = verdict(client, der)
    assert body["revocation_timing"] == "revoked_after_signing"
    assert body["key_compromised"] is True  # still suspect: the time is the signer's claim


def test_stolen_key_used_after_revocation_is_before_signing(client: Client, holder: tuple) -> None:
    (_user, key), certificate = holder
    services.revoke_certificate(
        actor="ca-officer", serial=certificate.serial, reason="keyCompromise"
    )
    forged = build_signed_data(
        suite("sm"),
        signing_key=key,
        certificate_der=load_certificate(certificate.certificate_pem).der,
        payload=PAYLOAD,
        # Clock read on purpose: an offset from the code's own now, true on any date.
        signing_time=timezone.now() + dt.timedelta(seconds=30),
    )
    body = verdict(client, forged)
    assert (body["status"], body["revocation_timing"]) == (
        "signed_by_revoked",
        "revoked_before_signing",
    )


@pytest.mark.parametrize(
    ("moment", "reason"),
    [
        (lambda now: now + dt.timedelta(hours=1), "must not be in the future"),
        (lambda now: now.replace(tzinfo=None), "must be a date and time with a time zone"),
        (
            lambda now: now - dt.timedelta(days=3650),
            "must not be before the certificate's notBefore",
        ),
    ],
)
def test_bad_invalidity_date_is_refused_and_nothing_written(
    holder: tuple, moment: object, reason: str
) -> None:
    _user_key, certificate = holder
    before = AuditEntry.objects.count()
    with pytest.raises(TrustError) as error:
        services.revoke_certificate(
            actor="ca-officer",
            serial=certificate.serial,
            reason="keyCompromise",
            # Clock read on purpose: an offset from the code's own now, true on any date.
            invalidity_date=moment(timezone.now()),  # type: ignore[operator]
        )
    assert (error.value.field, error.value.reason) == ("invalidity_date", reason)
    certificate.refresh_from_db()
    assert (certificate.status, certificate.invalidity_date) == ("good", None)
    assert AuditEntry.objects.count() == before


def test_crl_carries_the_invalidity_date_and_the_command_takes_it(
    holder: tuple, tmp_path: Path, passphrase_file: Path
) -> None:
    _user_key, certificate = holder
    call_command(
        "ca",
        "revoke",
        certificate.serial,
        "--reason",
        "keyCompromise",
        "--invalidity-date",
        certificate.not_before.isoformat(),
        "--passphrase-file",
        str(passphrase_file),
    )
    certificate.refresh_from_db()
    assert certificate.invalidity_date == certificate.not_before
    crl = tmp_path / "sm.crl"
    crl.write_bytes(bytes(RevocationList.objects.order_by("-number").first().der))
    text = openssl("crl", "-inform", "DER", "-in", crl, "-noout", "-text").stdout
    assert "Invalidity Date" in text
    assert "Key Compromise" in text
