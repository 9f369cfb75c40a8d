"""A batch of log entries, one time-stamp, and each entry proven offline (批量时间戳与包含性证明).

This is the seam the exchange message log uses: build a :class:`HashTree` over the
entries' digests, ``timestamp_root(tree.root)``, keep each entry's proof; later
``verify_inclusion(entry_digest=…, proof=…, root=…, token=…)``.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from egov.trust import selectors, services
from egov.trust.crypto import suite
from egov.trust.errors import TrustError
from egov.trust.models import TimeStampingUnit
from egov.trust.pki.cms import SHA256_OID
from egov.trust.registration import pem_blocks
from egov.trust.tests.conftest import PASSPHRASE
from egov.trust.tsa.evidence import verify_entry
from egov.trust.tsa.merkle import HashTree, InclusionProof
from egov.trust.tsa.protocol import TimeStampRequest, build_token
from egov.trust.tsa.selectors import verify_inclusion
from egov.trust.tsa.services import signing_key, timestamp_root


def batch(suite_name: str, size: int) -> list[bytes]:
    crypto = suite(suite_name)
    return [
        crypto.digest(f'{{"message_id": "m-{i}", "type": "case-event"}}'.encode())
        for i in range(size)
    ]


@pytest.mark.parametrize("suite_name", ["intl", "sm"])
def test_every_entry_of_a_stamped_batch_verifies(
    request: pytest.FixtureRequest, suite_name: str
) -> None:
    request.getfixturevalue(f"tsa_{suite_name}")
    entries = batch(suite_name, 37)
    tree = HashTree(entries, suite(suite_name).digest)
    token = timestamp_root(tree.root, suite_name=suite_name)
    for index, digest in enumerate(entries):
        proof = InclusionProof.from_dict(tree.proof(index).as_dict())  # as the log stores it
        verified = verify_inclusion(
            entry_digest=digest, proof=proof, root=tree.root, token=token, suite_name=suite_name
        )
        assert verified.digest == tree.root


def test_offline_check_needs_only_the_ca_certificates(tsa_intl: object) -> None:
    entries = batch("intl", 5)
    tree = HashTree(entries, suite("intl").digest)
    token = timestamp_root(tree.root, suite_name="intl")
    chain = pem_blocks(selectors.chain_pem("intl"))  # what an auditor keeps, with the log export
    verified = verify_entry(
        entry_digest=entries[2], proof=tree.proof(2), root=tree.root, token=token,
        suite_name="intl", trusted=chain,
    )  # fmt: skip
    assert verified.tsa_certificate.subject.startswith("CN=电子政务时间戳服务")


def test_tampered_entry_fails(tsa_sm: object) -> None:
    entries = batch("sm", 9)
    tree = HashTree(entries, suite("sm").digest)
    token = timestamp_root(tree.root, suite_name="sm")
    altered = suite("sm").digest(b'{"message_id": "m-4", "type": "case-event", "x": 1}')
    with pytest.raises(TrustError) as refused:
        verify_inclusion(
            entry_digest=altered, proof=tree.proof(4), root=tree.root, token=token, suite_name="sm"
        )
    assert refused.value.field == "proof"


def test_token_of_another_batch_fails(tsa_intl: object) -> None:
    first = HashTree(batch("intl", 4), suite("intl").digest)
    second = HashTree(batch("intl", 5), suite("intl").digest)
    token_of_second = timestamp_root(second.root, suite_name="intl")
    with pytest.raises(TrustError) as refused:
        verify_inclusion(
            entry_digest=batch("intl", 4)[0], proof=first.proof(0), root=first.root,
            token=token_of_second, suite_name="intl",
        )  # fmt: skip
    assert refused.value.field == "token"


def test_token_after_the_tsa_was_revoked_fails_and_one_before_stands(
    tsa_intl: TimeStampingUnit, time_machine: time_machine.TimeMachineFixture
) -> None:
    # Only an offset from the code's own now: the TSA was certified just before.
    time_machine.move_to(timezone.now(), tick=False)
    entries = batch("intl", 3)
    tree = HashTree(entries, suite("intl").digest)
    before = timestamp_root(tree.root, suite_name="intl")
    time_machine.shift(dt.timedelta(minutes=5))  # the revocation comes later than `before`
    services.revoke_certificate(
        actor="ca-officer", serial=tsa_intl.certificate.serial, reason="keyCompromise",
        passphrase=PASSPHRASE,
    )  # fmt: skip
    time_machine.shift(dt.timedelta(minutes=5))
    with pytest.raises(TrustError, match="revoked"):
        timestamp_root(tree.root, suite_name="intl")  # our TSA stops signing
    request = TimeStampRequest(SHA256_OID, tree.root, nonce=None, cert_req=True, policy=None)
    # Frozen at the moved clock above: made after the revocation, on whatever date the suite runs.
    after = build_token(signing_key(tsa_intl), request, serial=9, gen_time=timezone.now())
    proof = tree.proof(1)
    assert verify_inclusion(
        entry_digest=entries[1], proof=proof, root=tree.root, token=before, suite_name="intl"
    )
    with pytest.raises(TrustError) as refused:
        verify_inclusion(
            entry_digest=entries[1], proof=proof, root=tree.root, token=after, suite_name="intl"
        )
    assert refused.value.code == "revoked"
