"""Hypothesis fuzzing of verification (验签): always a verdict or a clear error, never a traceback.

Signatures with bytes changed, cut short or made up, payloads changed, signers
certified by another CA (even one with our CA's name), and random bodies sent
to the verify API. A changed signature may still verify only if it names the
same signer: no mutation may make someone else the signer.
"""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from asn1crypto import x509
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from egov.core.models import AuditEntry
from egov.trust import signing
from egov.trust.crypto import suite
from egov.trust.models import CertificateAuthority, SignatureRecord
from egov.trust.pki.certificates import build_certificate, load_certificate
from egov.trust.pki.cms import build_signed_data
from egov.trust.pki.names import parse_subject
from egov.trust.tests.conftest import ISSUING_SUBJECT
from egov.trust.tests.test_signing_sign import PAYLOAD, holder_with_key

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
API_FUZZ = settings(FUZZ, max_examples=25)
STATUSES = {"valid", "invalid", "signed_by_revoked", "expired", "unknown_signer"}
FOREIGN_CA_KEY = {name: suite(name).generate_key() for name in ("sm", "intl")}


@pytest.fixture
def signed_sm(ca_sm: CertificateAuthority) -> tuple[bytes, str]:
    """A genuine SM2 signature over PAYLOAD, and its signer's serial."""
    user, pem, certificate = holder_with_key("sm")
    document = signing.sign(
        user=user, payload=PAYLOAD, private_key_pem=pem, passphrase="holder-pass"
    )
    return document.signature_der, certificate.serial


def judged(payload: object, signature: object) -> signing.VerificationResult:
    result = signing.verify(payload=payload, signature_der=signature)  # type: ignore[arg-type]
    assert result.status in STATUSES
    if result.status != "valid":
        assert result.reason
    return result


@FUZZ
@given(position=st.integers(min_value=0, max_value=100_000), byte=st.integers(0, 255))
def test_one_byte_changed_never_changes_the_signer(
    signed_sm: tuple[bytes, str], position: int, byte: int
) -> None:
    der, serial = signed_sm
    data = bytearray(der)
    assume(data[position % len(data)] != byte)
    data[position % len(data)] = byte
    result = judged(PAYLOAD, bytes(data))
    if result.status == "valid":
        assert result.serial == serial


@FUZZ
@given(cut=st.integers(min_value=0, max_value=100_000))
def test_truncated_signature_is_invalid(signed_sm: tuple[bytes, str], cut: int) -> None:
    der, _serial = signed_sm
    result = judged(PAYLOAD, der[: cut % len(der)])
    assert result.status == "invalid"
    assert result.reason.startswith("signature:")


@FUZZ
@given(
    position=st.integers(min_value=0, max_value=100_000),
    junk=st.binary(min_size=1, max_size=16),
)
def test_bytes_inserted_never_change_the_signer(
    signed_sm: tuple[bytes, str], position: int, junk: bytes
) -> None:
    der, serial = signed_sm
    at = position % len(der)
    result = judged(PAYLOAD, der[:at] + junk + der[at:])
    if result.status == "valid":
        assert result.serial == serial


@FUZZ
@given(data=st.one_of(st.binary(max_size=600), st.text(max_size=300), st.none(), st.integers()))
def test_anything_as_a_signature_is_a_verdict(db: None, data: object) -> None:
    assert judged(PAYLOAD, data).status == "invalid"


@FUZZ
@given(payload=st.binary(max_size=300))
def test_changed_payload_is_invalid(signed_sm: tuple[bytes, str], payload: bytes) -> None:
    assume(payload != PAYLOAD)
    result = judged(payload, signed_sm[0])
    assert (result.status, result.reason) == (
        "invalid",
        "message digest does not match the payload",
    )


@FUZZ
@given(
    name=st.sampled_from(["sm", "intl"]),
    serial=st.integers(min_value=1, max_value=2**127),
    issuer=st.sampled_from([ISSUING_SUBJECT, "CN=另一个CA,O=某公司,C=CN"]),
)
def test_signer_certified_by_another_ca_is_unknown(
    ca_sm: CertificateAuthority,
    ca_intl: CertificateAuthority,
    name: str,
    serial: int,
    issuer: str,
) -> None:
    crypto = suite(name)
    signer_key = crypto.generate_key()
    # Clock read on purpose: an offset from the code's own now, true on any date.
    now = timezone.now().replace(microsecond=0)
    certificate = build_certificate(
        crypto,
        signing_key=FOREIGN_CA_KEY[name],
        serial=serial,
        subject=parse_subject("CN=冒名者,C=CN"),
        issuer=parse_subject(issuer),
        public_key_der=crypto.public_key_der(signer_key),
        not_before=now - dt.timedelta(days=1),
        not_after=now + dt.timedelta(days=30),
        extensions=[],
    )
    der = build_signed_data(
        crypto,
        signing_key=signer_key,
        certificate_der=certificate,
        payload=PAYLOAD,
        signing_time=now,
    )
    before = AuditEntry.objects.count()
    result = judged(PAYLOAD, der)
    assert result.status == "unknown_signer"
    assert result.serial == load_certificate(certificate).serial_hex
    assert AuditEntry.objects.count() == before


def test_our_certificate_swapped_into_a_foreign_signature_is_invalid(
    ca_sm: CertificateAuthority,
) -> None:
    """Someone else's key, our holder's certificate: the signature does not verify."""
    ours = holder_with_key("sm", "citizen_li")[2]
    forged = build_signed_data(
        suite("sm"),
        signing_key=suite("sm").generate_key(),
        certificate_der=x509.Certificate.load(load_certificate(ours.certificate_pem).der).dump(),
        payload=PAYLOAD,
        # Clock read on purpose: an offset from the code's own now, true on any date.
        signing_time=timezone.now(),
    )
    result = judged(PAYLOAD, forged)
    assert result.status == "invalid"
    assert result.reason == "signature does not verify with the signer's certificate"


@FUZZ
@given(position=st.integers(min_value=0, max_value=100_000), byte=st.integers(0, 255))
def test_recheck_of_a_damaged_record_is_a_verdict(
    signed_sm: tuple[bytes, str], position: int, byte: int
) -> None:
    record = SignatureRecord.objects.get()
    data = bytearray(signed_sm[0])
    data[position % len(data)] = byte
    record.signature_der = bytes(data)
    result = signing.recheck(record)
    assert result.status in STATUSES
    if result.status == "valid":
        assert result.serial == signed_sm[1]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)


@API_FUZZ
@given(
    body=st.one_of(
        st.dictionaries(st.sampled_from(["payload", "signature", "x"]), JSON_VALUES, max_size=3),
        JSON_VALUES,
        st.fixed_dictionaries(
            {
                "payload": st.binary(max_size=60).map(lambda b: base64.b64encode(b).decode()),
                "signature": st.binary(max_size=200).map(lambda b: base64.b64encode(b).decode()),
            }
        ),
    )
)
def test_verify_api_answers_anything_without_a_500(db: None, body: object) -> None:
    response = Client().post(
        "/api/v1/trust/signatures/verify", body, content_type="application/json"
    )
    assert response.status_code in (200, 400, 413)
    answer = response.json()
    if response.status_code == 200:
        assert answer["status"] in STATUSES
    else:
        assert answer["code"] in ("invalid_input", "too_large")
        assert answer["errors"]


@API_FUZZ
@given(
    payload=st.one_of(st.none(), st.binary(max_size=200)),
    signature=st.one_of(st.none(), st.binary(max_size=400)),
    extra=st.dictionaries(st.sampled_from(["payload", "x"]), st.text(max_size=20), max_size=2),
)
def test_verify_files_api_answers_anything_without_a_500(
    db: None, payload: bytes | None, signature: bytes | None, extra: dict
) -> None:
    form: dict[str, object] = dict(extra)
    if payload is not None:
        form["payload"] = SimpleUploadedFile("文件.bin", payload)
    if signature is not None:
        form["signature"] = SimpleUploadedFile("文件.bin.p7s", signature)
    response = Client().post("/api/v1/trust/signatures/verify-files", form)
    assert response.status_code in (200, 400, 413)
    answer = response.json()
    if response.status_code == 200:
        assert answer["status"] == "invalid"
    else:
        assert answer["code"] in ("invalid_input", "too_large")
        assert answer["errors"]
