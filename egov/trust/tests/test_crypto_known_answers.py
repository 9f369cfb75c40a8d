"""Known-answer tests from the standards (标准算例): SM3, SM4, SHA-256."""

from __future__ import annotations

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from egov.trust.crypto import sm4_cbc_encrypt, suite
from egov.trust.crypto.symmetric import sha256, sm3


def test_sm3_of_abc_gb_t_32905_example_1() -> None:
    expected = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert sm3(b"abc").hex() == expected
    assert suite("sm").digest(b"abc").hex() == expected


def test_sm3_of_512_bit_message_gb_t_32905_example_2() -> None:
    expected = "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    assert sm3(b"abcd" * 16).hex() == expected


def test_sm4_single_block_gb_t_32907_example() -> None:
    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    expected = "681edf34d206965e86b3e94f536e4246"
    encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()  # noqa: S305 - the standard example is one raw block
    assert (encryptor.update(key) + encryptor.finalize()).hex() == expected
    # CBC with a zero IV: the first block is the bare block cipher; PKCS#7 adds one block.
    cbc = sm4_cbc_encrypt(key, bytes(16), key)
    assert cbc[:16].hex() == expected
    assert len(cbc) == 32


def test_sm4_one_million_rounds_gb_t_32907_example_2() -> None:
    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()  # noqa: S305 - the standard example is one raw block
    block = key
    for _ in range(1_000_000):
        block = encryptor.update(block)
    assert block.hex() == "595298c7c6fd271f0402f804c33d3f66"


def test_sha256_of_abc_fips_180_example() -> None:
    expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert sha256(b"abc").hex() == expected
    assert suite("intl").digest(b"abc").hex() == expected
