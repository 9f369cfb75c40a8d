"""Entries written before the audit key existed: accepted as the chain's prefix only.

Migration 0006 leaves their MAC NULL. ``egov audit verify`` reports them
("unkeyed before sequence N"); an unkeyed entry after a keyed one, or after the
oldest checkpoint, was appended without the key and fails.
"""

import pytest

from egov.core.services.audit import take_audit_checkpoint
from egov.core.tests.audit_support import (
    CHECKPOINT_TIME,
    append_forged_entry,
    record_entries,
    tamper_as_dba,
    verify,
)

pytestmark = pytest.mark.django_db


def entries_from_before_the_key(count: int) -> list:
    """Entries as an older release wrote them: chained, with no MAC."""
    entries = record_entries(count)
    tamper_as_dba("UPDATE core_auditentry SET entry_mac = NULL")
    return entries


def test_old_unkeyed_entries_followed_by_keyed_ones_pass_and_are_reported() -> None:
    entries_from_before_the_key(3)
    record_entries(2, first=4)
    result = verify()
    assert result.exit_code == 0
    assert "intact: 5 entries" in result.output
    assert "unkeyed before sequence 4: entries 1..3 carry no MAC" in result.output


def test_an_unkeyed_entry_after_keyed_ones_fails() -> None:
    entries_from_before_the_key(2)
    keyed = record_entries(1, first=3)
    append_forged_entry(keyed[-1], mac=None)
    result = verify()
    assert result.exit_code == 1
    assert "BROKEN at sequence 4 (entry_mac_missing)" in result.output


def test_after_the_first_checkpoint_no_unkeyed_entry_is_accepted() -> None:
    old = entries_from_before_the_key(3)
    take_audit_checkpoint(taken_at=CHECKPOINT_TIME)  # as advised right after upgrading
    append_forged_entry(old[-1], mac=None)
    result = verify()
    assert result.exit_code == 1
    assert "BROKEN at sequence 4 (entry_mac_missing)" in result.output
    assert "after the checkpoint of 2026-12-01T02:00:00.000000Z (sequence 3)" in result.output


def test_before_any_checkpoint_an_unkeyed_append_cannot_be_told_from_old_entries() -> None:
    old = entries_from_before_the_key(3)
    append_forged_entry(old[-1], mac=None)
    result = verify()
    # The window ADR 0036 names: between the upgrade and the first checkpoint or
    # keyed entry, the unkeyed prefix can still grow unnoticed.
    assert result.exit_code == 0
    assert "entries 1..4 carry no MAC" in result.output
    assert "not anchored" in result.output
