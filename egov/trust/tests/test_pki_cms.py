"""Detached CMS SignedData building and parsing, without a database (纯逻辑)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from asn1crypto import cms, pem, x509

from egov.trust.crypto import suite
from egov.trust.errors import TrustError
from egov.trust.pki.certificates import build_certificate
from egov.trust.pki.cms import (
    DIGEST_OIDS,
    SIGNATURE_OIDS,
    build_signed_data,
    check_payload,
    parse_signed_data,
)
from egov.trust.pki.names import parse_subject

PAYLOAD = "不予受理通知书".encode()
SIGNED_AT = dt.datetime(2026, 11, 29, 5, 30, tzinfo=dt.UTC)


def signature(suite_name: str, payload: bytes = PAYLOAD) -> bytes:
    crypto = suite(suite_name)
    key = crypto.generate_key()
    name = parse_subject("CN=王五,C=CN")
    certificate = build_certificate(
        crypto,
        signing_key=key,
        serial=0x1234,
        subject=name,
        issuer=name,
        public_key_der=crypto.public_key_der(key),
        not_before=SIGNED_AT - dt.timedelta(days=1),
        not_after=SIGNED_AT + dt.timedelta(days=1),
        extensions=[],
    )
    return build_signed_data(
        crypto,
        signing_key=key,
        certificate_der=certificate,
        payload=payload,
        signing_time=SIGNED_AT,
    )


@pytest.mark.parametrize("suite_name", ["sm", "intl"])
def test_round_trip_reads_signer_time_and_algorithms(suite_name: str) -> None:
    parsed = parse_signed_data(signature(suite_name))
    assert parsed.certificate.serial == 0x1234
    assert parsed.signing_time == SIGNED_AT
    assert parsed.digest_oid == DIGEST_OIDS[suite_name]
    assert parsed.signature_oid == SIGNATURE_OIDS[suite_name]
    assert parsed.message_digest == suite(suite_name).digest(PAYLOAD)
    assert check_payload(suite(suite_name), parsed, PAYLOAD) == ""


@pytest.mark.parametrize("suite_name", ["sm", "intl"])
def test_other_payload_is_a_digest_mismatch(suite_name: str) -> None:
    parsed = parse_signed_data(signature(suite_name))
    assert check_payload(suite(suite_name), parsed, PAYLOAD + b" ") == (
        "message digest does not match the payload"
    )


def test_signature_of_other_suite_does_not_fit() -> None:
    parsed = parse_signed_data(signature("sm"))
    assert "does not fit" in check_payload(suite("intl"), parsed, PAYLOAD)


def test_signed_attributes_are_in_der_order_and_detached() -> None:
    info = cms.ContentInfo.load(signature("intl"))
    signer = info["content"]["signer_infos"][0]
    encodings = [attribute.dump() for attribute in signer["signed_attrs"]]
    assert encodings == sorted(encodings)
    assert info["content"]["encap_content_info"]["content"].native is None


def test_attached_content_is_refused() -> None:
    info = cms.ContentInfo.load(signature("sm"))
    info["content"]["encap_content_info"]["content"] = PAYLOAD
    with pytest.raises(TrustError) as error:
        parse_signed_data(info.dump(force=True))
    assert (error.value.field, error.value.reason) == (
        "signature",
        "must be detached (no content inside)",
    )


def test_pem_is_read_and_other_labels_refused() -> None:
    der = signature("sm")
    assert parse_signed_data(pem.armor("CMS", der)).certificate.serial == 0x1234
    with pytest.raises(TrustError):
        parse_signed_data(pem.armor("CERTIFICATE", der))


def test_every_truncation_is_refused_with_a_trust_error() -> None:
    der = signature("sm")
    for end in range(0, len(der) - 1, 7):
        with pytest.raises(TrustError) as error:
            parse_signed_data(der[:end])
        assert error.value.field == "signature"


def test_certificate_instead_of_signature_is_refused() -> None:
    crypto = suite("intl")
    key = crypto.generate_key()
    name = x509.Name.build({"common_name": "x"})
    certificate = build_certificate(
        crypto,
        signing_key=key,
        serial=1,
        subject=name,
        issuer=name,
        public_key_der=crypto.public_key_der(key),
        not_before=SIGNED_AT,
        not_after=SIGNED_AT + dt.timedelta(days=1),
        extensions=[],
    )
    with pytest.raises(TrustError) as error:
        parse_signed_data(certificate)
    assert error.value.field == "signature"


def test_cms_module_imports_no_django() -> None:
    check = "import sys; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", f"import egov.trust.pki.cms; {check}"],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.stdout.strip() == "[]"
