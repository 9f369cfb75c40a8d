"""The public verify page (签名验证): upload a file and its .p7s, read the verdict."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from egov.core.models import AuditEntry
from egov.trust import services, signing
from egov.trust.models import CertificateAuthority, SignatureRecord
from egov.trust.pki.encoding import to_pem
from egov.trust.tests.test_signing_sign import PAYLOAD, holder_with_key


def signed() -> tuple[bytes, str]:
    user, pem, certificate = holder_with_key("sm")
    document = signing.sign(
        user=user, payload=PAYLOAD, private_key_pem=pem, passphrase="holder-pass"
    )
    return document.signature_der, certificate.serial


def upload(client: Client, payload: bytes, signature: bytes) -> object:
    return client.post(
        reverse("trust:verify"),
        {
            "payload": SimpleUploadedFile("决定书.txt", payload),
            "signature": SimpleUploadedFile("决定书.txt.p7s", signature),
        },
    )


def test_form_is_open_to_everyone(client: Client, db: None) -> None:
    page = client.get(reverse("trust:verify"))
    assert page.status_code == 200
    assert "签名验证" in page.content.decode()


@pytest.mark.parametrize("pem", [False, True])
def test_valid_signature_shows_signer_and_serial(
    client: Client, ca_sm: CertificateAuthority, pem: bool
) -> None:
    der, serial = signed()
    before = (AuditEntry.objects.count(), SignatureRecord.objects.count())
    signature = to_pem(der, "CMS").encode("ascii") if pem else der
    page = upload(client, PAYLOAD, signature)
    text = page.content.decode()
    assert page.status_code == 200
    assert "signature-valid" in text
    assert serial in text
    assert "citizen_zhang" in text
    assert (AuditEntry.objects.count(), SignatureRecord.objects.count()) == before


def test_other_file_is_invalid(client: Client, ca_sm: CertificateAuthority) -> None:
    der, _serial = signed()
    text = upload(client, b"another file", der).content.decode()
    assert "signature-invalid" in text
    assert "无效" in text
    assert "文件与签名不符" in text


def test_revoked_signer_shows_timing(
    client: Client, ca_sm: CertificateAuthority, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Clock read on purpose: an offset from the code's own now, true on any date.
    a_minute_ago = timezone.now() - dt.timedelta(minutes=1)
    with monkeypatch.context() as patch:
        patch.setattr(signing.timezone, "now", lambda: a_minute_ago)
        der, serial = signed()
    services.revoke_certificate(actor="ca-officer", serial=serial, reason="keyCompromise")
    text = upload(client, PAYLOAD, der).content.decode()
    assert "signature-signed_by_revoked" in text
    assert "签名后吊销" in text
    assert "密钥泄露" in text


def test_garbage_signature_is_a_verdict_not_an_error(client: Client, db: None) -> None:
    page = upload(client, PAYLOAD, b"this is not a signature")
    assert page.status_code == 200
    assert "signature-invalid" in page.content.decode()


def test_missing_and_empty_files_are_form_errors(client: Client, db: None) -> None:
    missing = client.post(reverse("trust:verify"), {"payload": SimpleUploadedFile("a", b"a")})
    assert missing.status_code == 400
    assert 'id="signature-errors"' in missing.content.decode()
    empty = upload(client, b"", b"x")
    assert empty.status_code == 400
    assert 'id="payload-errors"' in empty.content.decode()
    assert "空文件" in empty.content.decode()


def test_signature_over_the_limit_is_refused(client: Client, db: None) -> None:
    page = upload(client, PAYLOAD, b"0" * (256 * 1024 + 1))
    assert page.status_code == 400
    assert "文件过大" in page.content.decode()


def test_request_over_the_limit_is_refused_before_it_is_read(
    client: Client, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from egov.trust import verify_views

    monkeypatch.setattr(verify_views, "MAX_VERIFY_REQUEST", 4096)
    page = upload(client, b"x" * 8192, b"y")
    assert page.status_code == 413
    assert 'id="verify-refusal"' in page.content.decode()
