"""``egov audit checkpoint`` (and the periodic task) anchor the head in the table and a file."""

import json
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from egov.core import auditchain
from egov.core.models import AuditCheckpoint
from egov.core.selectors.audit import audit_key
from egov.core.services.audit import take_audit_checkpoint
from egov.core.tasks import checkpoint_audit_chain_every_five_minutes
from egov.core.tests.audit_support import CHECKPOINT_TIME, record_entries, verify

pytestmark = pytest.mark.django_db


def file_lines(directory: Path) -> list[dict]:
    return [
        json.loads(line)
        for path in sorted(directory.glob("*.jsonl"))
        for line in path.read_text(encoding="ascii").splitlines()
    ]


def test_a_checkpoint_is_kept_in_the_table_and_the_file(audit_checkpoint_dir: Path) -> None:
    entries = record_entries(4)
    taken = take_audit_checkpoint(taken_at=CHECKPOINT_TIME)
    assert taken is not None
    assert (taken.sequence, taken.head_hash) == (4, entries[-1].entry_hash)
    assert auditchain.checkpoint_is_genuine(audit_key(), taken)
    row = AuditCheckpoint.objects.get()
    assert (row.sequence, row.head_hash, row.taken_at, row.mac) == (
        4,
        entries[-1].entry_hash,
        CHECKPOINT_TIME,
        taken.mac,
    )
    assert file_lines(audit_checkpoint_dir) == [
        {
            "sequence": 4,
            "head_hash": entries[-1].entry_hash,
            "taken_at": "2026-12-01T02:00:00.000000Z",
            "mac": taken.mac,
        }
    ]
    result = verify()
    assert result.exit_code == 0
    assert f"checkpoints: 1 in the table, 1 in {audit_checkpoint_dir}" in result.output
    assert "anchored: the chain reaches the checkpoint of 2026-12-01T02:00" in result.output


def test_an_unchanged_head_is_not_checkpointed_twice_unless_forced(
    audit_checkpoint_dir: Path,
) -> None:
    record_entries(2)
    assert take_audit_checkpoint(taken_at=CHECKPOINT_TIME) is not None
    assert take_audit_checkpoint(taken_at=CHECKPOINT_TIME + timedelta(minutes=5)) is None
    assert AuditCheckpoint.objects.count() == 1
    assert take_audit_checkpoint(taken_at=CHECKPOINT_TIME, force=True) is not None
    record_entries(1, first=3)
    moved = take_audit_checkpoint(taken_at=CHECKPOINT_TIME + timedelta(minutes=10))
    assert moved is not None
    assert moved.sequence == 3
    assert [line["sequence"] for line in file_lines(audit_checkpoint_dir)] == [2, 2, 3]


def test_an_empty_chain_gets_no_checkpoint(audit_checkpoint_dir: Path) -> None:
    assert take_audit_checkpoint(taken_at=CHECKPOINT_TIME) is None
    assert AuditCheckpoint.objects.count() == 0
    assert not audit_checkpoint_dir.exists()
    result = verify()
    assert result.exit_code == 0
    assert "not anchored: no checkpoint is kept yet" in result.output


def test_no_table_row_is_left_when_the_file_cannot_be_written(
    settings: Any, tmp_path: Path
) -> None:
    record_entries(1)
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("", encoding="ascii")
    settings.EGOV_AUDIT_CHECKPOINT_DIR = blocked
    with pytest.raises(OSError, match="not-a-directory"):
        take_audit_checkpoint(taken_at=CHECKPOINT_TIME)
    assert AuditCheckpoint.objects.count() == 0


def test_the_command_and_the_periodic_task_take_checkpoints(audit_checkpoint_dir: Path) -> None:
    entries = record_entries(2)
    out = StringIO()
    call_command("audit", "checkpoint", stdout=out)
    assert f"checkpoint: sequence 2 head_hash {entries[-1].entry_hash}" in out.getvalue()
    assert str(audit_checkpoint_dir) in out.getvalue()
    out = StringIO()
    call_command("audit", "checkpoint", stdout=out)
    assert "no new checkpoint" in out.getvalue()
    record_entries(1, first=3)
    assert checkpoint_audit_chain_every_five_minutes.call_local() == 3
    assert list(AuditCheckpoint.objects.values_list("sequence", flat=True)) == [3, 2]


def test_a_forged_checkpoint_line_fails_verification(audit_checkpoint_dir: Path) -> None:
    entries = record_entries(3)
    take_audit_checkpoint(taken_at=CHECKPOINT_TIME)
    # Someone without the key appends a checkpoint claiming a shorter head.
    forged = auditchain.Checkpoint(2, entries[1].entry_hash, CHECKPOINT_TIME, "0" * 64)
    with next(audit_checkpoint_dir.glob("*.jsonl")).open("a", encoding="ascii") as kept:
        kept.write(auditchain.checkpoint_line(forged))
        kept.write("not a checkpoint\n")
    result = verify()
    assert result.exit_code == 1
    assert "BROKEN at sequence 2 (checkpoint_mac_mismatch)" in result.output
    assert "audit-checkpoints-2026-12.jsonl:2" in result.output


def test_an_unreadable_checkpoint_line_fails_verification(audit_checkpoint_dir: Path) -> None:
    record_entries(1)
    audit_checkpoint_dir.mkdir(parents=True)
    (audit_checkpoint_dir / "audit-checkpoints-2026-12.jsonl").write_text(
        '{"sequence": 1}\n', encoding="ascii"
    )
    result = verify()
    assert result.exit_code == 1
    assert "(checkpoint_unreadable)" in result.output
    assert "audit-checkpoints-2026-12.jsonl:1" in result.output
