"""Signature records (签名记录) are re-verified from the stored digest, without the payload."""

from __future__ import annotations

from egov.trust import services, signing
from egov.trust.models import CertificateAuthority, SignatureRecord
from egov.trust.tests.test_signing_sign import PAYLOAD, holder_with_key


def signed_record() -> SignatureRecord:
    user, pem, _certificate = holder_with_key("sm")
    signing.sign(
        user=user,
        payload=PAYLOAD,
        private_key_pem=pem,
        passphrase="holder-pass",
        object_type="case",
        object_id="2026-007",
    )
    return SignatureRecord.objects.get()


def test_stored_signature_rechecks_valid(ca_sm: CertificateAuthority) -> None:
    result = signing.recheck(signed_record())
    assert result.status == "valid", result.reason


def test_recheck_sees_a_later_revocation(ca_sm: CertificateAuthority) -> None:
    record = signed_record()
    services.revoke_certificate(actor="ca-officer", serial=record.serial, reason="keyCompromise")
    result = signing.recheck(record)
    assert (result.status, result.key_compromised) == ("signed_by_revoked", True)


def test_altered_stored_digest_is_invalid(ca_sm: CertificateAuthority) -> None:
    record = signed_record()
    record.digest = "00" * 32
    result = signing.recheck(record)
    assert (result.status, result.reason) == (
        "invalid",
        "message digest does not match the payload",
    )
