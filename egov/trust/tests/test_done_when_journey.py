"""Issue 3's "done when", through the pages and the real command line, in one journey.

A staff member applies for a certificate with a platform-generated key, an RA
officer approves, the holder downloads the PKCS#12, logs in by certificate
with ``egov login-sign``, signs a file on the sign page, and anyone verifies it
through the API. Then the officer revokes the certificate: the next
certificate login is refused at once, and the same signature now verifies as
signed by a revoked certificate.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from egov.core.models import SecurityEvent, User
from egov.core.testing import make_staff
from egov.trust.models import Certificate, CertificateApplication
from egov.trust.tests.conftest import PASSPHRASE, openssl
from egov.trust.tests.login_support import challenge, submit

P12_PASSWORD = "journey-p12-2026"
DOCUMENT = "关于推进全省电子政务建设的通知".encode()


@pytest.fixture
def ca_passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EGOV_CA_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("EGOV_CA_PASSPHRASE_FILE", raising=False)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def apply_and_get_approved(holder: User, officer: User) -> CertificateApplication:
    form = {
        "kind": "person",
        "suite": "sm",
        "method": "generated",
        "password": P12_PASSWORD,
        "password_again": P12_PASSWORD,
    }
    response = signed_in(holder).post(reverse("trust:ra_apply"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    application = CertificateApplication.objects.get(applicant=holder)
    approve = reverse("trust:ra_approve", args=[application.number])
    response = signed_in(officer).post(approve, {"identity_check": "核验工作证原件"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "issued"
    return application


def login_sign(p12: Path, password_file: Path, nonce: str, cert_out: Path) -> str:
    """Run the real ``egov login-sign`` as the holder would, on their own machine."""
    egov = Path(sys.executable).with_name("egov")
    done = subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        [egov, "login-sign", "--p12", p12, "--passphrase-file", password_file,
         "--nonce", nonce, "--cert-out", cert_out],
        capture_output=True, text=True, check=False, timeout=120,
        env={**os.environ, "EGOV_VAR_DIR": str(p12.parent / "var")},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def certificate_login(p12: Path, password_file: Path, cert_out: Path) -> tuple[Client, int]:
    client = Client()
    nonce = challenge(client)
    signature = login_sign(p12, password_file, nonce, cert_out)
    response = submit(client, cert_out.read_text(), signature)
    return client, response.status_code


def verdict(signature: bytes) -> dict:
    body = {
        "payload": base64.b64encode(DOCUMENT).decode(),
        "signature": base64.b64encode(signature).decode(),
    }
    response = Client().post(
        "/api/v1/trust/signatures/verify", body, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.usefixtures("ca_sm", "ca_passphrase")
def test_apply_approve_download_login_sign_then_revoke(tmp_path: Path, ra_officer_province) -> None:
    holder = make_staff("clerk_journey", "230102-GOV", ["clerk"], display_name="王五")
    application = apply_and_get_approved(holder, ra_officer_province)

    download = reverse("trust:ra_pkcs12", args=[application.number])
    response = signed_in(holder).post(download, {"password": P12_PASSWORD})
    assert response.status_code == 200
    p12 = tmp_path / "mine.p12"
    p12.write_bytes(response.content)
    password_file = tmp_path / "p12-password"
    password_file.write_text(P12_PASSWORD)

    client, status = certificate_login(p12, password_file, tmp_path / "cert.pem")
    assert status == 302
    assert client.session["_auth_user_id"] == str(holder.pk)

    key_pem = openssl(
        "pkcs12", "-in", p12, "-nocerts", "-nodes", "-passin", f"pass:{P12_PASSWORD}"
    ).stdout
    upload = {
        "payload": SimpleUploadedFile("通知.txt", DOCUMENT),
        "private_key": SimpleUploadedFile("key.pem", key_pem.encode()),
    }
    response = client.post(reverse("trust:sign"), upload)
    assert response.status_code == 200, response.content.decode()[:2000]
    signature = response.content
    certificate = Certificate.objects.get(holder=holder)
    assert verdict(signature)["status"] == "valid"

    revoke = reverse("trust:ra_revoke", args=[certificate.serial])
    response = signed_in(ra_officer_province).post(revoke, {"reason": "keyCompromise"})
    assert response.status_code == 302, response.content.decode()[:2000]

    refused_before = SecurityEvent.objects.filter(kind="cert_login_failed").count()
    client, status = certificate_login(p12, password_file, tmp_path / "cert.pem")
    assert status != 302
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(kind="cert_login_failed").count() == refused_before + 1
    assert verdict(signature)["status"] == "signed_by_revoked"
