"""The signature records page (签名记录): auditors see who signed what, re-verified on view."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from egov.core.models import User
from egov.trust import services, signing
from egov.trust.models import CertificateAuthority, SignatureRecord
from egov.trust.tests.test_signing_sign import PAYLOAD, holder_with_key


def sign_once() -> SignatureRecord:
    user, pem, _certificate = holder_with_key("sm")
    signing.sign(
        user=user,
        payload=PAYLOAD,
        private_key_pem=pem,
        passphrase="holder-pass",
        object_type="case",
        object_id="2026-009",
    )
    return SignatureRecord.objects.get()


def test_auditor_sees_signer_and_fresh_status(
    client: Client, auditor_province: User, ca_sm: CertificateAuthority
) -> None:
    record = sign_once()
    client.force_login(auditor_province)
    page = client.get(reverse("trust:signatures")).content.decode()
    assert record.serial in page
    assert "citizen_zhang" in page
    assert "signature-valid" in page
    services.revoke_certificate(actor="ca-officer", serial=record.serial, reason="keyCompromise")
    page = client.get(reverse("trust:signatures")).content.decode()
    assert "signature-signed_by_revoked" in page
    assert "证书已吊销" in page
    assert "密钥泄露" in page


def test_clerk_is_refused(
    client: Client, clerk_harbin_daoli: User, ca_sm: CertificateAuthority
) -> None:
    sign_once()
    client.force_login(clerk_harbin_daoli)
    assert client.get(reverse("trust:signatures")).status_code == 403
