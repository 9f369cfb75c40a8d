"""The audit chain's hashing and verification (审计链校验), over plain records.

Pure module: no Django import, so it can be tested without a database and reused
by an offline verifier working from an exported table.

Each entry's hash is ``SM3(previous_hash || canonical encoding of its fields)``
(SM3: GB/T 32905). The canonical encoding is UTF-8 JSON of a list in a fixed
field order, with no spaces, non-ASCII characters kept as they are, and the time
in UTC with microseconds::

    [sequence, "2025-01-31T08:00:00.000000Z", actor, organisation, action,
     object_type, object_id, summary]

``previous_hash`` is the lower-case hex of the previous entry's hash, encoded as
ASCII; the first entry's previous hash is :data:`GENESIS_HASH` (64 zeros).

An edited row no longer matches its own hash; a deleted row leaves a sequence
gap and the next row's ``previous_hash`` pointing at a row that is not there; an
inserted row breaks the link to its neighbours. A hash chain alone cannot show
that rows were removed from the *end*: compare the head (``egov audit head``)
with a copy kept elsewhere for that.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.hazmat.primitives import hashes

GENESIS_HASH = "0" * 64
FIRST_SEQUENCE = 1


@dataclass(frozen=True)
class ChainFields:
    """The fields of one entry that its hash covers."""

    sequence: int
    occurred_at: datetime
    actor: str
    organisation: str
    action: str
    object_type: str
    object_id: str
    summary: str


@dataclass(frozen=True)
class ChainRecord:
    """One stored entry: its fields and the two hashes stored beside them."""

    fields: ChainFields
    previous_hash: str
    entry_hash: str


@dataclass(frozen=True)
class ChainBreak:
    """Where and how the chain is broken: the first bad entry."""

    sequence: int
    kind: str  # "sequence_gap" | "previous_hash_mismatch" | "entry_hash_mismatch"
    detail: str


@dataclass(frozen=True)
class ChainReport:
    """The outcome of walking the chain."""

    checked: int
    head_sequence: int
    head_hash: str
    first_break: ChainBreak | None

    @property
    def intact(self) -> bool:
        return self.first_break is None


def utc_timestamp(moment: datetime) -> str:
    """The canonical time: UTC, microseconds, ``Z``. Naive times are refused."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("occurred_at must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_encoding(fields: ChainFields) -> bytes:
    """The bytes the entry hash covers after the previous hash."""
    values = [
        fields.sequence,
        utc_timestamp(fields.occurred_at),
        fields.actor,
        fields.organisation,
        fields.action,
        fields.object_type,
        fields.object_id,
        fields.summary,
    ]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def entry_hash(previous_hash: str, fields: ChainFields) -> str:
    """SM3 over the previous hash and the canonical encoding, as lower-case hex."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(previous_hash.encode("ascii"))
    digest.update(canonical_encoding(fields))
    return digest.finalize().hex()


def check_link(
    record: ChainRecord, expected_sequence: int, expected_previous: str
) -> ChainBreak | None:
    """The problem with one entry, given what the entry before it says, or None."""
    sequence = record.fields.sequence
    if sequence != expected_sequence:
        return ChainBreak(
            sequence,
            "sequence_gap",
            f"expected sequence {expected_sequence}, found {sequence}: "
            "an entry was deleted or renumbered",
        )
    if record.previous_hash != expected_previous:
        return ChainBreak(
            sequence,
            "previous_hash_mismatch",
            "previous_hash does not match the preceding entry's hash: "
            "an entry was deleted or inserted before this one",
        )
    if record.entry_hash != entry_hash(record.previous_hash, record.fields):
        return ChainBreak(
            sequence,
            "entry_hash_mismatch",
            "entry_hash does not match the entry's contents: the entry was edited or forged",
        )
    return None


def verify_chain(records: Iterable[ChainRecord]) -> ChainReport:
    """Walk the records in sequence order; stop at the first break.

    Reads one record at a time, so memory stays constant whatever the length.
    """
    checked = 0
    expected_sequence = FIRST_SEQUENCE
    previous = GENESIS_HASH
    for record in records:
        problem = check_link(record, expected_sequence, previous)
        if problem is not None:
            return ChainReport(checked, expected_sequence - 1, previous, problem)
        checked += 1
        expected_sequence = record.fields.sequence + 1
        previous = record.entry_hash
    return ChainReport(checked, expected_sequence - 1, previous, None)
