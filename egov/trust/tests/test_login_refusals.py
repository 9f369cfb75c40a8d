"""Certificate login refusals (证书登录拒绝): revoked, expired, foreign, not staff, wrong key.

Each refusal leaves the visitor anonymous and writes exactly one security
event (``cert_login_failed``, with the error code): no audit entry, no session.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from egov.core.models import AuditEntry, SecurityEvent, User
from egov.core.testing import make_citizen
from egov.trust import services
from egov.trust.crypto import suite
from egov.trust.errors import TrustError
from egov.trust.models import CertificateAuthority
from egov.trust.tests.conftest import OPENSSL
from egov.trust.tests.login_support import (
    challenge,
    latest_event,
    person_certificate,
    security_kinds,
    sign_nonce,
    staff_holder,
    submit,
)


class Counts:
    """Audit entries and security events before an attempt."""

    def __init__(self) -> None:
        self.audit = AuditEntry.objects.count()
        self.events = SecurityEvent.objects.count()

    def only_a_failure_recorded(self, client: Client, code: str, holder: Any = None) -> None:
        assert "_auth_user_id" not in client.session
        assert AuditEntry.objects.count() == self.audit
        assert security_kinds()[self.events :] == ["cert_login_failed"]
        assert latest_event().detail["code"] == code
        assert latest_event().user == holder


def attempt(client: Client, pem: str, key: Any) -> Any:
    return submit(client, pem, sign_nonce(key, challenge(client)))


def test_revocation_refuses_the_next_login_at_once(
    client: Client, ca_sm: CertificateAuthority
) -> None:
    holder = staff_holder()
    assert attempt(client, holder.pem, holder.key).status_code == 302
    client.post("/logout/")
    services.revoke_certificate(
        actor="ra", serial=holder.certificate.serial, reason="keyCompromise"
    )
    counts = Counts()

    response = attempt(client, holder.pem, holder.key)

    assert response.status_code == 400
    assert "证书已吊销" in response.content.decode()
    counts.only_a_failure_recorded(client, "revoked", holder.user)
    assert latest_event().detail["serial"] == holder.certificate.serial


def test_an_expired_certificate_cannot_log_in(
    client: Client, ca_sm: CertificateAuthority, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = staff_holder().user
    # Clock read on purpose: an offset from the code's own now, true on any date.
    long_ago = timezone.now() - dt.timedelta(days=40)
    monkeypatch.setattr(services, "timezone", SimpleNamespace(now=lambda: long_ago))
    key, certificate = person_certificate("sm", holder=user, name="old", days=30)
    monkeypatch.undo()
    counts = Counts()

    response = attempt(client, certificate.certificate_pem, key)

    assert response.status_code == 400
    assert "证书已过期" in response.content.decode()
    counts.only_a_failure_recorded(client, "expired", user)


def test_a_certificate_from_another_ca_is_refused(
    client: Client, ca_intl: CertificateAuthority, tmp_path: Path
) -> None:
    staff_holder("intl")
    key = suite("intl").generate_key()
    (tmp_path / "key.pem").write_bytes(key.to_pem())
    subprocess.run(  # noqa: S603 - fixed program and arguments
        [OPENSSL, "req", "-new", "-x509", "-key", tmp_path / "key.pem", "-subj", "/CN=clerk_cert",
         "-days", "30", "-out", tmp_path / "cert.pem"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    counts = Counts()

    response = attempt(client, (tmp_path / "cert.pem").read_text(), key)

    assert response.status_code == 400
    assert "不是本平台 CA 签发的" in response.content.decode()
    counts.only_a_failure_recorded(client, "unknown_issuer")


def test_someone_elses_key_does_not_sign_for_the_certificate(
    client: Client, ca_sm: CertificateAuthority
) -> None:
    holder = staff_holder()
    counts = Counts()

    response = attempt(client, holder.pem, suite("sm").generate_key())

    assert response.status_code == 400
    assert "签名验证失败" in response.content.decode()
    counts.only_a_failure_recorded(client, "bad_signature", holder.user)


def test_a_key_of_the_other_suite_is_refused(client: Client, ca_sm: CertificateAuthority) -> None:
    holder = staff_holder()
    counts = Counts()

    attempt(client, holder.pem, suite("intl").generate_key())

    counts.only_a_failure_recorded(client, "bad_signature", holder.user)


def test_a_citizens_certificate_does_not_open_the_staff_side(
    client: Client, ca_sm: CertificateAuthority
) -> None:
    citizen = make_citizen()
    key, certificate = person_certificate("sm", holder=citizen, name="citizen")
    counts = Counts()

    attempt(client, certificate.certificate_pem, key)

    counts.only_a_failure_recorded(client, "invalid_input", citizen)
    assert latest_event().detail["reason"] == "its holder is not an active staff member"


def test_an_inactive_staff_member_cannot_log_in(
    client: Client, ca_sm: CertificateAuthority
) -> None:
    holder = staff_holder()
    User.objects.filter(pk=holder.user.pk).update(is_active=False)
    counts = Counts()

    attempt(client, holder.pem, holder.key)

    counts.only_a_failure_recorded(client, "invalid_input", holder.user)
    assert latest_event().organisation.code == "230102-GOV"


def test_a_server_certificate_is_not_a_login(client: Client, ca_sm: CertificateAuthority) -> None:
    user = staff_holder().user
    key, certificate = person_certificate("sm", holder=user, name="server", kind="system")
    counts = Counts()

    attempt(client, certificate.certificate_pem, key)

    counts.only_a_failure_recorded(client, "invalid_input", user)
    assert latest_event().detail["reason"] == "only person certificates log in"


@pytest.mark.parametrize(
    ("certificate", "signature", "code"),
    [
        ("not a certificate", "AAAA", "malformed"),
        ("", "AAAA", "invalid_input"),
        ("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "AAAA", "malformed"),
        ("CERT", "***not base64***", "malformed"),
        ("CERT", "", "invalid_input"),
    ],
)
def test_malformed_input_is_refused_with_a_reason(
    client: Client, ca_sm: CertificateAuthority, certificate: str, signature: str, code: str
) -> None:
    holder = staff_holder()
    challenge(client)
    counts = Counts()

    response = submit(client, holder.pem if certificate == "CERT" else certificate, signature)

    assert response.status_code == 400
    counts.only_a_failure_recorded(client, code, holder.user if certificate == "CERT" else None)


def test_a_revocation_is_a_security_event_of_the_holders_organisation(
    ca_sm: CertificateAuthority,
) -> None:
    holder = staff_holder()
    before = SecurityEvent.objects.count()

    services.revoke_certificate(
        actor="ra_officer_x", serial=holder.certificate.serial, reason="keyCompromise"
    )

    assert security_kinds()[before:] == ["certificate_revoked"]
    event = latest_event()
    assert (event.user, event.organisation.code) == (holder.user, "230102-GOV")
    assert event.detail == {
        "serial": holder.certificate.serial,
        "reason": "keyCompromise",
        "actor": "ra_officer_x",
    }


def test_a_refused_revocation_records_no_security_event(ca_sm: CertificateAuthority) -> None:
    holder = staff_holder()
    services.revoke_certificate(actor="ra", serial=holder.certificate.serial, reason="superseded")
    before = SecurityEvent.objects.count()

    with pytest.raises(TrustError):
        services.revoke_certificate(
            actor="ra", serial=holder.certificate.serial, reason="superseded"
        )

    assert SecurityEvent.objects.count() == before
