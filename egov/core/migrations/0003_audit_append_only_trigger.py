"""Make core_auditentry append-only in the database itself (审计记录只增不改).

The ORM already refuses to update or delete audit entries; these triggers close
the raw-SQL path too. PostgreSQL: a trigger function raising on UPDATE and
DELETE (each row) and on TRUNCATE (statement). SQLite: BEFORE UPDATE/DELETE
triggers that RAISE(ABORT). A DBA can still drop the triggers (tests that
simulate tampering do exactly that); the hash chain is what makes such
tampering visible (``egov audit verify``).

TRUNCATE is refused only while the table has rows, so that emptying a database
that holds no audit entries (Django's test flush) still works. A later
migration that rebuilds core_auditentry on SQLite (SQLite's ALTER TABLE remake)
drops these triggers and must call ``install_guard`` again.
"""

from django.db import migrations

POSTGRES_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION core_auditentry_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'TRUNCATE' AND NOT EXISTS (SELECT 1 FROM core_auditentry) THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'core_auditentry is append-only: % refused', TG_OP
            USING HINT = 'Audit entries are appended by record_audit and never changed.';
    END;
    $$
    """,
    """
    CREATE TRIGGER core_auditentry_no_update_delete
    BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_refuse_change()
    """,
    """
    CREATE TRIGGER core_auditentry_no_truncate
    BEFORE TRUNCATE ON core_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION core_auditentry_refuse_change()
    """,
]
POSTGRES_REMOVE = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry",
    "DROP TRIGGER IF EXISTS core_auditentry_no_update_delete ON core_auditentry",
    "DROP FUNCTION IF EXISTS core_auditentry_refuse_change()",
]

SQLITE_INSTALL = [
    """
    CREATE TRIGGER IF NOT EXISTS core_auditentry_no_update BEFORE UPDATE ON core_auditentry
    BEGIN SELECT RAISE(ABORT, 'core_auditentry is append-only: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS core_auditentry_no_delete BEFORE DELETE ON core_auditentry
    BEGIN SELECT RAISE(ABORT, 'core_auditentry is append-only: DELETE refused'); END
    """,
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_update",
    "DROP TRIGGER IF EXISTS core_auditentry_no_delete",
]

STATEMENTS = {
    "postgresql": (POSTGRES_INSTALL, POSTGRES_REMOVE),
    "sqlite": (SQLITE_INSTALL, SQLITE_REMOVE),
}


def run(connection, statements):
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install_guard(connection):
    """Install the append-only triggers on this connection's database."""
    install, _ = STATEMENTS.get(connection.vendor, ([], []))
    run(connection, install)


def remove_guard(connection):
    """Drop the append-only triggers (what a DBA would do to tamper)."""
    _, remove = STATEMENTS.get(connection.vendor, ([], []))
    run(connection, remove)


def forwards(apps, schema_editor):
    install_guard(schema_editor.connection)


def backwards(apps, schema_editor):
    remove_guard(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_seed_working_calendar")]
    operations = [migrations.RunPython(forwards, backwards)]
