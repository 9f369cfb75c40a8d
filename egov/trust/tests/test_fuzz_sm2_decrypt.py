"""Hypothesis fuzzing of public-key decryption (解密): the plaintext, or a clear error.

SM2 (GB/T 32918.4, C1C3C2) and the P-256 scheme are given ciphertexts cut
short, with bytes changed or inserted, made-up bytes, another holder's key and
a key of the other suite. Each answer is the original plaintext or a
``CryptoError`` naming the field: never another exception, never other bytes.
No database.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from egov.trust.crypto import CryptoError, DecryptionError, InvalidKeyError, suite

FUZZ = settings(max_examples=60, deadline=None)
SM, INTL = suite("sm"), suite("intl")
KEY = {"sm": SM.generate_key(), "intl": INTL.generate_key()}
OTHER_KEY = {"sm": SM.generate_key(), "intl": INTL.generate_key()}
MESSAGE = "230102197501011234 张三 居民身份证号".encode()
CIPHERTEXT = {name: suite(name).encrypt(KEY[name].public_key(), MESSAGE) for name in KEY}
SUITE_NAMES = st.sampled_from(["sm", "intl"])


def decrypt_or_refuse(name: str, key: object, ciphertext: object) -> bytes | CryptoError:
    """The plaintext, or the CryptoError that names its field."""
    refusal: CryptoError | None = None
    try:
        return suite(name).decrypt(key, ciphertext)  # type: ignore[arg-type]
    except CryptoError as exc:
        refusal = exc
    assert refusal.field in ("ciphertext", "private_key")
    assert refusal.reason
    return refusal


@FUZZ
@given(name=SUITE_NAMES, cut=st.integers(min_value=0, max_value=100_000))
def test_truncated_ciphertext_is_refused(name: str, cut: int) -> None:
    ciphertext = CIPHERTEXT[name]
    outcome = decrypt_or_refuse(name, KEY[name], ciphertext[: cut % len(ciphertext)])
    assert isinstance(outcome, DecryptionError)
    assert outcome.field == "ciphertext"


@FUZZ
@given(
    name=SUITE_NAMES,
    position=st.integers(min_value=0, max_value=100_000),
    flip=st.integers(min_value=1, max_value=255),
)
def test_changed_byte_is_refused(name: str, position: int, flip: int) -> None:
    data = bytearray(CIPHERTEXT[name])
    data[position % len(data)] ^= flip
    outcome = decrypt_or_refuse(name, KEY[name], bytes(data))
    # a change the DER reader cannot see (none known) may only give back the message itself
    assert outcome == MESSAGE or isinstance(outcome, DecryptionError)


@FUZZ
@given(
    name=SUITE_NAMES,
    position=st.integers(min_value=0, max_value=100_000),
    junk=st.binary(min_size=1, max_size=16),
)
def test_inserted_bytes_are_refused(name: str, position: int, junk: bytes) -> None:
    ciphertext = CIPHERTEXT[name]
    at = position % len(ciphertext)
    outcome = decrypt_or_refuse(name, KEY[name], ciphertext[:at] + junk + ciphertext[at:])
    assert outcome == MESSAGE or isinstance(outcome, DecryptionError)


@FUZZ
@given(name=SUITE_NAMES, data=st.binary(max_size=400))
def test_made_up_ciphertext_is_refused(name: str, data: bytes) -> None:
    assert isinstance(decrypt_or_refuse(name, KEY[name], data), DecryptionError)


@FUZZ
@given(name=SUITE_NAMES, message=st.binary(min_size=1, max_size=300))
def test_another_holders_key_is_refused(name: str, message: bytes) -> None:
    crypto = suite(name)
    ciphertext = crypto.encrypt(KEY[name].public_key(), message)
    assert isinstance(decrypt_or_refuse(name, OTHER_KEY[name], ciphertext), DecryptionError)
    assert crypto.decrypt(KEY[name], ciphertext) == message


def test_key_of_the_other_suite_or_not_a_key_is_refused() -> None:
    for name, wrong in (("sm", KEY["intl"]), ("intl", KEY["sm"]), ("sm", b"key"), ("sm", None)):
        outcome = decrypt_or_refuse(name, wrong, CIPHERTEXT[name])
        assert isinstance(outcome, InvalidKeyError)
        assert outcome.field == "private_key"


@FUZZ
@given(data=st.one_of(st.text(max_size=50), st.integers(), st.none()))
def test_ciphertext_that_is_not_bytes_is_refused(data: object) -> None:
    for name in ("sm", "intl"):
        assert isinstance(decrypt_or_refuse(name, KEY[name], data), CryptoError)
