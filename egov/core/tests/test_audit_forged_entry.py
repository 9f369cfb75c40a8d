"""A row appended with a correct SM3 chain hash but without the audit key is found out.

The chain hash has no secret: anyone who knows the algorithm can compute it.
The entry's MAC (HMAC-SM3 under EGOV_AUDIT_KEY) is what such a forger cannot make.
"""

import pytest

from egov.core import auditchain
from egov.core.selectors.audit import audit_key
from egov.core.services.audit import take_audit_checkpoint
from egov.core.tests.audit_support import (
    ANOTHER_KEY,
    CHECKPOINT_TIME,
    append_forged_entry,
    record_entries,
    verify,
)

pytestmark = pytest.mark.django_db


def test_a_forged_entry_without_a_mac_fails_naming_the_entry() -> None:
    entries = record_entries(5)
    append_forged_entry(entries[-1], mac=None)
    result = verify()
    assert result.exit_code == 1
    assert "BROKEN at sequence 6 (entry_mac_missing)" in result.output
    assert "appended without the audit key" in result.output
    assert "5 entries before it are intact" in result.output


def test_a_forged_entry_with_a_mac_under_another_key_fails_naming_the_entry() -> None:
    entries = record_entries(5)
    forged_hash = auditchain.entry_hash(
        entries[-1].entry_hash,
        auditchain.ChainFields(
            6, entries[-1].occurred_at, "system", "", "case.approved", "", "HL-X", "伪造"
        ),
    )
    append_forged_entry(entries[-1], mac=auditchain.entry_mac(ANOTHER_KEY, forged_hash))
    result = verify()
    assert result.exit_code == 1
    assert "BROKEN at sequence 6 (entry_mac_mismatch)" in result.output


def test_a_forged_entry_is_found_even_if_a_later_checkpoint_recorded_it() -> None:
    entries = record_entries(2)
    append_forged_entry(entries[-1], mac=None)
    take_audit_checkpoint(taken_at=CHECKPOINT_TIME)  # the head is now the forged entry
    result = verify()
    assert result.exit_code == 1
    assert "BROKEN at sequence 3 (entry_mac_missing)" in result.output


def test_entries_written_by_the_platform_carry_a_valid_mac() -> None:
    entries = record_entries(3)
    key = audit_key()
    assert [entry.entry_mac for entry in entries] == [
        auditchain.entry_mac(key, entry.entry_hash) for entry in entries
    ]
    result = verify()
    assert result.exit_code == 0
    assert "intact: 3 entries" in result.output
    assert "unkeyed" not in result.output
