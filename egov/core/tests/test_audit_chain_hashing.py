"""The pure chain logic: SM3 hashing, canonical encoding, verification (no database)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from egov.core import auditchain
from egov.core.auditchain import ChainFields, ChainRecord, verify_chain

T0 = datetime(2025, 3, 1, 8, 30, 0, 123456, tzinfo=UTC)


def build_chain(length: int) -> list[ChainRecord]:
    records = []
    previous = auditchain.GENESIS_HASH
    for n in range(1, length + 1):
        fields = ChainFields(
            sequence=n,
            occurred_at=T0 + timedelta(seconds=n),
            actor="clerk_harbin_daoli",
            organisation="230102-GOV",
            action="case.accepted",
            object_type="approvals.Case",
            object_id=f"HL-2025-{n:06d}",
            summary=f"受理第{n}件",
        )
        digest = auditchain.entry_hash(previous, fields)
        records.append(ChainRecord(fields=fields, previous_hash=previous, entry_hash=digest))
        previous = digest
    return records


def test_sm3_is_the_standard_sm3() -> None:
    # GB/T 32905-2016 example 1: SM3("abc").
    digest = auditchain.hashes.Hash(auditchain.hashes.SM3())
    digest.update(b"abc")
    assert digest.finalize().hex() == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )


def test_entry_hash_is_sm3_of_previous_hash_then_canonical_fields() -> None:
    fields = build_chain(1)[0].fields
    digest = auditchain.hashes.Hash(auditchain.hashes.SM3())
    digest.update(b"0" * 64)
    digest.update(
        '[1,"2025-03-01T08:30:01.123456Z","clerk_harbin_daoli","230102-GOV",'
        '"case.accepted","approvals.Case","HL-2025-000001","受理第1件"]'.encode()
    )
    assert auditchain.entry_hash(auditchain.GENESIS_HASH, fields) == digest.finalize().hex()


def test_the_same_moment_in_another_zone_hashes_the_same() -> None:
    fields = build_chain(1)[0].fields
    shanghai = replace(
        fields, occurred_at=fields.occurred_at.astimezone(timezone(timedelta(hours=8)))
    )
    assert auditchain.entry_hash("a" * 64, shanghai) == auditchain.entry_hash("a" * 64, fields)


def test_naive_times_are_refused() -> None:
    fields = replace(build_chain(1)[0].fields, occurred_at=datetime(2025, 3, 1, 8, 30))
    with pytest.raises(ValueError, match="timezone-aware"):
        auditchain.entry_hash(auditchain.GENESIS_HASH, fields)


def test_every_field_is_covered_by_the_hash() -> None:
    fields = build_chain(1)[0].fields
    original = auditchain.entry_hash(auditchain.GENESIS_HASH, fields)
    changes = {
        "sequence": 2,
        "occurred_at": fields.occurred_at + timedelta(microseconds=1),
        "actor": "someone_else",
        "organisation": "230100-GOV",
        "action": "case.rejected",
        "object_type": "approvals.Other",
        "object_id": "HL-2025-999999",
        "summary": "受理第1件。",
    }
    for name, value in changes.items():
        changed = replace(fields, **{name: value})
        assert auditchain.entry_hash(auditchain.GENESIS_HASH, changed) != original, name
    assert auditchain.entry_hash("f" * 64, fields) != original


def test_an_intact_chain_verifies_with_its_count_and_head() -> None:
    chain = build_chain(5)
    report = verify_chain(iter(chain))
    assert report.intact
    assert report.checked == 5
    assert (report.head_sequence, report.head_hash) == (5, chain[-1].entry_hash)


def test_an_empty_chain_is_intact() -> None:
    report = verify_chain([])
    assert report.intact
    assert (report.checked, report.head_hash) == (0, auditchain.GENESIS_HASH)


def test_an_edited_entry_is_found() -> None:
    chain = build_chain(5)
    chain[2] = replace(chain[2], fields=replace(chain[2].fields, summary="改过的摘要"))
    report = verify_chain(chain)
    assert report.first_break is not None
    assert (report.first_break.sequence, report.first_break.kind) == (3, "entry_hash_mismatch")
    assert report.checked == 2


def test_a_deleted_entry_is_found_as_a_sequence_gap() -> None:
    chain = build_chain(5)
    del chain[1]
    report = verify_chain(chain)
    assert report.first_break is not None
    assert (report.first_break.sequence, report.first_break.kind) == (3, "sequence_gap")
    assert "expected sequence 2" in report.first_break.detail


def test_a_deleted_and_renumbered_entry_is_found_by_its_link() -> None:
    chain = build_chain(5)
    del chain[1]
    renumbered = [chain[0]] + [
        replace(r, fields=replace(r.fields, sequence=r.fields.sequence - 1)) for r in chain[1:]
    ]
    report = verify_chain(renumbered)
    assert report.first_break is not None
    assert (report.first_break.sequence, report.first_break.kind) == (2, "previous_hash_mismatch")


def test_a_spliced_in_entry_with_its_own_valid_hash_is_found_by_the_next_link() -> None:
    chain = build_chain(4)
    # An entry for sequence 3 built correctly on entry 2, replacing the real one:
    forged_fields = replace(chain[2].fields, summary="伪造")
    forged = ChainRecord(
        forged_fields,
        chain[1].entry_hash,
        auditchain.entry_hash(chain[1].entry_hash, forged_fields),
    )
    report = verify_chain([chain[0], chain[1], forged, chain[3]])
    assert report.first_break is not None
    assert (report.first_break.sequence, report.first_break.kind) == (4, "previous_hash_mismatch")
