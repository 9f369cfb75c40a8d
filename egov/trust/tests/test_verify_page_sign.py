"""The sign page (文件签名): staff sign a file with their key file and download the .p7s.

The key and its passphrase are used in memory only: never written to disk,
the database, the audit chain, a log or the answer.
"""

from __future__ import annotations

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test import Client
from django.urls import reverse

from egov.core.models import AuditEntry, User
from egov.trust import services, signing
from egov.trust.crypto import suite
from egov.trust.models import Certificate, CertificateAuthority, SignatureRecord
from egov.trust.tests.conftest import PASSPHRASE

KEY_PASSPHRASE = "staff-key-pass-2026"
PAYLOAD = "关于道里区2026年度预算的请示".encode()


def staff_key(user: User, suite_name: str = "sm") -> tuple[bytes, Certificate]:
    crypto = suite(suite_name)
    key = crypto.generate_key()
    certificate = services.issue_certificate(
        actor="ca-officer",
        suite_name=suite_name,
        kind="person",
        subject=f"CN={user.username},C=CN",
        public_key_der=crypto.public_key_der(key),
        passphrase=PASSPHRASE,
        holder=user,
    )
    return key.to_pem(KEY_PASSPHRASE.encode()), certificate


def post_sign(client: Client, key_pem: bytes, passphrase: str, payload: bytes = PAYLOAD) -> object:
    return client.post(
        reverse("trust:sign"),
        {
            "payload": SimpleUploadedFile("请示.txt", payload),
            "private_key": SimpleUploadedFile("key.pem", key_pem),
            "passphrase": passphrase,
        },
    )


def written() -> tuple[int, int]:
    return AuditEntry.objects.filter(action="trust.signed").count(), SignatureRecord.objects.count()


def test_staff_signs_and_downloads_a_p7s_that_verifies(
    client: Client, clerk_harbin_daoli: User, ca_sm: CertificateAuthority
) -> None:
    key_pem, certificate = staff_key(clerk_harbin_daoli)
    client.force_login(clerk_harbin_daoli)
    assert "文件签名" in client.get(reverse("trust:sign")).content.decode()
    response = post_sign(client, key_pem, KEY_PASSPHRASE)
    assert response.status_code == 200, response.content.decode()[-2000:]
    assert response["Content-Type"] == "application/pkcs7-signature"
    assert "attachment" in response["Content-Disposition"]
    assert ".p7s" in response["Content-Disposition"]
    result = signing.verify(payload=PAYLOAD, signature_der=response.content)
    assert (result.status, result.serial) == ("valid", certificate.serial)
    record = SignatureRecord.objects.get()
    assert (record.signer, record.object_type, record.object_id) == (
        clerk_harbin_daoli,
        "file",
        "请示.txt",
    )


def test_key_and_passphrase_are_never_kept_or_logged(
    client: Client,
    clerk_harbin_daoli: User,
    ca_sm: CertificateAuthority,
    caplog: pytest.LogCaptureFixture,
) -> None:
    key_pem, _certificate = staff_key(clerk_harbin_daoli)
    client.force_login(clerk_harbin_daoli)
    with caplog.at_level(logging.DEBUG):
        response = post_sign(client, key_pem, KEY_PASSPHRASE)
        refused = post_sign(client, key_pem, "wrong passphrase")
    assert response.status_code == 200
    assert refused.status_code == 400
    secrets = [KEY_PASSPHRASE, "PRIVATE KEY", key_pem.decode().splitlines()[1]]
    for secret in secrets:
        assert secret not in caplog.text
        assert secret not in refused.content.decode()
        assert not AuditEntry.objects.filter(summary__contains=secret).exists()
    assert KEY_PASSPHRASE.encode() not in response.content


def test_upload_never_goes_to_a_temporary_file(
    client: Client,
    clerk_harbin_daoli: User,
    ca_sm: CertificateAuthority,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_disk(*args: object, **kwargs: object) -> None:
        raise AssertionError("an upload of the sign page went to a temporary file")

    monkeypatch.setattr(TemporaryFileUploadHandler, "new_file", no_disk)
    key_pem, certificate = staff_key(clerk_harbin_daoli)
    client.force_login(clerk_harbin_daoli)
    big = PAYLOAD * (3 * 1024 * 1024 // len(PAYLOAD) + 1)  # over Django's 2.5 MB in memory
    response = post_sign(client, key_pem, KEY_PASSPHRASE, payload=big)
    assert response.status_code == 200
    assert signing.verify(payload=big, signature_der=response.content).serial == certificate.serial


def test_wrong_passphrase_or_someone_elses_key_is_refused_nothing_written(
    client: Client, clerk_harbin_daoli: User, clerk_qiqihar: User, ca_sm: CertificateAuthority
) -> None:
    own_pem, _certificate = staff_key(clerk_harbin_daoli)
    other_pem, _other = staff_key(clerk_qiqihar)
    client.force_login(clerk_harbin_daoli)
    for key_pem, passphrase in ((own_pem, "wrong"), (other_pem, KEY_PASSPHRASE), (b"junk", "")):
        page = post_sign(client, key_pem, passphrase)
        assert page.status_code == 400
        assert 'id="private_key-errors"' in page.content.decode()
        assert "私钥与您当前的有效证书不匹配" in page.content.decode()
    assert written() == (0, 0)


def test_revoked_certificate_cannot_sign(
    client: Client, clerk_harbin_daoli: User, ca_sm: CertificateAuthority
) -> None:
    key_pem, certificate = staff_key(clerk_harbin_daoli)
    services.revoke_certificate(actor="ca-officer", serial=certificate.serial, reason="superseded")
    client.force_login(clerk_harbin_daoli)
    page = post_sign(client, key_pem, KEY_PASSPHRASE)
    assert page.status_code == 400
    assert "您没有可用于签名的有效证书" in page.content.decode()
    assert written() == (0, 0)


def test_missing_file_is_a_form_error(
    client: Client, clerk_harbin_daoli: User, ca_sm: CertificateAuthority
) -> None:
    client.force_login(clerk_harbin_daoli)
    page = client.post(reverse("trust:sign"), {"passphrase": "x"})
    assert page.status_code == 400
    assert 'id="payload-errors"' in page.content.decode()
    assert written() == (0, 0)


def test_citizens_and_roleless_staff_are_refused_anonymous_sent_to_login(
    client: Client, citizen: User, staff_without_role: User, db: None
) -> None:
    assert client.get(reverse("trust:sign")).status_code == 302
    for user in (citizen, staff_without_role):
        client.force_login(user)
        assert client.get(reverse("trust:sign")).status_code == 403


def test_post_without_csrf_token_is_refused(
    clerk_harbin_daoli: User, ca_sm: CertificateAuthority
) -> None:
    key_pem, _certificate = staff_key(clerk_harbin_daoli)
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk_harbin_daoli)
    assert post_sign(client, key_pem, KEY_PASSPHRASE).status_code == 403
    assert written() == (0, 0)


def test_request_over_the_limit_is_refused_before_it_is_read(
    client: Client,
    clerk_harbin_daoli: User,
    ca_sm: CertificateAuthority,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from egov.trust import verify_views

    monkeypatch.setattr(verify_views, "MAX_SIGN_REQUEST", 4096)
    key_pem, _certificate = staff_key(clerk_harbin_daoli)
    client.force_login(clerk_harbin_daoli)
    page = post_sign(client, key_pem, KEY_PASSPHRASE, payload=b"x" * 8192)
    assert page.status_code == 413
    assert "文件过大" in page.content.decode()
    assert written() == (0, 0)


def test_with_csrf_enforced_the_key_is_still_read_in_memory_only(
    clerk_harbin_daoli: User, ca_sm: CertificateAuthority, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CSRF is checked after the in-memory handler is installed, not by the middleware before."""

    def no_disk(*args: object, **kwargs: object) -> None:
        raise AssertionError("an upload of the sign page went to a temporary file")

    monkeypatch.setattr(TemporaryFileUploadHandler, "new_file", no_disk)
    key_pem, certificate = staff_key(clerk_harbin_daoli)
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk_harbin_daoli)
    client.get(reverse("trust:sign"))
    big = PAYLOAD * (3 * 1024 * 1024 // len(PAYLOAD) + 1)
    response = client.post(
        reverse("trust:sign"),
        {
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
            "payload": SimpleUploadedFile("请示.txt", big),
            "private_key": SimpleUploadedFile("key.pem", key_pem),
            "passphrase": KEY_PASSPHRASE,
        },
    )
    assert response.status_code == 200
    assert signing.verify(payload=big, signature_der=response.content).serial == certificate.serial
