"""The verify API (验签接口): a verdict with serial and signer, clear refusals, never a 500."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.test import Client

from egov.core.models import AuditEntry
from egov.trust import services, signing
from egov.trust.models import Certificate, CertificateAuthority, SignatureRecord
from egov.trust.pki.encoding import to_pem
from egov.trust.tests.test_signing_sign import PAYLOAD, holder_with_key

URL = "/api/v1/trust/signatures/verify"
FILES_URL = "/api/v1/trust/signatures/verify-files"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def signed(suite_name: str = "sm") -> tuple[bytes, Certificate]:
    user, pem, certificate = holder_with_key(suite_name)
    document = signing.sign(
        user=user, payload=PAYLOAD, private_key_pem=pem, passphrase="holder-pass"
    )
    return document.signature_der, certificate


def written() -> tuple[int, int]:
    return AuditEntry.objects.count(), SignatureRecord.objects.count()


@pytest.mark.parametrize("suite_name", ["sm", "intl"])
def test_valid_signature_names_serial_and_signer(
    client: Client, suite_name: str, ca_sm: CertificateAuthority, ca_intl: CertificateAuthority
) -> None:
    der, certificate = signed(suite_name)
    before = written()
    response = client.post(
        URL, {"payload": b64(PAYLOAD), "signature": b64(der)}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["valid"]) == ("valid", True)
    assert (body["serial"], body["subject"], body["signer"]) == (
        certificate.serial,
        certificate.subject,
        "citizen_zhang",
    )
    assert body["signed_at"] is not None
    assert written() == before  # verifying writes nothing


def test_other_payload_is_an_invalid_verdict(client: Client, ca_sm: CertificateAuthority) -> None:
    der, certificate = signed()
    body = client.post(
        URL, {"payload": b64(b"other"), "signature": b64(der)}, content_type="application/json"
    ).json()
    assert (body["status"], body["valid"], body["serial"]) == ("invalid", False, certificate.serial)
    assert body["reason"] == "message digest does not match the payload"


def test_revoked_signer_is_reported_at_once(client: Client, ca_sm: CertificateAuthority) -> None:
    der, certificate = signed()
    services.revoke_certificate(
        actor="ca-officer", serial=certificate.serial, reason="keyCompromise"
    )
    body = client.post(
        URL, {"payload": b64(PAYLOAD), "signature": b64(der)}, content_type="application/json"
    ).json()
    assert body["status"] == "signed_by_revoked"
    assert body["revocation_reason"] == "keyCompromise"
    assert body["key_compromised"] is True
    assert body["revoked_at"] is not None


def test_expired_certificate(
    client: Client, ca_sm: CertificateAuthority, monkeypatch: pytest.MonkeyPatch
) -> None:
    der, certificate = signed()
    later = certificate.not_after + dt.timedelta(days=1)
    monkeypatch.setattr(signing.timezone, "now", lambda: later)  # the API verifies "now"
    body = client.post(
        URL, {"payload": b64(PAYLOAD), "signature": b64(der)}, content_type="application/json"
    ).json()
    assert (body["status"], body["reason"]) == ("expired", "certificate not valid now")
    assert body["serial"] == certificate.serial


def test_unreadable_signature_is_an_invalid_verdict(client: Client, db: None) -> None:
    response = client.post(
        URL,
        {"payload": b64(PAYLOAD), "signature": b64(b"\x30\x03\x02\x01\x01")},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["serial"], body["signer"]) == ("invalid", "", "")
    assert body["reason"].startswith("signature:")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"payload": "not base64!", "signature": "MAA="}, "payload"),
        ({"payload": "YQ==", "signature": "%%%"}, "signature"),
        ({"payload": "", "signature": "MAA="}, "payload"),
        ({"payload": "YQ==", "signature": ""}, "signature"),
        ({"payload": "YQ=="}, "signature"),
    ],
)
def test_bad_input_is_400_naming_the_field(
    client: Client, db: None, body: dict, field: str
) -> None:
    before = written()
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 400
    answer = response.json()
    assert answer["code"] == "invalid_input"
    assert any(field in (error["field"] or "") for error in answer["errors"]), answer
    assert written() == before


def test_not_json_is_400(client: Client, db: None) -> None:
    response = client.post(URL, b"{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"
    assert response.json()["errors"] == [{"field": "body", "reason": "not JSON"}]


def test_signature_too_large_is_413(client: Client, db: None) -> None:
    body = {"payload": "YQ==", "signature": b64(b"0" * (300 * 1024))}
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert response.json()["errors"][0]["field"] == "signature"


def test_files_upload_with_pem_signature(client: Client, ca_sm: CertificateAuthority) -> None:
    der, certificate = signed()
    pem = to_pem(der, "CMS").encode("ascii")
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        FILES_URL,
        {
            "payload": SimpleUploadedFile("决定书.txt", PAYLOAD),
            "signature": SimpleUploadedFile("决定书.txt.p7s", pem),
        },
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["serial"]) == ("valid", certificate.serial)


def test_files_upload_missing_or_empty(client: Client, db: None) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    missing = client.post(FILES_URL, {"payload": SimpleUploadedFile("a.txt", b"a")})
    assert missing.status_code == 400
    assert "signature" in missing.json()["errors"][0]["field"]
    empty = client.post(
        FILES_URL,
        {"payload": SimpleUploadedFile("a.txt", b"a"), "signature": SimpleUploadedFile("s", b"")},
    )
    assert empty.status_code == 400
    assert empty.json()["errors"] == [{"field": "signature", "reason": "empty"}]


def test_body_over_the_request_limit_is_refused_not_a_500(client: Client, db: None) -> None:
    body = {"payload": b64(b"x" * (3 * 1024 * 1024)), "signature": "MAA="}
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert response.json()["errors"][0]["field"] == "body"
