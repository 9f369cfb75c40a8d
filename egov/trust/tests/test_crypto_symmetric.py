"""Symmetric sealing (SM4-GCM / AES-256-GCM) and SM4-CBC: round trips and refusals."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egov.trust.crypto import (
    DecryptionError,
    InvalidInputError,
    sm4_cbc_decrypt,
    sm4_cbc_encrypt,
    suite,
)

SUITES = [suite("sm"), suite("intl")]
IDS = ["sm", "intl"]


@pytest.mark.parametrize("s", SUITES, ids=IDS)
@settings(max_examples=25, deadline=None)
@given(data=st.binary(max_size=2048), aad=st.binary(max_size=64))
def test_seal_open_round_trip(s, data: bytes, aad: bytes) -> None:
    key = s.generate_symmetric_key()
    blob = s.seal(key, data, aad)
    assert len(blob) == 12 + len(data) + 16
    assert s.open(key, blob, aad) == data


@pytest.mark.parametrize("s", SUITES, ids=IDS)
def test_seal_uses_a_fresh_nonce_each_time(s) -> None:
    key = s.generate_symmetric_key()
    assert s.seal(key, b"same") != s.seal(key, b"same")


@pytest.mark.parametrize("s", SUITES, ids=IDS)
@pytest.mark.parametrize("position", [0, 12, -1])  # nonce, body, tag
def test_tampered_blob_is_refused(s, position: int) -> None:
    key = s.generate_symmetric_key()
    blob = bytearray(s.seal(key, b"payment order 100 CNY"))
    blob[position] ^= 0x01
    with pytest.raises(DecryptionError) as error:
        s.open(key, bytes(blob))
    assert error.value.field == "blob"


@pytest.mark.parametrize("s", SUITES, ids=IDS)
def test_wrong_key_wrong_aad_and_truncation_are_refused(s) -> None:
    key = s.generate_symmetric_key()
    blob = s.seal(key, b"data", b"case 2026-0001")
    with pytest.raises(DecryptionError):
        s.open(s.generate_symmetric_key(), blob, b"case 2026-0001")
    with pytest.raises(DecryptionError):
        s.open(key, blob, b"case 2026-0002")
    with pytest.raises(DecryptionError, match="truncated"):
        s.open(key, blob[:20], b"case 2026-0001")
    with pytest.raises(DecryptionError):
        s.open(key, blob[:-1], b"case 2026-0001")


@pytest.mark.parametrize("s", SUITES, ids=IDS)
def test_wrong_key_length_names_the_field(s) -> None:
    with pytest.raises(InvalidInputError) as error:
        s.seal(b"short", b"data")
    assert error.value.field == "key"
    assert str(s.symmetric_key_size) in error.value.reason


def test_suites_use_different_ciphers_and_key_sizes() -> None:
    sm, intl = SUITES
    assert (sm.symmetric_key_size, intl.symmetric_key_size) == (16, 32)
    key = bytes(16)
    with pytest.raises(InvalidInputError):
        intl.open(key, sm.seal(key, b"x"))


@settings(max_examples=25, deadline=None)
@given(data=st.binary(max_size=1024))
def test_sm4_cbc_round_trip(data: bytes) -> None:
    key, iv = bytes(range(16)), bytes(range(16, 32))
    ciphertext = sm4_cbc_encrypt(key, iv, data)
    assert len(ciphertext) % 16 == 0
    assert len(ciphertext) > len(data)
    assert sm4_cbc_decrypt(key, iv, ciphertext) == data


def test_sm4_cbc_refuses_bad_length_padding_and_iv() -> None:
    key, iv = bytes(range(16)), bytes(16)
    ciphertext = sm4_cbc_encrypt(key, iv, b"fifteen bytes!!")
    with pytest.raises(DecryptionError, match="multiple of 16"):
        sm4_cbc_decrypt(key, iv, ciphertext[:-1])
    with pytest.raises(DecryptionError, match="padding"):
        sm4_cbc_decrypt(bytes(16), iv, ciphertext)
    with pytest.raises(InvalidInputError) as error:
        sm4_cbc_encrypt(key, b"short iv", b"x")
    assert error.value.field == "iv"
