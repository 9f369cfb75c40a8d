"""Pure certificate, request and CRL building and parsing (证书/CSR/CRL), no Django.

* :mod:`.names` — RFC 4514 subject strings <-> X.509 names (UTF8String, Chinese works)
* :mod:`.profiles` — kinds, key usages, policies, revocation reasons
* :mod:`.certificates` — build and parse X.509 v3 certificates
* :mod:`.requests` — PKCS#10 requests, signature checked
* :mod:`.revocation` — v2 CRLs
* :mod:`.encoding` — PEM/DER, algorithm detection, key identifiers

Every reader refuses bad input with :class:`egov.trust.errors.TrustError`.
"""
