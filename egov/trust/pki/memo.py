"""Bounded in-process memo of the pure certificate work (证书解析与签名核验缓存), no Django.

Parsing a certificate and checking its issuer's signature on it depend only on
the bytes: the same input always gives the same answer, so a process may keep
the answers. Only these two are kept, in LRUs of :data:`SIZE` entries each
(a few MB at most however many distinct certificates arrive). Nothing that can
change is memoised here: validity is checked against the moment by the caller
each time, and revocation is read from the register on every verification
(ADR 0067).
"""

from __future__ import annotations

from functools import lru_cache

from egov.trust.pki.certificates import ParsedCertificate, load_certificate

SIZE = 512


@lru_cache(maxsize=SIZE)
def parsed_certificate(data: bytes | str) -> ParsedCertificate:
    """:func:`load_certificate` of ``data`` (PEM or DER), parsed once per process.

    A refused input raises each time (exceptions are not kept).
    """
    return load_certificate(data)


@lru_cache(maxsize=SIZE)
def issued_by(certificate_der: bytes, issuer_public_key_der: bytes) -> bool:
    """True when the issuer key's signature on the certificate verifies, checked once."""
    return parsed_certificate(certificate_der).signed_by(issuer_public_key_der)


def clear() -> None:
    """Forget everything (tests, or after a key compromise drill)."""
    parsed_certificate.cache_clear()
    issued_by.cache_clear()
