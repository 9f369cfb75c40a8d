"""The envelope format alone: canonical bytes, digest, signature, receipt (no database).

The international-suite test checks an envelope the way another implementation
would from docs/exchange.md alone: RFC 8785 bytes, SHA-256 with hashlib,
ECDSA verified with ``cryptography``, no code of ours.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json

import pytest
import rfc8785
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from egov.exchange.envelope import (
    build_envelope,
    build_receipt,
    canonical,
    check_envelope,
    check_receipt,
    parse_envelope,
)
from egov.exchange.errors import ExchangeError
from egov.trust.crypto import suite
from egov.trust.pki.certificates import build_certificate
from egov.trust.pki.names import parse_subject

CREATED = dt.datetime(2026, 11, 16, 2, 0, tzinfo=dt.UTC)


def self_signed(suite_name: str, common_name: str):
    crypto = suite(suite_name)
    key = crypto.generate_key()
    name = parse_subject(f"CN={common_name},C=CN")
    der = build_certificate(
        crypto,
        signing_key=key,
        serial=1000,
        subject=name,
        issuer=name,
        public_key_der=key.public_key().to_der(),
        not_before=CREATED - dt.timedelta(days=1),
        not_after=CREATED + dt.timedelta(days=30),
        extensions=[],
    )
    return key, der


def envelope(suite_name: str = "sm", payload=None):
    key, der = self_signed(suite_name, "daoli-market")
    return (
        key,
        der,
        build_envelope(
            key=key,
            certificate=der,
            sender="daoli-market",
            recipients=["egov-platform"],
            message_type="document",
            payload=payload or {"title": "通知", "n": 1.5, "list": [3, 2, 1]},
            created=CREATED,
        ),
    )


@pytest.mark.parametrize("suite_name", ["sm", "intl"])
def test_a_built_envelope_checks(suite_name):
    _, _, document = envelope(suite_name)
    parsed = parse_envelope(json.loads(json.dumps(document)))
    check_envelope(parsed)
    assert parsed.created == CREATED
    assert document["digest"]["algorithm"] == {"sm": "sm3", "intl": "sha256"}[suite_name]


def test_canonical_bytes_are_rfc_8785():
    assert canonical({"b": [1, 2.0, 1e21], "a": "中", "c": None}) == (
        b'{"a":"\xe4\xb8\xad","b":[1,2,1e+21],"c":null}'
    )


def test_another_implementation_checks_an_international_envelope_from_the_document_alone():
    _, _, document = envelope("intl")
    payload_bytes = rfc8785.dumps(document["payload"])
    assert hashlib.sha256(payload_bytes).hexdigest() == document["digest"]["value"]
    signed = rfc8785.dumps({k: v for k, v in document.items() if k != "signature"})
    certificate = x509.load_der_x509_certificate(
        base64.b64decode(document["signature"]["certificate"])
    )
    certificate.public_key().verify(
        base64.b64decode(document["signature"]["value"]), signed, ec.ECDSA(hashes.SHA256())
    )


def test_key_order_and_spacing_do_not_matter_but_content_does():
    _, _, document = envelope()
    reordered = json.loads(json.dumps(dict(reversed(list(document.items()))), indent=3))
    check_envelope(parse_envelope(reordered))
    reordered["payload"]["n"] = 1.50001
    with pytest.raises(ExchangeError) as refused:
        check_envelope(parse_envelope(reordered))
    assert refused.value.code == "bad_signature"


def test_a_receipt_is_bound_to_the_envelope_bytes():
    _, _, document = envelope()
    node_key, node_der = self_signed("sm", "egov-platform")
    receipt = build_receipt(
        parse_envelope(document), receiver="egov-platform", received=CREATED,
        key=node_key, certificate_der=node_der,
    )  # fmt: skip
    assert check_receipt(receipt, document).der == node_der
    other = envelope()[2]
    with pytest.raises(ExchangeError) as refused:
        check_receipt(receipt, other)
    assert refused.value.code == "digest_mismatch"
    forged = dict(receipt, received="2026-11-17T00:00:00Z")
    with pytest.raises(ExchangeError) as refused:
        check_receipt(forged, document)
    assert refused.value.code == "bad_signature"


def test_a_key_that_is_not_the_certificates_is_refused_at_build():
    key, _ = self_signed("sm", "a")
    _, der = self_signed("sm", "b")
    with pytest.raises(ExchangeError) as refused:
        build_envelope(
            key=key, certificate=der, sender="aa", recipients=["bb"], message_type="document",
            payload={}, created=CREATED,
        )  # fmt: skip
    assert refused.value.field == "private_key"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.pop("id"), "id"),
        (lambda d: d.update(id="not-a-uuid"), "id"),
        (lambda d: d.update(created="2026-11-16 02:00"), "created"),
        (lambda d: d.update(recipients=[]), "recipients"),
        (lambda d: d.update(extra=1), "envelope"),
        (lambda d: d["signature"].update(certificate="@@@"), "signature.certificate"),
        (lambda d: d["signature"].update(algorithm="ecdsa-p256-sha256"), "signature.algorithm"),
    ],
)
def test_a_malformed_envelope_names_its_field(change, field):
    _, _, document = envelope()
    change(document)
    with pytest.raises(ExchangeError) as refused:
        parse_envelope(document)
    assert refused.value.code == "invalid_envelope"
    assert refused.value.field == field
