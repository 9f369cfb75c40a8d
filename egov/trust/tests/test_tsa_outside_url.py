"""``EGOV_TSA_URL``: the platform asks a TSA over HTTP instead of its own (外部时间戳服务).

The TSA here is another egov's ``/tsa`` served on loopback by the test server;
its CA is trusted through ``EGOV_TSA_TRUSTED_CERTIFICATES``.
"""

from __future__ import annotations

import hashlib
import socket
from pathlib import Path

import pytest

from egov.trust import selectors
from egov.trust.crypto import suite
from egov.trust.errors import TrustError
from egov.trust.models import TimeStampingUnit
from egov.trust.pki.cms import SHA256_OID, SM3_OID
from egov.trust.registration import pem_blocks
from egov.trust.tsa.client import request_time_stamp
from egov.trust.tsa.merkle import HashTree
from egov.trust.tsa.selectors import verify_inclusion
from egov.trust.tsa.services import timestamp_root

ROOT = hashlib.sha256(b"batch root").digest()


def test_root_is_stamped_by_the_tsa_at_the_url(
    emptied_audit_chain_afterwards: None,
    live_server,
    tsa_intl: TimeStampingUnit,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EGOV_TSA_URL", f"{live_server.url}/tsa/intl")
    token = timestamp_root(ROOT, suite_name="intl")
    verified = request_time_stamp(
        f"{live_server.url}/tsa/intl",
        ROOT,
        SHA256_OID,
        trusted=pem_blocks(selectors.chain_pem("intl")),
    )
    assert verified.tsa_certificate.serial_hex == tsa_intl.certificate.serial
    assert token != verified.der  # two tokens, each with its own serial and nonce


def test_outside_ca_is_trusted_only_from_the_file(
    emptied_audit_chain_afterwards: None,
    live_server,
    tsa_intl: TimeStampingUnit,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """A national-suite node with no sm CA of its own uses an outside TSA of another CA."""
    entry = suite("sm").digest(b"the only entry of the batch")
    tree = HashTree([entry], suite("sm").digest)
    monkeypatch.setenv("EGOV_TSA_URL", f"{live_server.url}/tsa/intl")
    with pytest.raises(TrustError) as refused:
        timestamp_root(tree.root, suite_name="sm")
    assert refused.value.code == "unknown_issuer"
    (tmp_path / "outside-ca.pem").write_text(selectors.chain_pem("intl"), encoding="ascii")
    monkeypatch.setenv("EGOV_TSA_TRUSTED_CERTIFICATES", str(tmp_path / "outside-ca.pem"))
    token = timestamp_root(tree.root, suite_name="sm")
    verified = verify_inclusion(
        entry_digest=entry, proof=tree.proof(0), root=tree.root, token=token, suite_name="sm"
    )
    assert verified.hash_oid == SM3_OID
    assert verified.tsa_certificate.serial_hex == tsa_intl.certificate.serial


def test_tsa_that_does_not_answer_is_refused(monkeypatch: pytest.MonkeyPatch, db: None) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    monkeypatch.setenv("EGOV_TSA_URL", f"http://127.0.0.1:{port}/tsa")
    with pytest.raises(TrustError) as refused:
        timestamp_root(ROOT, suite_name="intl")
    assert refused.value.field == "tsa_url"


def test_an_answer_that_is_no_timestamp_reply_is_refused(
    emptied_audit_chain_afterwards: None, live_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EGOV_TSA_URL", f"{live_server.url}/healthz")
    with pytest.raises(TrustError) as refused:
        timestamp_root(ROOT, suite_name="intl")
    assert refused.value.field == "tsa_url"
