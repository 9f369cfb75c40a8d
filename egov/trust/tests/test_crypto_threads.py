"""SM2 through libcrypto is safe to use from several threads at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from egov.trust.crypto import suite

SM = suite("sm")


def test_one_key_signs_verifies_and_decrypts_in_parallel() -> None:
    key = SM.generate_key()
    public = key.public_key()

    def work(i: int) -> bool:
        message = f"message {i}".encode()
        signature = SM.sign(key, message, signer_id=f"id-{i % 3}".encode())
        ciphertext = SM.encrypt(public, message)
        return (
            SM.verify(public, message, signature, signer_id=f"id-{i % 3}".encode())
            and not SM.verify(public, message, signature, signer_id=b"other")
            and SM.decrypt(key, ciphertext) == message
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(400)))
    assert all(results)
    assert len(results) == 400


def test_keys_generated_in_threads_are_distinct_and_usable() -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        keys = list(pool.map(lambda _: SM.generate_key(), range(40)))
    assert len({k.public_key() for k in keys}) == 40
    assert all(SM.verify(k, b"m", SM.sign(k, b"m")) for k in keys)
