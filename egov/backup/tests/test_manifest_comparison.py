"""A restored copy is compared with its manifest: tables by rows and checksum, files by SHA-256."""

from __future__ import annotations

from pathlib import Path

from egov.backup.manifest import (
    Manifest,
    compare_manifests,
    file_digests,
    table_summary,
)

ROWS = [(1, "哈尔滨市", None, b"\x00\x01"), (2, "齐齐哈尔市", 3.5, b"")]


def manifest(tables: dict, files: dict) -> Manifest:
    return Manifest(
        taken_at="2026-11-26T02:00:00+00:00",
        engine="sqlite",
        database_file="database/egov.sqlite3",
        staging_path="/var/egov/backup/staging-x",
        media_path="/var/egov/media",
        tables=tables,
        files=files,
    )


def test_identical_copy_has_no_differences() -> None:
    tables = {"core_region": table_summary(ROWS)}
    files = {"a.pdf": "0" * 64}
    assert compare_manifests(manifest(tables, files), dict(tables), dict(files)) == []


def test_checksum_ignores_row_order_but_not_content() -> None:
    assert table_summary(ROWS) == table_summary(list(reversed(ROWS)))
    changed = [ROWS[0], (2, "齐齐哈尔市", 3.6, b"")]
    assert table_summary(changed).rows == 2
    assert table_summary(changed).checksum != table_summary(ROWS).checksum
    assert table_summary([(1,)]).checksum != table_summary([("1",)]).checksum


def test_every_difference_is_named() -> None:
    expected = manifest(
        {"core_region": table_summary(ROWS), "core_user": table_summary([(1,)])},
        {"a.pdf": "a" * 64, "b.png": "b" * 64},
    )
    problems = compare_manifests(
        expected,
        {"core_region": table_summary(ROWS[:1]), "extra": table_summary([])},
        {"a.pdf": "c" * 64, "new.txt": "d" * 64},
    )
    assert problems == [
        "table core_user: missing",
        "table extra: not in the manifest",
        "table core_region: 1 rows, expected 2",
        "file b.png: missing",
        "file new.txt: not in the manifest",
        "file a.pdf: SHA-256 differs",
    ]


def test_same_row_count_other_content_is_a_checksum_difference() -> None:
    expected = manifest({"t": table_summary(ROWS)}, {})
    altered = {"t": table_summary([ROWS[0], (2, "齐齐哈尔市", None, b"")])}
    assert compare_manifests(expected, altered, {}) == ["table t: checksum differs"]


def test_manifest_survives_json_round_trip() -> None:
    original = manifest({"t": table_summary(ROWS)}, {"x/y.pdf": "e" * 64})
    assert Manifest.from_json(original.to_json()) == original


def test_file_digests_are_sha256_by_relative_path(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "公文.txt").write_bytes(b"abc")
    assert file_digests(tmp_path) == {
        "docs/公文.txt": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    }
    assert file_digests(tmp_path / "absent") == {}
