"""The pure keyed checks: entry MACs, checkpoints, verifying against an anchor (no database)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from egov.core import auditchain
from egov.core.auditchain import Anchor, ChainFields, ChainRecord, verify_chain

KEY = b"k" * 32
OTHER_KEY = b"o" * 32
T0 = datetime(2025, 3, 1, 8, 30, 0, 123456, tzinfo=UTC)


def build_keyed_chain(length: int, key: bytes | None = KEY) -> list[ChainRecord]:
    records = []
    previous = auditchain.GENESIS_HASH
    for n in range(1, length + 1):
        moment = T0 + timedelta(seconds=n)
        fields = ChainFields(n, moment, "system", "", "case.accepted", "", "", "")
        digest = auditchain.entry_hash(previous, fields)
        mac = auditchain.entry_mac(key, digest) if key else ""
        records.append(ChainRecord(fields, previous, digest, mac))
        previous = digest
    return records


def anchor_at(records: list[ChainRecord], sequence: int) -> Anchor:
    checkpoint = auditchain.make_checkpoint(KEY, sequence, records[sequence - 1].entry_hash, T0)
    return Anchor(KEY, newest=checkpoint, oldest=checkpoint)


def test_the_entry_mac_is_hmac_sm3_under_the_key_with_its_label() -> None:
    mac = auditchain.hmac.HMAC(KEY, auditchain.hashes.SM3())
    mac.update(b"egov-audit-entry\0" + b"ab" * 32)
    assert auditchain.entry_mac(KEY, "ab" * 32) == mac.finalize().hex()
    assert auditchain.entry_mac(OTHER_KEY, "ab" * 32) != auditchain.entry_mac(KEY, "ab" * 32)


def test_a_short_key_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        auditchain.entry_mac(b"short", "ab" * 32)


def test_a_checkpoint_survives_its_file_line_and_is_bound_to_every_field() -> None:
    checkpoint = auditchain.make_checkpoint(KEY, 7, "cd" * 32, T0)
    line = auditchain.checkpoint_line(checkpoint)
    assert line.endswith("\n")
    read = auditchain.parse_checkpoint_line(line, "kept.jsonl:1")
    assert read == replace(checkpoint, kept_in="kept.jsonl:1")
    assert auditchain.checkpoint_is_genuine(KEY, read)
    assert not auditchain.checkpoint_is_genuine(OTHER_KEY, read)
    for changed in (
        replace(read, sequence=6),
        replace(read, head_hash="ce" * 32),
        replace(read, taken_at=T0 + timedelta(microseconds=1)),
    ):
        assert not auditchain.checkpoint_is_genuine(KEY, changed)


def test_a_malformed_checkpoint_line_names_its_place() -> None:
    with pytest.raises(ValueError, match=r"kept\.jsonl:3"):
        auditchain.parse_checkpoint_line('{"sequence": "x"}', "kept.jsonl:3")


def test_without_an_anchor_only_the_hash_chain_is_checked() -> None:
    records = build_keyed_chain(3, key=None)
    report = verify_chain(records)
    assert report.intact
    assert report.unkeyed == 0


def test_a_keyed_chain_that_reaches_its_checkpoint_is_intact() -> None:
    records = build_keyed_chain(5)
    anchor = anchor_at(records, 4)
    report = verify_chain(records, anchor)
    assert report.intact
    assert report.anchored_by == anchor.newest


def test_a_chain_cut_below_its_checkpoint_is_truncated() -> None:
    records = build_keyed_chain(5)
    report = verify_chain(records[:2], anchor_at(records, 5))
    assert report.first_break is not None
    assert (report.first_break.sequence, report.first_break.kind) == (3, "truncated")
    assert "entries 3..5 were removed" in report.first_break.detail
    assert report.anchored_by is None


def test_a_wrong_mac_is_found_at_its_entry() -> None:
    records = build_keyed_chain(4)
    records[2] = replace(records[2], entry_mac=auditchain.entry_mac(OTHER_KEY, "0" * 64))
    report = verify_chain(records, Anchor(KEY))
    assert report.first_break is not None
    assert (report.first_break.sequence, report.first_break.kind) == (3, "entry_mac_mismatch")
    assert report.checked == 2


def test_forged_checkpoints_are_set_aside_and_reported() -> None:
    records = build_keyed_chain(3)
    genuine = auditchain.make_checkpoint(KEY, 3, records[2].entry_hash, T0)
    forged = auditchain.make_checkpoint(OTHER_KEY, 9, "ef" * 32, T0)
    anchor, rejected = auditchain.build_anchor(KEY, [genuine, forged])
    assert anchor.newest == genuine
    assert [(r.sequence, r.kind) for r in rejected] == [(9, "checkpoint_mac_mismatch")]
    report = auditchain.with_rejected_checkpoints(verify_chain(records, anchor), rejected)
    assert report.first_break == rejected[0]
