"""Batch hash tree (批量哈希树): RFC 9162 (Certificate Transparency 2.0) Merkle trees.

Pure: no Django. The message log time-stamps a batch of entries at once: the
digests of its entries are the leaves, the tree's root is what the TSA signs,
and each entry keeps an inclusion proof (its audit path) from which anyone can
recompute the root offline.

The hashing is RFC 9162 section 2.1: a leaf is ``H(0x00 || entry digest)``, an
inner node ``H(0x01 || left || right)``; a tree of ``n`` leaves splits at the
largest power of two below ``n`` (an unpaired last node is carried up, never
duplicated, so no second entry list gives the same root). ``H`` is the
suite's hash: SM3 (national) or SHA-256 (international). pymerkle implements
the same hashing but has no SM3 (ADR 0064).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from egov.trust.errors import invalid

Hash = Callable[[bytes], bytes]
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
MAX_LEAVES = 1_000_000
MAX_PATH = 64


def leaf_hash(hash_function: Hash, entry_digest: bytes) -> bytes:
    """The leaf of one entry: ``H(0x00 || digest)``."""
    return hash_function(LEAF_PREFIX + entry_digest)


def node_hash(hash_function: Hash, left: bytes, right: bytes) -> bytes:
    """An inner node: ``H(0x01 || left || right)``."""
    return hash_function(NODE_PREFIX + left + right)


@dataclass(frozen=True)
class InclusionProof:
    """Where an entry sits in a tree and its audit path (包含性证明), leaf to root."""

    index: int
    size: int
    path: tuple[bytes, ...]

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form: ``{"index", "size", "path": [hex, ...]}``."""
        return {"index": self.index, "size": self.size, "path": [p.hex() for p in self.path]}

    @classmethod
    def from_dict(cls, data: object) -> InclusionProof:
        """Read :meth:`as_dict`'s form back; refuses anything else naming ``proof``."""
        if not isinstance(data, dict):
            raise invalid("proof", "must be an object with index, size and path")
        index, size, path = data.get("index"), data.get("size"), data.get("path")
        if not isinstance(index, int) or not isinstance(size, int) or not isinstance(path, list):
            raise invalid("proof", "index and size must be integers, path a list")
        if len(path) > MAX_PATH:
            raise invalid("proof", f"path longer than {MAX_PATH}")
        try:
            nodes = tuple(bytes.fromhex(item) for item in path)
        except (TypeError, ValueError):
            raise invalid("proof", "path items must be hexadecimal digests") from None
        return cls(index=index, size=size, path=nodes)


class HashTree:
    """The tree over a batch of entry digests: its root and every entry's proof."""

    def __init__(self, entry_digests: Sequence[bytes], hash_function: Hash) -> None:
        if not entry_digests:
            raise invalid("entries", "a batch needs at least one entry")
        if len(entry_digests) > MAX_LEAVES:
            raise invalid("entries", f"at most {MAX_LEAVES} entries in one batch")
        self._hash = hash_function
        level = [leaf_hash(hash_function, bytes(d)) for d in entry_digests]
        self._levels = [level]
        while len(level) > 1:
            level = self._parent_level(level)
            self._levels.append(level)

    def _parent_level(self, level: list[bytes]) -> list[bytes]:
        parents = [
            node_hash(self._hash, level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)
        ]
        if len(level) % 2:
            parents.append(level[-1])  # carried up unchanged (RFC 9162's split)
        return parents

    @property
    def size(self) -> int:
        return len(self._levels[0])

    @property
    def root(self) -> bytes:
        """The Merkle tree hash of the batch: what the TSA time-stamps."""
        return self._levels[-1][0]

    def proof(self, index: int) -> InclusionProof:
        """The audit path of entry ``index`` (0-based)."""
        if not 0 <= index < self.size:
            raise invalid("index", f"must be 0 to {self.size - 1}")
        path = []
        position = index
        for level in self._levels[:-1]:
            sibling = position ^ 1
            if sibling < len(level):
                path.append(level[sibling])
            position //= 2
        return InclusionProof(index=index, size=self.size, path=tuple(path))

    def proofs(self) -> list[InclusionProof]:
        return [self.proof(index) for index in range(self.size)]


def root_from_proof(
    hash_function: Hash, entry_digest: bytes, proof: InclusionProof
) -> bytes | None:
    """The root the proof leads to from ``entry_digest``, or None when the proof is ill-formed.

    RFC 9162 section 2.1.3.2, step by step.
    """
    if not 0 <= proof.index < proof.size or len(proof.path) > MAX_PATH:
        return None
    position, last = proof.index, proof.size - 1
    result = leaf_hash(hash_function, entry_digest)
    for node in proof.path:
        if last == 0:
            return None
        if position & 1 or position == last:
            result = node_hash(hash_function, node, result)
            while not position & 1 and position != 0:
                position >>= 1
                last >>= 1
        else:
            result = node_hash(hash_function, result, node)
        position >>= 1
        last >>= 1
    return result if last == 0 else None


def verify_inclusion(
    hash_function: Hash, entry_digest: bytes, proof: InclusionProof, root: bytes
) -> bool:
    """True when ``entry_digest`` is leaf ``proof.index`` of the tree whose root is ``root``."""
    computed = root_from_proof(hash_function, entry_digest, proof)
    return computed is not None and hmac.compare_digest(computed, root)
