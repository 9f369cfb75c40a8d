"""Removing the newest audit entries is found out once a checkpoint has recorded them.

The hash chain alone cannot show that rows were cut from its end; the
checkpoints (table and file, MAC'd with the audit key) can. Entries after the
newest checkpoint remain the window a truncation can hide in: the last test
states it.
"""

from pathlib import Path

import pytest

from egov.core.models import AuditCheckpoint
from egov.core.services.audit import take_audit_checkpoint
from egov.core.tests.audit_support import (
    CHECKPOINT_TIME,
    record_entries,
    tamper_as_dba,
    verify,
)

pytestmark = pytest.mark.django_db


def test_deleting_the_newest_entries_fails_naming_the_checkpoint() -> None:
    record_entries(5)
    take_audit_checkpoint(taken_at=CHECKPOINT_TIME)
    tamper_as_dba("DELETE FROM core_auditentry WHERE sequence >= %s", [4])
    result = verify()
    assert result.exit_code == 1
    assert "BROKEN at sequence 4 (truncated)" in result.output
    assert "the chain ends at sequence 3" in result.output
    assert "checkpoint of 2026-12-01T02:00:00.000000Z (sequence 5)" in result.output
    assert "entries 4..5 were removed" in result.output


def test_the_file_copy_still_tells_when_the_table_copy_is_deleted_too(
    audit_checkpoint_dir: Path,
) -> None:
    record_entries(5)
    take_audit_checkpoint(taken_at=CHECKPOINT_TIME)
    tamper_as_dba("DELETE FROM core_auditentry WHERE sequence >= %s", [2])
    AuditCheckpoint.objects.all().delete()
    result = verify()
    assert result.exit_code == 1
    assert "BROKEN at sequence 2 (truncated)" in result.output
    assert f"kept in {audit_checkpoint_dir / 'audit-checkpoints-2026-12.jsonl'}:1" in (
        result.output
    )


def test_an_auditors_copy_of_the_checkpoints_is_read_from_another_directory(
    audit_checkpoint_dir: Path, tmp_path: Path
) -> None:
    record_entries(3)
    take_audit_checkpoint(taken_at=CHECKPOINT_TIME)
    copy = tmp_path / "auditor-copy"
    copy.mkdir()
    for path in audit_checkpoint_dir.glob("*.jsonl"):
        (copy / path.name).write_bytes(path.read_bytes())
        path.unlink()
    AuditCheckpoint.objects.all().delete()
    tamper_as_dba("DELETE FROM core_auditentry WHERE sequence = %s", [3])
    assert verify().exit_code == 0  # nothing left where the platform keeps checkpoints
    result = verify("--checkpoint-dir", str(copy))
    assert result.exit_code == 1
    assert "BROKEN at sequence 3 (truncated)" in result.output


def test_truncating_and_writing_on_is_found_where_the_checkpoint_was() -> None:
    record_entries(5)
    take_audit_checkpoint(taken_at=CHECKPOINT_TIME)
    tamper_as_dba("DELETE FROM core_auditentry WHERE sequence >= %s", [4])
    record_entries(3, first=10)  # the platform keeps writing: new, keyed entries 4..6
    result = verify()
    assert result.exit_code == 1
    assert "BROKEN at sequence 5 (checkpoint_mismatch)" in result.output
    assert "4 entries before it are intact" in result.output


def test_entries_after_the_newest_checkpoint_are_the_window_left_open() -> None:
    record_entries(3)
    take_audit_checkpoint(taken_at=CHECKPOINT_TIME)
    record_entries(2, first=4)
    tamper_as_dba("DELETE FROM core_auditentry WHERE sequence = %s", [5])
    result = verify()
    # Not detectable: entry 5 was never recorded in a checkpoint. The report says
    # which entries a checkpoint does not cover yet.
    assert result.exit_code == 0
    assert "intact: 4 entries" in result.output
    assert "entries after sequence 3 are not covered by a checkpoint yet" in result.output
