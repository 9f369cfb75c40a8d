"""Public-key encryption: SM2 (GB/T 32918.4, C1C3C2 ASN.1) and the P-256 ECIES-style scheme."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egov.trust.crypto import DecryptionError, InvalidInputError, InvalidKeyError, suite

SM = suite("sm")
INTL = suite("intl")
SUITES = [SM, INTL]
IDS = ["sm", "intl"]
KEYS = {s.name: s.generate_key() for s in SUITES}


@pytest.mark.parametrize("s", SUITES, ids=IDS)
@settings(max_examples=15, deadline=None)
@given(message=st.binary(min_size=1, max_size=1024))
def test_encrypt_decrypt_round_trip(s, message: bytes) -> None:
    key = KEYS[s.name]
    ciphertext = s.encrypt(key.public_key(), message)
    assert s.decrypt(key, ciphertext) == message
    assert s.encrypt(key.public_key(), message) != ciphertext  # randomised


@pytest.mark.parametrize("s", SUITES, ids=IDS)
def test_ciphertext_hides_the_message(s) -> None:
    message = "230102197501011234 张三".encode()
    assert message not in s.encrypt(KEYS[s.name].public_key(), message)


def test_sm2_ciphertext_is_asn1_c1c3c2() -> None:
    ciphertext = SM.encrypt(KEYS["sm"], b"0123456789")
    assert ciphertext[0] == 0x30
    # the last element is C2, an OCTET STRING as long as the message
    assert ciphertext[-12:-10] == b"\x04\x0a"


@pytest.mark.parametrize("s", SUITES, ids=IDS)
def test_truncated_tampered_and_foreign_ciphertexts_are_refused(s) -> None:
    key = KEYS[s.name]
    ciphertext = s.encrypt(key.public_key(), b"identity card number")
    tampered = bytearray(ciphertext)
    tampered[-1] ^= 0x01
    for bad in (ciphertext[:-1], ciphertext[:40], bytes(tampered), b"\x30\x00", b"x"):
        with pytest.raises(DecryptionError) as error:
            s.decrypt(key, bad)
        assert error.value.field == "ciphertext"
    with pytest.raises(DecryptionError):
        s.decrypt(s.generate_key(), ciphertext)


def test_sm2_refuses_empty_message_and_empty_ciphertext() -> None:
    with pytest.raises(InvalidInputError) as error:
        SM.encrypt(KEYS["sm"], b"")
    assert error.value.field == "plaintext"
    with pytest.raises(DecryptionError):
        SM.decrypt(KEYS["sm"], b"")


def test_decrypt_needs_a_private_key_of_the_suite() -> None:
    ciphertext = SM.encrypt(KEYS["sm"], b"m")
    with pytest.raises(InvalidKeyError):
        SM.decrypt(KEYS["sm"].public_key(), ciphertext)
    with pytest.raises(InvalidKeyError):
        INTL.decrypt(KEYS["sm"], ciphertext)
