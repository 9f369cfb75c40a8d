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
inserted row breaks the link to its neighbours.

A hash chain alone has no secret: anyone with write access can append a row
with a correct hash, or remove rows from the *end*. So each entry also carries
a keyed MAC, ``HMAC-SM3(key, "egov-audit-entry\\0" || entry_hash)``, and the
head is anchored by checkpoints (sequence, head hash, time, HMAC-SM3 over them)
kept outside the database. :func:`verify_chain`, given an :class:`Anchor`,
refuses an entry whose MAC is wrong or missing (a forgery by someone without
the key) and a chain that no longer reaches the newest checkpoint (truncation).
Entries written before the key existed carry no MAC; they are accepted only as
a prefix of the chain, before the first keyed entry and not after the oldest
checkpoint (ADR 0036).
"""

from __future__ import annotations

import hmac as stdlib_hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from cryptography.hazmat.primitives import hashes, hmac

GENESIS_HASH = "0" * 64
FIRST_SEQUENCE = 1
MIN_KEY_BYTES = 32
ENTRY_MAC_LABEL = b"egov-audit-entry\0"
CHECKPOINT_MAC_LABEL = b"egov-audit-checkpoint\0"


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
    entry_mac: str = ""  # empty: written before the audit key existed (unkeyed)


@dataclass(frozen=True)
class ChainBreak:
    """Where and how the chain is broken: the first bad entry."""

    sequence: int
    # "sequence_gap" | "previous_hash_mismatch" | "entry_hash_mismatch" | "entry_mac_missing"
    # | "entry_mac_mismatch" | "checkpoint_mismatch" | "truncated" | "checkpoint_mac_mismatch"
    kind: str
    detail: str


@dataclass(frozen=True)
class Checkpoint:
    """The head of the chain at one moment, MAC'd with the audit key (审计链锚点)."""

    sequence: int
    head_hash: str
    taken_at: datetime
    mac: str
    kept_in: str = ""  # where this copy was read from, for the report

    def describe(self) -> str:
        where = f" kept in {self.kept_in}" if self.kept_in else ""
        return f"checkpoint of {utc_timestamp(self.taken_at)} (sequence {self.sequence}){where}"


@dataclass(frozen=True)
class Anchor:
    """What a keyed verification checks the chain against.

    ``newest`` is the valid checkpoint with the highest sequence: the chain must
    still reach it, with the same hash there. ``oldest`` bounds the unkeyed
    prefix: every entry after it was written with the key.
    """

    key: bytes
    newest: Checkpoint | None = None
    oldest: Checkpoint | None = None


@dataclass(frozen=True)
class ChainReport:
    """The outcome of walking the chain."""

    checked: int
    head_sequence: int
    head_hash: str
    first_break: ChainBreak | None
    unkeyed: int = 0  # entries 1..unkeyed carry no MAC (written before the key existed)
    anchored_by: Checkpoint | None = None  # the checkpoint the chain was found to reach

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


def keyed_mac(key: bytes, label: bytes, message: bytes) -> str:
    """HMAC-SM3 of ``label || message`` under ``key``, as lower-case hex."""
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"the audit key must have at least {MIN_KEY_BYTES} bytes")
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(label + message)
    return mac.finalize().hex()


def entry_mac(key: bytes, entry_hash: str) -> str:
    """The entry's MAC: it covers the entry hash, which covers everything else."""
    return keyed_mac(key, ENTRY_MAC_LABEL, entry_hash.encode("ascii"))


def checkpoint_encoding(sequence: int, head_hash: str, taken_at: datetime) -> bytes:
    """The bytes a checkpoint's MAC covers: compact JSON, as the entries' encoding."""
    values = [sequence, head_hash, utc_timestamp(taken_at)]
    return json.dumps(values, separators=(",", ":")).encode("ascii")


def make_checkpoint(key: bytes, sequence: int, head_hash: str, taken_at: datetime) -> Checkpoint:
    """A checkpoint of the head ``sequence``/``head_hash`` at ``taken_at``, MAC'd."""
    encoded = checkpoint_encoding(sequence, head_hash, taken_at)
    return Checkpoint(sequence, head_hash, taken_at, keyed_mac(key, CHECKPOINT_MAC_LABEL, encoded))


def checkpoint_is_genuine(key: bytes, checkpoint: Checkpoint) -> bool:
    """Was this checkpoint made with ``key`` (constant-time comparison)?"""
    expected = make_checkpoint(key, checkpoint.sequence, checkpoint.head_hash, checkpoint.taken_at)
    return stdlib_hmac.compare_digest(expected.mac, checkpoint.mac)


def checkpoint_line(checkpoint: Checkpoint) -> str:
    """One line of a checkpoint file (JSON lines), newline included."""
    values = {
        "sequence": checkpoint.sequence,
        "head_hash": checkpoint.head_hash,
        "taken_at": utc_timestamp(checkpoint.taken_at),
        "mac": checkpoint.mac,
    }
    return json.dumps(values, separators=(",", ":")) + "\n"


def parse_checkpoint_line(line: str, kept_in: str) -> Checkpoint:
    """A checkpoint from one file line; ValueError names the place if it is malformed."""
    try:
        values = json.loads(line)
        taken_at = datetime.strptime(values["taken_at"], "%Y-%m-%dT%H:%M:%S.%fZ")
        return Checkpoint(
            sequence=int(values["sequence"]),
            head_hash=str(values["head_hash"]),
            taken_at=taken_at.replace(tzinfo=UTC),
            mac=str(values["mac"]),
            kept_in=kept_in,
        )
    except (ValueError, KeyError, TypeError) as malformed:
        raise ValueError(f"unreadable checkpoint in {kept_in}: {malformed}") from malformed


@dataclass
class AnchorBuilder:
    """Collects checkpoints into an :class:`Anchor`, setting aside forged ones."""

    key: bytes
    rejected: list[ChainBreak] = field(default_factory=list)
    newest: Checkpoint | None = None
    oldest: Checkpoint | None = None

    def add(self, checkpoint: Checkpoint) -> None:
        if not checkpoint_is_genuine(self.key, checkpoint):
            self.rejected.append(
                ChainBreak(
                    checkpoint.sequence,
                    "checkpoint_mac_mismatch",
                    f"the MAC of the {checkpoint.describe()} does not match: "
                    "the checkpoint was forged or edited, or made with another key",
                )
            )
            return
        if self.newest is None or checkpoint.sequence > self.newest.sequence:
            self.newest = checkpoint
        if self.oldest is None or checkpoint.sequence < self.oldest.sequence:
            self.oldest = checkpoint

    def anchor(self) -> Anchor:
        return Anchor(self.key, self.newest, self.oldest)


def build_anchor(key: bytes, checkpoints: Iterable[Checkpoint]) -> tuple[Anchor, list[ChainBreak]]:
    """The anchor from every kept checkpoint, and the checkpoints whose MAC is wrong."""
    builder = AnchorBuilder(key)
    for checkpoint in checkpoints:
        builder.add(checkpoint)
    return builder.anchor(), builder.rejected


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


def check_mac(record: ChainRecord, anchor: Anchor, keyed_seen: bool) -> ChainBreak | None:
    """The problem with an entry's MAC, or None; an unkeyed entry only in the old prefix."""
    sequence = record.fields.sequence
    if record.entry_mac:
        expected = entry_mac(anchor.key, record.entry_hash)
        if stdlib_hmac.compare_digest(expected, record.entry_mac):
            return None
        return ChainBreak(
            sequence,
            "entry_mac_mismatch",
            "the entry's MAC does not match: it was written by someone without the audit key "
            "(forged), or the key has changed",
        )
    if keyed_seen:
        return ChainBreak(
            sequence,
            "entry_mac_missing",
            "the entry has no MAC although earlier entries have one: "
            "it was appended without the audit key (forged)",
        )
    oldest = anchor.oldest
    if oldest is not None and sequence > oldest.sequence:
        return ChainBreak(
            sequence,
            "entry_mac_missing",
            f"the entry has no MAC although it comes after the {oldest.describe()}: "
            "it was appended without the audit key (forged)",
        )
    return None


def check_checkpoint(record: ChainRecord, anchor: Anchor) -> ChainBreak | None:
    """The entry at the newest checkpoint's sequence must still have the hash it recorded."""
    newest = anchor.newest
    if newest is None or record.fields.sequence != newest.sequence:
        return None
    if record.entry_hash == newest.head_hash:
        return None
    return ChainBreak(
        record.fields.sequence,
        "checkpoint_mismatch",
        f"the entry's hash differs from the head hash recorded by the {newest.describe()}: "
        "the chain up to here was rewritten",
    )


def check_reaches(head_sequence: int, anchor: Anchor) -> ChainBreak | None:
    """The chain must reach the newest checkpoint: rows removed from the end show here."""
    newest = anchor.newest
    if newest is None or head_sequence >= newest.sequence:
        return None
    return ChainBreak(
        head_sequence + 1,
        "truncated",
        f"the chain ends at sequence {head_sequence}, but the {newest.describe()} records "
        f"head sequence {newest.sequence}: entries {head_sequence + 1}..{newest.sequence} "
        "were removed from the end",
    )


@dataclass
class ChainWalk:
    """The state of one walk along the chain."""

    anchor: Anchor | None
    checked: int = 0
    expected_sequence: int = FIRST_SEQUENCE
    previous: str = GENESIS_HASH
    keyed_seen: bool = False
    unkeyed: int = 0

    def step(self, record: ChainRecord) -> ChainBreak | None:
        """Check one record; on success move past it."""
        problem = check_link(record, self.expected_sequence, self.previous)
        if problem is None and self.anchor is not None:
            problem = check_mac(record, self.anchor, self.keyed_seen) or check_checkpoint(
                record, self.anchor
            )
        if problem is not None:
            return problem
        self.checked += 1
        self.expected_sequence = record.fields.sequence + 1
        self.previous = record.entry_hash
        if record.entry_mac:
            self.keyed_seen = True
        elif self.anchor is not None:
            self.unkeyed += 1
        return None

    def report(self, problem: ChainBreak | None) -> ChainReport:
        anchored_by = self.anchor.newest if self.anchor is not None and problem is None else None
        return ChainReport(
            self.checked,
            self.expected_sequence - 1,
            self.previous,
            problem,
            unkeyed=self.unkeyed,
            anchored_by=anchored_by,
        )


def verify_chain(records: Iterable[ChainRecord], anchor: Anchor | None = None) -> ChainReport:
    """Walk the records in sequence order; stop at the first break.

    Without an anchor only the hash chain is checked (what anyone can check
    without the key). With one, each entry's MAC is checked too, and the chain
    must reach the anchor's newest checkpoint with the hash it recorded.
    Reads one record at a time, so memory stays constant whatever the length.
    """
    walk = ChainWalk(anchor)
    for record in records:
        problem = walk.step(record)
        if problem is not None:
            return walk.report(problem)
    problem = check_reaches(walk.expected_sequence - 1, anchor) if anchor is not None else None
    return walk.report(problem)


def with_rejected_checkpoints(report: ChainReport, rejected: list[ChainBreak]) -> ChainReport:
    """An intact report becomes broken if some kept checkpoint was forged."""
    if report.first_break is not None or not rejected:
        return report
    return replace(report, first_break=rejected[0], anchored_by=None)
