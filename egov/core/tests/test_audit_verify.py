"""``egov audit verify`` finds an edited, a deleted and an inserted row; an intact chain passes.

Tampering needs the database's append-only triggers out of the way, so these
tests do what a DBA with the table owner's rights would do: drop the triggers,
then change rows with raw SQL. The hash chain is what still gives them away.
"""

import importlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from egov.core import auditchain
from egov.core.models import AuditEntry
from egov.core.services.audit import record_audit

pytestmark = pytest.mark.django_db

trigger_migration = importlib.import_module("egov.core.migrations.0003_audit_append_only_trigger")


def record_five() -> list[AuditEntry]:
    return [
        record_audit(actor="system", action="case.accepted", object_id=f"HL-{n}", summary="受理")
        for n in range(1, 6)
    ]


def tamper_as_dba(statement: str, params: list) -> None:
    """Drop the append-only triggers and run raw SQL against the audit table."""
    trigger_migration.remove_guard(connection)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
    trigger_migration.install_guard(connection)


def verify() -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("audit", "verify", "--chunk-size", "2", stdout=out, stderr=StringIO())
    except CommandError as failure:
        return out.getvalue(), failure
    return out.getvalue(), None


def test_an_intact_chain_passes_and_prints_the_count() -> None:
    entries = record_five()
    output, failure = verify()
    assert failure is None
    assert "intact: 5 entries" in output
    assert entries[-1].entry_hash in output


def test_an_empty_chain_passes() -> None:
    output, failure = verify()
    assert failure is None
    assert "intact: 0 entries" in output


def test_an_edited_row_is_reported_at_its_sequence() -> None:
    record_five()
    tamper_as_dba("UPDATE core_auditentry SET summary = %s WHERE sequence = %s", ["不予受理", 3])
    output, failure = verify()
    assert failure is not None
    assert failure.returncode == 1
    assert "BROKEN at sequence 3 (entry_hash_mismatch)" in output
    assert "edited" in output
    assert "2 entries before it are intact" in output


def test_a_deleted_row_is_reported_as_a_gap() -> None:
    record_five()
    tamper_as_dba("DELETE FROM core_auditentry WHERE sequence = %s", [2])
    output, failure = verify()
    assert failure is not None
    assert "BROKEN at sequence 3 (sequence_gap)" in output
    assert "expected sequence 2" in output


def test_an_inserted_row_with_a_plausible_hash_is_reported() -> None:
    entries = record_five()
    # The DBA moves entry 5 out of the way (to 6) and slips a forged entry into
    # sequence 5, linked to entry 4 and carrying a well-formed but wrong SM3 hash.
    tamper_as_dba("UPDATE core_auditentry SET sequence = 6 WHERE sequence = 5", [])
    forged = auditchain.entry_hash(
        "1" * 64,
        auditchain.ChainFields(
            5, entries[0].occurred_at, "system", "", "case.accepted", "", "HL-X", "伪造"
        ),
    )
    tamper_as_dba(
        "INSERT INTO core_auditentry (sequence, occurred_at, actor, organisation, action,"
        " object_type, object_id, summary, previous_hash, entry_hash)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [
            5,
            entries[0].occurred_at,
            "system",
            "",
            "case.accepted",
            "",
            "HL-X",
            "伪造",
            entries[3].entry_hash,
            forged,
        ],
    )
    output, failure = verify()
    assert failure is not None
    assert "BROKEN at sequence 5 (entry_hash_mismatch)" in output
    assert "4 entries before it are intact" in output


def test_an_inserted_row_with_a_correct_own_hash_breaks_the_next_link() -> None:
    entries = record_five()
    # This time the forger knows the algorithm: the inserted entry's own hash is
    # right, so the entry after it no longer links to its predecessor.
    # (In two steps: the unique sequence would refuse a direct shift by one.)
    tamper_as_dba("UPDATE core_auditentry SET sequence = -sequence WHERE sequence >= 4", [])
    tamper_as_dba("UPDATE core_auditentry SET sequence = 1 - sequence WHERE sequence < 0", [])
    fields = auditchain.ChainFields(
        4, entries[2].occurred_at, "system", "", "case.accepted", "", "HL-X", "伪造"
    )
    tamper_as_dba(
        "INSERT INTO core_auditentry (sequence, occurred_at, actor, organisation, action,"
        " object_type, object_id, summary, previous_hash, entry_hash)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [
            4,
            fields.occurred_at,
            "system",
            "",
            "case.accepted",
            "",
            "HL-X",
            "伪造",
            entries[2].entry_hash,
            auditchain.entry_hash(entries[2].entry_hash, fields),
        ],
    )
    output, failure = verify()
    assert failure is not None
    # Entry 4 (forged) links and hashes correctly, so the hash chain alone would
    # only notice at the shifted old entry 4, now 5. The forger lacks the audit
    # key, so the forged entry itself is caught: it carries no MAC (ADR 0036).
    assert "BROKEN at sequence 4 (entry_mac_missing)" in output
    assert "3 entries before it are intact" in output


def test_audit_head_prints_the_last_entry() -> None:
    entries = record_five()
    out = StringIO()
    call_command("audit", "head", stdout=out)
    assert out.getvalue().strip() == f"sequence 5 entry_hash {entries[-1].entry_hash}"
