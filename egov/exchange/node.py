"""This platform's identity on the exchange (本节点身份): its key and system certificate.

The node signs receipts with the key in ``EGOV_EXCHANGE_NODE_DIR/key.pem``
whose system certificate is ``cert.pem`` there; ``egov ca issue --kind system
--subject "CN=<node code>,..." --out <dir>`` makes both. Read on each use (a
stat of the two files), so a renewed certificate takes effect without a
restart; the parsed pair is cached per version of the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
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


def file_versions(directory: Path) -> tuple[tuple[int, int], ...]:
    """(modification time, size) of key.pem and cert.pem: a new pair makes a new identity."""
    stats = [(directory / name).stat() for name in ("key.pem", "cert.pem")]
    return tuple((s.st_mtime_ns, s.st_size) for s in stats)


@lru_cache(maxsize=4)
def read_identity(code: str, directory: Path, versions: object) -> NodeIdentity:
    """Parse the pair once per version of the files (a few ms each time otherwise)."""
    key = load_key((directory / "key.pem").read_bytes())
    certificate = load_certificate((directory / "cert.pem").read_bytes())
    if certificate.public_key_der != key.public_key().to_der():
        raise ExchangeError(ErrorCode.NODE_NOT_CONFIGURED, "node", "key.pem is not cert.pem's key")
    return NodeIdentity(code=code, key=key, certificate=certificate)


def node_identity() -> NodeIdentity:
    """The node's key and certificate; ``node_not_configured`` when missing or mismatched."""
    directory = Path(settings.EGOV_EXCHANGE_NODE_DIR)
    try:
        return read_identity(node_code(), directory, file_versions(directory))
    except (OSError, TrustError):
        raise ExchangeError(
            ErrorCode.NODE_NOT_CONFIGURED,
            "node",
            f"no usable key.pem and cert.pem in {directory} (egov ca issue --kind system)",
        ) from None
    except ExchangeError as exc:
        raise ExchangeError(ErrorCode.NODE_NOT_CONFIGURED, "node", exc.reason) from None
