"""Hypothesis fuzzing of the PEM/DER readers: any input gives a result or a TrustError."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egov.trust.crypto import suite
from egov.trust.errors import TrustError
from egov.trust.pki.certificates import build_certificate, ca_extensions, load_certificate
from egov.trust.pki.encoding import to_pem
from egov.trust.pki.names import parse_subject
from egov.trust.pki.requests import build_request, load_request
from egov.trust.pki.revocation import RevokedEntry, build_crl, load_crl

NOW = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)
_crypto = suite("sm")
_key = _crypto.generate_key()
_public = _crypto.public_key_der(_key)
_name = parse_subject("CN=模糊测试,C=CN")
CERTIFICATE = build_certificate(
    _crypto,
    signing_key=_key,
    serial=99,
    subject=_name,
    issuer=_name,
    public_key_der=_public,
    not_before=NOW,
    not_after=NOW + dt.timedelta(days=1),
    extensions=ca_extensions(
        _crypto, public_key_der=_public, issuer_key_der=_public, path_length=0
    ),
)
REQUEST = build_request(_crypto, _key, _name)
CRL = build_crl(
    _crypto,
    signing_key=_key,
    issuer=_name,
    issuer_key_id=b"\x01" * 20,
    number=1,
    this_update=NOW,
    next_update=NOW + dt.timedelta(days=1),
    revoked=[RevokedEntry(5, NOW, 1)],
)
READERS = [(load_certificate, CERTIFICATE), (load_request, REQUEST), (load_crl, CRL)]
FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read_or_refuse(reader: Callable[[bytes | str], object], data: bytes | str) -> None:
    """The reader returns, or refuses with a TrustError naming a field and a reason."""
    refusal: TrustError | None = None
    try:
        reader(data)
    except TrustError as exc:
        refusal = exc
    if refusal is not None:
        assert refusal.field
        assert refusal.reason


@FUZZ
@given(data=st.binary(max_size=600))
def test_random_bytes(data: bytes) -> None:
    for reader, _ in READERS:
        read_or_refuse(reader, data)


@FUZZ
@given(position=st.integers(min_value=0, max_value=10_000), byte=st.integers(0, 255))
def test_one_byte_changed(position: int, byte: int) -> None:
    for reader, valid in READERS:
        data = bytearray(valid)
        data[position % len(data)] = byte
        read_or_refuse(reader, bytes(data))


@FUZZ
@given(cut=st.integers(min_value=0, max_value=10_000))
def test_truncated(cut: int) -> None:
    for reader, valid in READERS:
        read_or_refuse(reader, valid[: cut % len(valid)])


@FUZZ
@given(body=st.text(max_size=300), label=st.sampled_from(["CERTIFICATE", "X509 CRL", "X"]))
def test_pem_armour_around_anything(body: str, label: str) -> None:
    text = f"-----BEGIN {label}-----\n{body}\n-----END {label}-----\n"
    for reader, _ in READERS:
        read_or_refuse(reader, text)


def test_valid_inputs_still_read() -> None:
    assert load_certificate(to_pem(CERTIFICATE, "CERTIFICATE")).serial == 99
    assert load_request(REQUEST).subject == "CN=模糊测试,C=CN"
    assert load_crl(CRL).revoked == {5: 1}
