"""Batch hash trees (批量哈希树) follow RFC 9162: roots, proofs, and tampering caught.

Pure: no database. The reference below is RFC 9162 section 2.1.1's recursive
definition of the Merkle tree hash, computed the slow way.
"""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egov.trust.crypto import suite
from egov.trust.errors import TrustError
from egov.trust.tsa.merkle import HashTree, InclusionProof, root_from_proof, verify_inclusion


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def reference_root(entries: list[bytes], h=sha256) -> bytes:
    """MTH(D[n]) of RFC 9162 2.1.1: split at the largest power of two below n."""
    if len(entries) == 1:
        return h(b"\x00" + entries[0])
    k = 1
    while k * 2 < len(entries):
        k *= 2
    return h(b"\x01" + reference_root(entries[:k], h) + reference_root(entries[k:], h))


def entries(n: int) -> list[bytes]:
    return [sha256(f"message log entry {i}".encode()) for i in range(n)]


@pytest.mark.parametrize("size", [*range(1, 20), 31, 32, 33, 100, 257])
def test_root_is_rfc_9162_tree_hash_and_every_proof_verifies(size: int) -> None:
    batch = entries(size)
    tree = HashTree(batch, sha256)
    assert tree.root == reference_root(batch)
    for index, digest in enumerate(batch):
        proof = tree.proof(index)
        assert verify_inclusion(sha256, digest, proof, tree.root)


def test_known_root_of_two_leaves() -> None:
    """Worked by hand: H(0x01 || H(0x00||a) || H(0x00||b))."""
    a, b = b"a" * 32, b"b" * 32
    expected = sha256(b"\x01" + sha256(b"\x00" + a) + sha256(b"\x00" + b))
    assert HashTree([a, b], sha256).root == expected
    assert HashTree([a, b], sha256).proof(0).path == (sha256(b"\x00" + b),)


def test_a_tampered_entry_fails() -> None:
    batch = entries(13)
    tree = HashTree(batch, sha256)
    forged = sha256(b"message log entry 5, altered")
    assert not verify_inclusion(sha256, forged, tree.proof(5), tree.root)


def test_a_proof_of_another_entry_or_place_fails() -> None:
    batch = entries(13)
    tree = HashTree(batch, sha256)
    assert not verify_inclusion(sha256, batch[4], tree.proof(5), tree.root)
    moved = InclusionProof(index=6, size=13, path=tree.proof(5).path)
    assert not verify_inclusion(sha256, batch[5], moved, tree.root)
    # The size shapes the path; a size the index does not fit in is refused outright.
    shrunk = InclusionProof(index=5, size=4, path=tree.proof(5).path)
    assert not verify_inclusion(sha256, batch[5], shrunk, tree.root)


def test_an_entry_of_another_batch_fails() -> None:
    first, second = HashTree(entries(8), sha256), HashTree(entries(9), sha256)
    assert not verify_inclusion(sha256, entries(8)[3], first.proof(3), second.root)


def test_ill_formed_proofs_are_refused_not_crashing() -> None:
    digest = entries(1)[0]
    assert root_from_proof(sha256, digest, InclusionProof(index=3, size=2, path=())) is None
    assert root_from_proof(sha256, digest, InclusionProof(index=0, size=1, path=(b"x",))) is None
    assert root_from_proof(sha256, digest, InclusionProof(index=0, size=4, path=())) is None


def test_national_suite_trees_use_sm3() -> None:
    sm3 = suite("sm").digest
    batch = entries(7)
    tree = HashTree(batch, sm3)
    assert tree.root == reference_root(batch, sm3)
    assert tree.root != HashTree(batch, sha256).root
    assert all(verify_inclusion(sm3, d, tree.proof(i), tree.root) for i, d in enumerate(batch))


def test_proof_round_trips_through_json_form() -> None:
    tree = HashTree(entries(5), sha256)
    proof = tree.proof(4)
    assert InclusionProof.from_dict(proof.as_dict()) == proof
    with pytest.raises(TrustError) as refused:
        InclusionProof.from_dict({"index": 0, "size": 1, "path": ["zz"]})
    assert refused.value.field == "proof"


def test_empty_batch_is_refused() -> None:
    with pytest.raises(TrustError) as refused:
        HashTree([], sha256)
    assert refused.value.field == "entries"


@given(st.lists(st.binary(min_size=32, max_size=32), min_size=1, max_size=70), st.data())
def test_any_batch_proves_each_entry_and_only_it(batch: list[bytes], data: st.DataObject) -> None:
    tree = HashTree(batch, sha256)
    assert tree.root == reference_root(batch)
    index = data.draw(st.integers(0, len(batch) - 1))
    assert verify_inclusion(sha256, batch[index], tree.proof(index), tree.root)
    other = data.draw(st.binary(min_size=32, max_size=32))
    if other != batch[index]:
        assert not verify_inclusion(sha256, other, tree.proof(index), tree.root)
