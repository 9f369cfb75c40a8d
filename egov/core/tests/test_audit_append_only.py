"""Audit entries cannot be changed or removed: not through the ORM, not by raw SQL."""

import pytest
from django.db import DatabaseError, connection, transaction

from egov.core.models import AuditEntry
from egov.core.models.audit import AuditChainAppendOnlyError
from egov.core.selectors.audit import append_only_guard_installed
from egov.core.services.audit import record_audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry() -> AuditEntry:
    return record_audit(actor="system", action="case.accepted", summary="原始摘要")


def unchanged(entry: AuditEntry) -> bool:
    stored = AuditEntry.objects.get(pk=entry.pk)
    return (AuditEntry.objects.count(), stored.summary, stored.entry_hash) == (
        1,
        "原始摘要",
        entry.entry_hash,
    )


def test_saving_an_existing_entry_is_refused(entry: AuditEntry) -> None:
    entry.summary = "改写"
    with pytest.raises(AuditChainAppendOnlyError, match="append-only"):
        entry.save()
    assert unchanged(entry)


def test_deleting_an_entry_is_refused(entry: AuditEntry) -> None:
    with pytest.raises(AuditChainAppendOnlyError, match="delete"):
        entry.delete()
    assert unchanged(entry)


def test_queryset_update_and_delete_are_refused(entry: AuditEntry) -> None:
    with pytest.raises(AuditChainAppendOnlyError, match="update"):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="改写")
    with pytest.raises(AuditChainAppendOnlyError, match="delete"):
        AuditEntry.objects.all().delete()
    entry.summary = "改写"
    with pytest.raises(AuditChainAppendOnlyError):
        AuditEntry.objects.bulk_update([entry], ["summary"])
    assert unchanged(AuditEntry.objects.get(pk=entry.pk))


def test_bulk_create_is_refused_because_it_would_skip_the_chain(entry: AuditEntry) -> None:
    with pytest.raises(AuditChainAppendOnlyError, match="record_audit"):
        AuditEntry.objects.bulk_create([AuditEntry(sequence=2)])
    assert unchanged(entry)


def run_raw_sql(statement: str, params: tuple = ()) -> None:
    """Raw SQL in its own savepoint, as a tamperer bypassing the ORM would send it."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_the_database_triggers_are_installed() -> None:
    assert append_only_guard_installed()


def test_raw_sql_update_is_refused_by_the_trigger(entry: AuditEntry) -> None:
    with pytest.raises(DatabaseError, match="append-only"):
        run_raw_sql("UPDATE core_auditentry SET summary = %s", ("改写",))
    assert unchanged(entry)


def test_raw_sql_delete_is_refused_by_the_trigger(entry: AuditEntry) -> None:
    with pytest.raises(DatabaseError, match="append-only"):
        run_raw_sql("DELETE FROM core_auditentry")
    assert unchanged(entry)


def test_truncate_is_refused_on_postgresql(entry: AuditEntry) -> None:
    # SQLite has no TRUNCATE (its DELETE trigger is tested above); on PostgreSQL
    # a statement trigger refuses TRUNCATE while the table has rows.
    statement = {
        "postgresql": "TRUNCATE core_auditentry",
        "sqlite": "DELETE FROM core_auditentry",
    }[connection.vendor]
    with pytest.raises(DatabaseError, match="append-only"):
        run_raw_sql(statement)
    assert unchanged(entry)
