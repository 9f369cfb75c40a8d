"""Hypothesis fuzzing of issuing from a CSR (按证书申请签发): our clear error, or a certificate.

``services.issue_from_request`` is fed random bytes and text, valid requests
with one byte changed or cut short, requests signed under another SM2 signer
ID and requests whose subject was changed after signing. Every refusal is a
``TrustError`` naming the field, and writes nothing; anything issued is for the
request's own key.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from asn1crypto import algos, csr, keys
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from egov.core.models import AuditEntry
from egov.trust import services
from egov.trust.crypto import DEFAULT_SIGNER_ID, suite
from egov.trust.errors import ErrorCode, TrustError
from egov.trust.models import Certificate, CertificateAuthority
from egov.trust.pki.certificates import load_certificate
from egov.trust.pki.encoding import to_pem
from egov.trust.pki.names import parse_subject
from egov.trust.pki.requests import build_request, load_request
from egov.trust.tests.conftest import PASSPHRASE

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SUBJECT = parse_subject("CN=模糊测试申请人,O=黑龙江省人民政府,C=CN")
KEYS = {name: suite(name).generate_key() for name in ("sm", "intl")}
REQUESTS = {name: build_request(suite(name), key, SUBJECT) for name, key in KEYS.items()}


def footprint() -> tuple[int, int]:
    return Certificate.objects.count(), AuditEntry.objects.count()


def issue_or_refuse(data: bytes | str, kind: str = "person") -> TrustError | Certificate:
    """Issue from ``data``: a TrustError (nothing written) or a certificate for the CSR's key."""
    before = footprint()
    refusal: TrustError | None = None
    try:
        certificate = services.issue_from_request(
            actor="ra-officer", csr=data, kind=kind, passphrase=PASSPHRASE
        )
    except TrustError as exc:
        refusal = exc
    if refusal is not None:
        assert refusal.field
        assert refusal.reason
        assert isinstance(refusal.code, ErrorCode)
        assert footprint() == before
        return refusal
    issued_key = load_certificate(certificate.certificate_pem).public_key_der
    assert issued_key == load_request(data).public_key_der
    return certificate


def request_with(
    name: str, *, signer_id: bytes = DEFAULT_SIGNER_ID, edit: Callable | None = None
) -> bytes:
    """A request signed under ``signer_id``; ``edit`` changes the info after signing."""
    crypto = suite(name)
    info = csr.CertificationRequestInfo(
        {
            "version": "v1",
            "subject": SUBJECT,
            "subject_pk_info": keys.PublicKeyInfo.load(crypto.public_key_der(KEYS[name])),
            "attributes": [],
        }
    )
    info_der = info.dump()
    signature = (
        crypto.sign(KEYS[name], info_der, signer_id)
        if name == "sm"
        else crypto.sign(KEYS[name], info_der)
    )
    signed_info = csr.CertificationRequestInfo.load(info_der)
    if edit is not None:
        signed_info = edit(signed_info)
    return csr.CertificationRequest(
        {
            "certification_request_info": signed_info,
            "signature_algorithm": algos.SignedDigestAlgorithm(
                {"algorithm": crypto.signature_algorithm_oid}
            ),
            "signature": signature,
        }
    ).dump()


@pytest.fixture
def both_cas(ca_sm: CertificateAuthority, ca_intl: CertificateAuthority) -> None:
    """The issuing CAs of both suites."""


@FUZZ
@given(data=st.one_of(st.binary(max_size=800), st.text(max_size=400)))
def test_random_input_is_refused(both_cas: None, data: bytes | str) -> None:
    outcome = issue_or_refuse(data)
    assert isinstance(outcome, TrustError)
    assert outcome.field == "csr"


@FUZZ
@given(
    name=st.sampled_from(["sm", "intl"]),
    position=st.integers(min_value=0, max_value=10_000),
    byte=st.integers(0, 255),
)
def test_one_byte_changed(both_cas: None, name: str, position: int, byte: int) -> None:
    data = bytearray(REQUESTS[name])
    assume(data[position % len(data)] != byte)
    data[position % len(data)] = byte
    issue_or_refuse(bytes(data))


@FUZZ
@given(name=st.sampled_from(["sm", "intl"]), cut=st.integers(min_value=0, max_value=10_000))
def test_truncated_der_and_pem(both_cas: None, name: str, cut: int) -> None:
    der = REQUESTS[name]
    pem = to_pem(der, "CERTIFICATE REQUEST").rstrip()  # cutting only a final newline is no cut
    for data in (der[: cut % len(der)], pem[: cut % len(pem)]):
        assert isinstance(issue_or_refuse(data), TrustError)


@FUZZ
@given(signer_id=st.binary(min_size=1, max_size=40))
def test_sm2_request_under_another_signer_id_is_a_bad_signature(
    both_cas: None, signer_id: bytes
) -> None:
    assume(signer_id != DEFAULT_SIGNER_ID)
    outcome = issue_or_refuse(request_with("sm", signer_id=signer_id))
    assert isinstance(outcome, TrustError)
    assert (outcome.code, outcome.field) == (ErrorCode.BAD_SIGNATURE, "csr")


@FUZZ
@given(name=st.sampled_from(["sm", "intl"]), common_name=st.text(min_size=1, max_size=20))
def test_subject_changed_after_signing_is_a_bad_signature(
    both_cas: None, name: str, common_name: str
) -> None:
    try:
        other = parse_subject(f"CN={common_name.replace(',', '').replace(chr(92), '')},C=CN")
    except TrustError:
        other = None
    assume(other is not None and other.dump() != SUBJECT.dump())

    def other_subject(info: csr.CertificationRequestInfo) -> csr.CertificationRequestInfo:
        info["subject"] = other
        return info

    outcome = issue_or_refuse(request_with(name, edit=other_subject))
    assert isinstance(outcome, TrustError)
    assert (outcome.code, outcome.field) == (ErrorCode.BAD_SIGNATURE, "csr")


@FUZZ
@given(kind=st.text(max_size=20))
def test_unknown_kind_is_refused_naming_kind(both_cas: None, kind: str) -> None:
    assume(kind not in ("person", "org-seal", "server", "system"))
    outcome = issue_or_refuse(REQUESTS["sm"], kind=kind)
    assert isinstance(outcome, TrustError)
    assert outcome.field == "kind"


def test_the_unfuzzed_requests_are_issued(both_cas: None) -> None:
    for name, data in REQUESTS.items():
        certificate = issue_or_refuse(data)
        assert isinstance(certificate, Certificate)
        assert certificate.suite == name
