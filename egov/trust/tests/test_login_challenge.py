"""Certificate login by challenge–response (证书登录): sign the page's nonce, log in once.

The nonce is bound to the session and the host and used up by the first
attempt, so a replayed signature finds no challenge.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from asn1crypto import pem
from axes.models import AccessAttempt
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from egov.core.models import AuditEntry, SecurityEvent
from egov.trust.models import CertificateAuthority
from egov.trust.pki.certificates import load_certificate
from egov.trust.pki.pkcs12 import build_pfx
from egov.trust.tests.login_support import (
    challenge,
    latest_event,
    security_kinds,
    sign_nonce,
    staff_holder,
    submit,
)


@pytest.mark.parametrize("suite_name", ["sm", "intl"])
def test_signed_nonce_logs_the_staff_holder_in(
    suite_name: str, client: Client, ca_sm: CertificateAuthority, ca_intl: CertificateAuthority
) -> None:
    holder = staff_holder(suite_name)
    nonce = challenge(client)

    response = submit(client, holder.pem, sign_nonce(holder.key, nonce))

    assert response.status_code == 302
    assert response["Location"] == reverse("core:workbench")
    assert client.session["_auth_user_id"] == str(holder.user.pk)
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert (entry.action, entry.actor) == ("auth.login", holder.user.username)
    assert entry.summary == f"login via certificate (challenge) serial {holder.certificate.serial}"
    event = SecurityEvent.objects.order_by("-pk").first()
    assert (event.kind, event.user, event.detail["serial"]) == (
        "cert_login",
        holder.user,
        holder.certificate.serial,
    )
    assert not AccessAttempt.objects.exists()
    assert client.get(reverse("core:workbench")).status_code == 200


def test_nonce_names_this_host_and_changes_each_time(
    client: Client, ca_sm: CertificateAuthority
) -> None:
    first, second = challenge(client), challenge(client)

    assert first != second
    assert first.endswith("@testserver")
    assert len(first.split("@")[0]) == 32


def test_a_used_challenge_cannot_be_replayed(client: Client, ca_sm: CertificateAuthority) -> None:
    holder = staff_holder()
    nonce = challenge(client)
    good = sign_nonce(holder.key, nonce)
    assert submit(client, holder.pem, good).status_code == 302
    client.post(reverse("core:logout"))
    audit_before = AuditEntry.objects.count()
    events_before = SecurityEvent.objects.count()

    replay = submit(client, holder.pem, good)

    assert replay.status_code == 400
    assert "挑战码已失效或已使用" in replay.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.count() == audit_before
    assert security_kinds()[events_before:] == ["cert_login_failed"]
    assert latest_event().detail["field"] == "challenge"


def test_a_failed_attempt_uses_the_challenge_up(
    client: Client, ca_sm: CertificateAuthority
) -> None:
    holder = staff_holder()
    nonce = challenge(client)
    submit(client, holder.pem, sign_nonce(holder.key, "another@testserver"))

    late = submit(client, holder.pem, sign_nonce(holder.key, nonce))

    assert late.status_code == 400
    assert "_auth_user_id" not in client.session
    # The refusal page issued a new challenge: the old nonce's signature matches nothing.
    assert latest_event().detail["code"] == "bad_signature"


def test_an_expired_challenge_is_refused(
    client: Client, ca_sm: CertificateAuthority, settings: object
) -> None:
    holder = staff_holder()
    settings.EGOV_LOGIN_CHALLENGE_SECONDS = -1
    nonce = challenge(client)

    response = submit(client, holder.pem, sign_nonce(holder.key, nonce))

    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    assert "expired" in latest_event().detail["reason"]


def test_a_privileged_holder_still_needs_the_second_factor(
    client: Client, ca_sm: CertificateAuthority
) -> None:
    holder = staff_holder(username="auditor_cert", roles=("auditor",))
    nonce = challenge(client)

    response = submit(client, holder.pem, sign_nonce(holder.key, nonce))
    workbench = client.get(reverse("core:workbench"))

    assert response.status_code == 302
    assert workbench.status_code == 302
    assert workbench["Location"].startswith(reverse("core:otp_setup"))


def test_the_staff_login_page_offers_certificate_login(client: Client) -> None:
    page = client.get(reverse("core:login")).content.decode()

    assert reverse("trust:certificate_login") in page
    assert "证书登录" in page


@pytest.mark.parametrize("suite_name", ["sm", "intl"])
def test_the_helper_signs_with_the_ras_pkcs12_download(
    suite_name: str,
    client: Client,
    ca_sm: CertificateAuthority,
    ca_intl: CertificateAuthority,
    tmp_path: Path,
) -> None:
    holder = staff_holder(suite_name)
    chain = [load_certificate(holder.pem).der]
    encrypted = pem.unarmor(holder.key.to_pem(b"p12-password"))[2]
    pfx = build_pfx(encrypted_key_der=encrypted, certificate_ders=chain, password="p12-password")
    (tmp_path / "mine.p12").write_bytes(pfx)
    (tmp_path / "pass").write_text("p12-password\n")
    nonce = challenge(client)
    out = StringIO()

    call_command(
        "login_sign", "--p12", str(tmp_path / "mine.p12"), "--passphrase-file",
        str(tmp_path / "pass"), "--nonce", nonce, "--cert-out", str(tmp_path / "cert.pem"),
        stdout=out,
    )  # fmt: skip
    response = submit(client, (tmp_path / "cert.pem").read_text(), out.getvalue().strip())

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(holder.user.pk)


def test_the_helper_refuses_a_file_that_is_not_pkcs12(tmp_path: Path) -> None:
    (tmp_path / "mine.p12").write_bytes(b"\x30\x03\x02\x01\x03")

    with pytest.raises(CommandError, match="--p12: not a PKCS#12 file"):
        call_command("login_sign", "--p12", str(tmp_path / "mine.p12"), "--nonce", "n@h")
