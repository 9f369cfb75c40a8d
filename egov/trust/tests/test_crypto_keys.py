"""Key generation and serialisation: PKCS#8 / SubjectPublicKeyInfo, PEM and DER."""

from __future__ import annotations

import pytest

from egov.trust.crypto import InvalidInputError, InvalidKeyError, suite

SM = suite("sm")
INTL = suite("intl")
SUITES = [SM, INTL]
IDS = ["sm", "intl"]


@pytest.mark.parametrize("s", SUITES, ids=IDS)
def test_pem_and_der_round_trips_keep_the_key(s) -> None:
    key = s.generate_key()
    pem = s.private_key_to_pem(key)
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    again = s.load_private_key_pem(pem)
    assert again.public_key() == key.public_key()
    assert s.verify(key.public_key(), b"m", s.sign(again, b"m"))
    assert s.load_private_key_der(key.to_der()).public_key() == key.public_key()
    public_pem = s.public_key_pem(key)
    assert public_pem.startswith(b"-----BEGIN PUBLIC KEY-----")
    assert s.load_public_key_pem(public_pem) == key.public_key()
    assert s.load_public_key_der(s.public_key_der(key)) == key.public_key()


def test_sm2_keys_carry_the_sm2_curve_oid() -> None:
    der = SM.generate_key().public_key().to_der()
    sm2_curve = bytes.fromhex("06082a811ccf5501822d")  # OID 1.2.156.10197.1.301
    assert sm2_curve in der
    assert len(der) == 91  # SEQUENCE { algorithm, BIT STRING { 04 || x || y } }
    assert der[-65] == 0x04


@pytest.mark.parametrize("s", SUITES, ids=IDS)
def test_encrypted_pem_needs_the_right_password(s) -> None:
    key = s.generate_key()
    pem = s.private_key_to_pem(key, password=b"pass word")
    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert s.load_private_key_pem(pem, b"pass word").public_key() == key.public_key()
    with pytest.raises(InvalidKeyError) as missing:
        s.load_private_key_pem(pem)
    assert missing.value.field == "password"
    with pytest.raises(InvalidKeyError) as wrong:
        s.load_private_key_pem(pem, b"wrong")
    assert wrong.value.field == "password"


@pytest.mark.parametrize("s", SUITES, ids=IDS)
@pytest.mark.parametrize(
    "bad",
    [
        b"",
        b"not a key",
        b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        b"-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n",
    ],
)
def test_bad_pem_is_a_clear_error(s, bad: bytes) -> None:
    with pytest.raises(InvalidKeyError) as error:
        s.load_private_key_pem(bad)
    assert error.value.field == "private_key"
    with pytest.raises(InvalidKeyError) as public_error:
        s.load_public_key_pem(bad)
    assert public_error.value.field == "public_key"


@pytest.mark.parametrize("s", SUITES, ids=IDS)
def test_truncated_der_is_a_clear_error(s) -> None:
    key = s.generate_key()
    with pytest.raises(InvalidKeyError):
        s.load_private_key_der(key.to_der()[:-10])
    with pytest.raises(InvalidKeyError):
        s.load_public_key_der(key.public_key().to_der()[:-10])


def test_each_suite_refuses_the_other_suites_keys() -> None:
    sm_key, p256_key = SM.generate_key(), INTL.generate_key()
    with pytest.raises(InvalidKeyError, match="not an SM2 key"):
        SM.load_private_key_pem(p256_key.to_pem())
    with pytest.raises(InvalidKeyError, match="not an SM2 key"):
        SM.load_public_key_der(p256_key.public_key().to_der())
    with pytest.raises(InvalidKeyError):
        INTL.load_private_key_pem(sm_key.to_pem())
    with pytest.raises(InvalidKeyError):
        INTL.load_public_key_pem(sm_key.public_key().to_pem())


def test_sm2_password_may_not_be_empty_or_hold_nul() -> None:
    key = SM.generate_key()
    for bad in (b"", b"a\0b"):
        with pytest.raises(InvalidInputError) as error:
            key.to_pem(password=bad)
        assert error.value.field == "password"


def test_private_key_repr_shows_no_secret() -> None:
    key = SM.generate_key()
    secret_tail = key.to_der()[-40:].hex()
    assert secret_tail not in repr(key)
    assert "SM2PrivateKey" in repr(key)


def test_public_keys_compare_by_value() -> None:
    key = SM.generate_key()
    assert key.public_key() == SM.load_public_key_pem(key.public_key().to_pem())
    assert key.public_key() != SM.generate_key().public_key()
    assert len({key.public_key(), SM.load_public_key_der(key.public_key().to_der())}) == 1
