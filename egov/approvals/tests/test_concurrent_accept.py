"""Two clerks accept the same case at the same moment: exactly one wins.

Meaningful on PostgreSQL (row lock with SELECT ... FOR UPDATE): the second
transaction waits on the lock, then sees the case accepted. On SQLite the
IMMEDIATE transactions serialise the two; the test suite's in-memory database
(shared cache) answers "table is locked" at once instead of waiting as a file
database's busy timeout does, so there the loser retries, as the timeout would.
The outcome is asserted on both.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterator

import pytest
from django.db import OperationalError, connection

from egov.approvals.errors import ApprovalError, ErrorCode
from egov.approvals.models import Case
from egov.approvals.services import accept_case
from egov.core.models import Event

trigger_migration = importlib.import_module("egov.core.migrations.0003_audit_append_only_trigger")


@pytest.fixture
def committed_db(transactional_db: None) -> Iterator[None]:
    """Real commits; afterwards the audit rows are removed as a DBA would, guard restored."""
    yield
    trigger_migration.remove_guard(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry")
    trigger_migration.install_guard(connection)


def test_two_concurrent_accepts_one_wins(committed_db, submitted_case, clerk_daoli, clerk2_daoli):
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(clerk) -> str:
        for _ in range(200):
            try:
                accept_case(actor=clerk, number=submitted_case.number)
            except ApprovalError as exc:
                return exc.code.value
            except OperationalError as exc:
                if connection.vendor != "sqlite" or "locked" not in str(exc):
                    raise
                threading.Event().wait(0.01)
                continue
            return "accepted"
        return "gave up"

    def accept(clerk):
        try:
            barrier.wait()
            outcomes.append(attempt(clerk))
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(c,)) for c in (clerk_daoli, clerk2_daoli)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted", ErrorCode.ALREADY_ACCEPTED.value]
    assert Case.objects.get(pk=submitted_case.pk).status == Case.Status.ACCEPTED
    assert (
        Event.objects.filter(aggregate=submitted_case.number, event_type="CaseAccepted").count()
        == 1
    )
