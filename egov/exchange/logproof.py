"""Offline proof of a message-log entry (报文日志条目的离线证明). Pure: no Django.

An entry is one message in or out with its receipt. Its digest is the suite's
hash (SM3, or SHA-256 in ``intl``) of the RFC 8785 canonical bytes of
``{"direction": "in"|"out", "envelope": ..., "receipt": ...}``; the digests of
a batch are the leaves of an RFC 9162 tree whose root an RFC 3161 token stamps
(docs/exchange.md, "Message log"). :func:`verify_evidence` checks an evidence
document as ``GET /api/v1/exchange/log/{id}/evidence`` answers it with nothing
but the CA certificates the auditor trusts.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from typing import Any

from egov.exchange.envelope import canonical
from egov.trust.crypto import suite
from egov.trust.errors import TrustError, invalid
from egov.trust.tsa.evidence import verify_entry
from egov.trust.tsa.merkle import InclusionProof
from egov.trust.tsa.protocol import VerifiedToken


def entry_digest(
    suite_name: str, direction: str, envelope: Mapping[str, Any], receipt: Mapping[str, Any]
) -> bytes:
    """The digest of one log entry: what the batch tree takes as its leaf."""
    document = {"direction": direction, "envelope": envelope, "receipt": receipt}
    return suite(suite_name).digest(canonical(document))


def _field(evidence: Mapping[str, Any], name: str, kind: type) -> Any:
    value = evidence.get(name)
    if not isinstance(value, kind):
        raise invalid(name, f"missing or not a {kind.__name__}")
    return value


def verify_evidence(evidence: Mapping[str, Any], trusted: Sequence[bytes | str]) -> VerifiedToken:
    """The verified token when the evidence's entry is in the batch its token stamps.

    Raises :class:`TrustError` naming the field: ``proof`` when the entry (say, a
    tampered envelope or receipt) is not in the batch, ``token`` when the token
    does not stamp the root or does not chain to ``trusted``.
    """
    suite_name = _field(evidence, "suite", str)
    try:
        root = bytes.fromhex(_field(evidence, "root", str))
        token = base64.b64decode(_field(evidence, "token", str), validate=True)
    except (ValueError, binascii.Error):
        raise invalid("root", "root must be hexadecimal and token base64") from None
    digest = entry_digest(
        suite_name,
        _field(evidence, "direction", str),
        _field(evidence, "envelope", dict),
        _field(evidence, "receipt", dict),
    )
    return verify_entry(
        entry_digest=digest,
        proof=InclusionProof.from_dict(evidence.get("proof")),
        root=root,
        token=token,
        suite_name=suite_name,
        trusted=trusted,
    )


__all__ = ["TrustError", "entry_digest", "verify_evidence"]
