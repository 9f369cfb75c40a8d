"""Signatures in both suites: sign/verify, and every kind of refusal is False."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egov.trust.crypto import InvalidInputError, InvalidKeyError, suite

SM = suite("sm")
INTL = suite("intl")
SUITES = [SM, INTL]
IDS = ["sm", "intl"]
KEYS = {s.name: s.generate_key() for s in SUITES}


@pytest.mark.parametrize("s", SUITES, ids=IDS)
@settings(max_examples=20, deadline=None)
@given(message=st.binary(max_size=512))
def test_sign_verify_round_trip(s, message: bytes) -> None:
    key = KEYS[s.name]
    signature = s.sign(key, message)
    assert signature[0] == 0x30  # DER SEQUENCE {r, s}
    assert s.verify(key.public_key(), message, signature)


@settings(max_examples=20, deadline=None)
@given(message=st.binary(max_size=256), signer_id=st.binary(min_size=1, max_size=64))
def test_sm2_custom_signer_id_round_trip(message: bytes, signer_id: bytes) -> None:
    key = KEYS["sm"]
    signature = SM.sign(key, message, signer_id=signer_id)
    assert SM.verify(key.public_key(), message, signature, signer_id=signer_id)
    assert not SM.verify(key.public_key(), message, signature, signer_id=signer_id + b"x")


@pytest.mark.parametrize("s", SUITES, ids=IDS)
def test_tampered_message_wrong_key_and_garbage_are_false(s) -> None:
    key = KEYS[s.name]
    signature = s.sign(key, b"approve case 2026-0001")
    assert not s.verify(key, b"approve case 2026-0002", signature)
    assert not s.verify(s.generate_key().public_key(), b"approve case 2026-0001", signature)
    flipped = bytearray(signature)
    flipped[-1] ^= 0x01
    assert not s.verify(key, b"approve case 2026-0001", bytes(flipped))
    for garbage in (b"", b"\x30", signature[:-3], b"\x30\x06\x02\x01\x00\x02\x01\x00"):
        assert not s.verify(key, b"approve case 2026-0001", garbage)


def test_sm2_default_id_is_the_gm_t_0009_one() -> None:
    key = KEYS["sm"]
    signature = SM.sign(key, b"m")
    assert SM.verify(key, b"m", signature, signer_id=b"1234567812345678")
    assert not SM.verify(key, b"m", signature, signer_id=b"1234567812345679")


def test_sm2_signatures_are_randomised() -> None:
    key = KEYS["sm"]
    assert SM.sign(key, b"m") != SM.sign(key, b"m")


def test_bad_signer_id_names_the_field() -> None:
    for bad in (b"", b"x" * 8192):
        with pytest.raises(InvalidInputError) as error:
            SM.sign(KEYS["sm"], b"m", signer_id=bad)
        assert error.value.field == "signer_id"


def test_keys_of_the_other_suite_are_refused() -> None:
    with pytest.raises(InvalidKeyError, match="'sm' suite"):
        SM.sign(KEYS["intl"], b"m")
    with pytest.raises(InvalidKeyError, match="'intl' suite"):
        INTL.verify(KEYS["sm"].public_key(), b"m", b"\x30\x00")
    with pytest.raises(InvalidKeyError) as error:
        SM.sign(KEYS["sm"].public_key(), b"m")  # a public key cannot sign
    assert error.value.field == "private_key"


def test_message_must_be_bytes() -> None:
    with pytest.raises(InvalidInputError) as error:
        SM.sign(KEYS["sm"], "text")  # type: ignore[arg-type]
    assert error.value.field == "data"
