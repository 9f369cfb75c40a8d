"""Hypothesis fuzzing of the TSA's parsers (时间戳模糊测试): a refusal, never a traceback.

Random and mutated TimeStampReqs give a parsed request or an RFC 3161 refusal;
mutated, cut or made-up tokens and responses give a verified token naming the
same TSA and data, or a ``TrustError``.
"""

from __future__ import annotations

import contextlib
import hashlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egov.trust import selectors
from egov.trust.errors import TrustError
from egov.trust.models import TimeStampingUnit
from egov.trust.pki.cms import SHA256_OID
from egov.trust.registration import pem_blocks
from egov.trust.tsa.protocol import (
    FailInfo,
    TimeStampRefusedError,
    TimeStampRequest,
    build_request,
    parse_request,
    verify_response,
    verify_token,
)
from egov.trust.tsa.services import answer_query, timestamp_root

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
DIGEST = hashlib.sha256(b"fuzzed batch root").digest()
GOOD_QUERY = build_request(DIGEST, SHA256_OID, nonce=2**63 + 5)


def mutate(data: bytes, position: int, value: int, cut: int) -> bytes:
    position %= len(data)
    changed = data[:position] + bytes([value]) + data[position + 1 :]
    return changed[: len(changed) - cut % 8] if cut % 3 == 0 else changed


@given(st.binary(max_size=300))
def test_random_bytes_are_refused_as_rfc_3161_says(data: bytes) -> None:
    outcome: object
    try:
        outcome = parse_request(data)
    except TimeStampRefusedError as refused:
        outcome = refused.fail_info
    assert isinstance(outcome, TimeStampRequest | FailInfo)


@given(st.integers(0, 10_000), st.integers(0, 255), st.integers(0, 100))
def test_mutated_queries_parse_or_are_refused(position: int, value: int, cut: int) -> None:
    with contextlib.suppress(TimeStampRefusedError):  # a refusal is a right answer
        assert parse_request(mutate(GOOD_QUERY, position, value, cut)).digest


@pytest.mark.django_db
@FUZZ
@given(st.integers(0, 100_000), st.integers(0, 255), st.integers(0, 100))
def test_mutated_tokens_verify_only_as_themselves(
    tsa_intl: TimeStampingUnit, position: int, value: int, cut: int
) -> None:
    trusted = pem_blocks(selectors.chain_pem("intl"))
    token = timestamp_root(DIGEST, suite_name="intl")
    try:
        verified = verify_token(mutate(token, position, value, cut), digest=DIGEST, trusted=trusted)
    except TrustError:
        return
    assert verified.digest == DIGEST
    assert verified.tsa_certificate.serial_hex == tsa_intl.certificate.serial


@pytest.mark.django_db
@FUZZ
@given(st.integers(0, 100_000), st.integers(0, 255), st.integers(0, 100))
def test_mutated_responses_are_refused_or_verify(
    tsa_intl: TimeStampingUnit, position: int, value: int, cut: int
) -> None:
    trusted = pem_blocks(selectors.chain_pem("intl"))
    reply = answer_query(GOOD_QUERY, suite_name="intl")
    try:
        verified = verify_response(
            mutate(reply, position, value, cut), digest=DIGEST, nonce=2**63 + 5, trusted=trusted
        )
    except TrustError:
        return
    assert verified.nonce == 2**63 + 5
