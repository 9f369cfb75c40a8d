"""The journal lock (日志追加锁): one lock shared by the audit chain and the outbox.

Both the audit chain and the event outbox are append-only journals written inside
the caller's transaction. On PostgreSQL each append first takes the same
transaction-level advisory lock, held until the caller's transaction ends:

* the audit chain needs it so two transactions cannot read the same tail and
  fork the chain;
* the outbox needs it so events become visible in id order: a transaction that
  took id 100 commits before another can take id 101, so a worker that has read
  101 can never later find 100 appearing behind its position.

One lock for both means no lock-ordering deadlock whichever of the two a service
calls first (advisory locks are re-entrant within a session). The cost is that
transactions that audit or publish are serialised from that point to their
commit: services should append to the journals last, just before they return.

On SQLite the database's IMMEDIATE transactions already serialise every writer,
so nothing more is needed there.
"""

from __future__ import annotations

from django.db import connection

# An arbitrary fixed key, unique among the platform's advisory locks ("egov" + 1).
JOURNAL_LOCK_KEY = 0x65676F76_00000001


def lock_journal() -> None:
    """Take the journal lock for the rest of the current transaction (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [JOURNAL_LOCK_KEY])
