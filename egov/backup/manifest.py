"""Snapshot manifests (备份清单): what a snapshot must contain, and the comparison, no Django.

At snapshot time every table's row count and checksum and every file's SHA-256
are recorded (:class:`Manifest`); a restore drill computes the same from the
restored copy and :func:`compare_manifests` names every difference. The table
checksum is order-independent (the sum of each row's SHA-256 modulo 2**256), so
it streams rows in whatever order the database returns them.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

MANIFEST_NAME = "egov-backup-manifest.json"
FORMAT = 1
CHUNK = 1024 * 1024
MODULUS = 2**256


@dataclass(frozen=True)
class TableSummary:
    """A table's row count and order-independent checksum (hex SHA-256 sum)."""

    rows: int
    checksum: str


@dataclass(frozen=True)
class Manifest:
    """What one snapshot holds: tables, files (path under the media root → SHA-256), where."""

    taken_at: str
    engine: str
    database_file: str
    staging_path: str
    media_path: str
    tables: dict[str, TableSummary] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, **asdict(self)}, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        if data.pop("format", None) != FORMAT:
            raise ValueError("not an egov backup manifest of a known format")
        tables = {name: TableSummary(**summary) for name, summary in data.pop("tables").items()}
        return cls(tables=tables, **data)


def canonical_value(value: Any) -> str:
    """One column value as stable text: bytes as hex, everything else by type and repr."""
    if isinstance(value, memoryview | bytearray | bytes):
        return "b:" + bytes(value).hex()
    return f"{type(value).__name__}:{value!r}"


def row_digest(row: Sequence[Any]) -> int:
    text = "\x1f".join(canonical_value(value) for value in row)
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest(), "big")


def table_summary(rows: Iterable[Sequence[Any]]) -> TableSummary:
    """Count the rows and sum their digests: the same multiset of rows, the same summary."""
    count = 0
    total = 0
    for row in rows:
        count += 1
        total = (total + row_digest(row)) % MODULUS
    return TableSummary(rows=count, checksum=f"{total:064x}")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def file_digests(root: Path) -> dict[str, str]:
    """Every regular file under ``root`` (POSIX path relative to it) → SHA-256; {} if absent."""
    if not root.is_dir():
        return {}
    digests = {}
    for directory, _subdirs, names in os.walk(root):
        for name in names:
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                digests[path.relative_to(root).as_posix()] = file_sha256(path)
    return dict(sorted(digests.items()))


def compare_tables(expected: dict[str, TableSummary], actual: dict[str, TableSummary]) -> list[str]:
    problems = [f"table {name}: missing" for name in sorted(expected.keys() - actual.keys())]
    problems += [f"table {name}: not in the manifest" for name in sorted(actual.keys() - expected)]
    for name in sorted(expected.keys() & actual.keys()):
        want, got = expected[name], actual[name]
        if want.rows != got.rows:
            problems.append(f"table {name}: {got.rows} rows, expected {want.rows}")
        elif want.checksum != got.checksum:
            problems.append(f"table {name}: checksum differs")
    return problems


def compare_files(expected: dict[str, str], actual: dict[str, str]) -> list[str]:
    problems = [f"file {name}: missing" for name in sorted(expected.keys() - actual.keys())]
    problems += [f"file {name}: not in the manifest" for name in sorted(actual.keys() - expected)]
    problems += [
        f"file {name}: SHA-256 differs"
        for name in sorted(expected.keys() & actual.keys())
        if expected[name] != actual[name]
    ]
    return problems


def compare_manifests(
    expected: Manifest, tables: dict[str, TableSummary], files: dict[str, str]
) -> list[str]:
    """Every difference between the manifest and what was restored; [] when they agree."""
    return compare_tables(expected.tables, tables) + compare_files(expected.files, files)
