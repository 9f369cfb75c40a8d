"""Offline proof that a log entry existed at a time (离线验证): proof + root + token.

Pure: no Django. An entry of a batch is proven by its digest, its inclusion
proof in the batch's hash tree, the tree's root and the time-stamp token over
that root. :func:`verify_entry` checks all of it with nothing but the CA
certificates the verifier trusts.
"""

from __future__ import annotations

from collections.abc import Sequence

from egov.trust.crypto import suite
from egov.trust.errors import ErrorCode, TrustError
from egov.trust.pki.cms import DIGEST_OIDS
from egov.trust.tsa.merkle import InclusionProof, verify_inclusion
from egov.trust.tsa.protocol import VerifiedToken, verify_token


def verify_entry(
    *,
    entry_digest: bytes,
    proof: InclusionProof,
    root: bytes,
    token: bytes,
    suite_name: str,
    trusted: Sequence[bytes | str],
) -> VerifiedToken:
    """The verified token when ``entry_digest`` is in the tree of ``root`` that ``token`` stamps.

    Refuses with :class:`TrustError`: ``proof`` when the entry (or its proof) does
    not lead to ``root``, ``token`` when the token does not stamp ``root`` or fails.
    """
    crypto = suite(suite_name)
    if not verify_inclusion(crypto.digest, entry_digest, proof, root):
        raise TrustError(
            ErrorCode.BAD_SIGNATURE, "proof", "the entry is not in the time-stamped batch"
        )
    return verify_token(token, digest=root, hash_oid=DIGEST_OIDS[crypto.name], trusted=trusted)
