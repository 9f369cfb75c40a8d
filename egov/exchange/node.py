"""This platform's identity on the exchange (本节点身份): its key and system certificate.

The node signs receipts with the key in ``EGOV_EXCHANGE_NODE_DIR/key.pem``
whose system certificate is ``cert.pem`` there; ``egov ca issue --kind system
--subject "CN=<node code>,..." --out <dir>`` makes both. Read on each use (a
few hundred microseconds), so a renewed certificate takes effect without a
restart and nothing is held in process memory between requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from egov.exchange.envelope import load_key
from egov.exchange.errors import ErrorCode, ExchangeError
from egov.trust.crypto import PrivateKey
from egov.trust.errors import TrustError
from egov.trust.pki.certificates import ParsedCertificate, load_certificate


@dataclass(frozen=True)
class NodeIdentity:
    code: str
    key: PrivateKey
    certificate: ParsedCertificate


def node_code() -> str:
    return str(settings.EGOV_EXCHANGE_NODE_CODE)


def node_identity() -> NodeIdentity:
    """The node's key and certificate; ``node_not_configured`` when missing or mismatched."""
    directory = Path(settings.EGOV_EXCHANGE_NODE_DIR)
    try:
        key = load_key((directory / "key.pem").read_bytes())
        certificate = load_certificate((directory / "cert.pem").read_bytes())
    except (OSError, ExchangeError, TrustError):
        raise ExchangeError(
            ErrorCode.NODE_NOT_CONFIGURED,
            "node",
            f"no usable key.pem and cert.pem in {directory} (egov ca issue --kind system)",
        ) from None
    if certificate.public_key_der != key.public_key().to_der():
        raise ExchangeError(ErrorCode.NODE_NOT_CONFIGURED, "node", "key.pem is not cert.pem's key")
    return NodeIdentity(code=node_code(), key=key, certificate=certificate)
