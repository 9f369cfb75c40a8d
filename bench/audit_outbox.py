"""Throughput of the audit chain and the outbox on a real database.

Usage (SQLite file in a temporary directory, or PostgreSQL by URL):

    .venv/bin/python -m bench.audit_outbox
    .venv/bin/python -m bench.audit_outbox postgres://postgres@127.0.0.1:5432/egov_bench_audit

Measures: record_audit appends per second (one transaction each), ``egov audit
verify`` entries per second, publish per second (one transaction each), and
events delivered per second to one no-op subscriber.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

N_AUDIT = 5000
N_EVENTS = 5000


def setup(url: str | None) -> None:
    var_dir = tempfile.mkdtemp(prefix="egov-bench-")
    os.environ["EGOV_VAR_DIR"] = var_dir
    os.environ["EGOV_LOG_LEVEL"] = "WARNING"
    os.environ["EGOV_DATABASE_URL"] = url or f"sqlite:///{var_dir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "egov.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def rate(label: str, count: int, started: float) -> None:
    seconds = time.perf_counter() - started
    print(f"{label}: {count} in {seconds:.2f} s = {count / seconds:,.0f}/s")


def main() -> None:
    setup(sys.argv[1] if len(sys.argv) > 1 else None)
    from django.db import connection, transaction

    from egov.core import subscribers
    from egov.core.events import publish
    from egov.core.outbox import deliver_pending
    from egov.core.selectors.audit import verify_audit_chain
    from egov.core.services.audit import record_audit

    print(f"database: {connection.vendor}")
    started = time.perf_counter()
    for n in range(N_AUDIT):
        with transaction.atomic():
            record_audit(actor="bench", action="bench.appended", object_id=str(n), summary="基准")
    rate("record_audit (1 transaction each)", N_AUDIT, started)

    started = time.perf_counter()
    report = verify_audit_chain(chunk_size=2000)
    assert report.intact
    rate("audit verify", report.checked, started)

    with subscribers.override({}):
        started = time.perf_counter()
        for n in range(N_EVENTS):
            with transaction.atomic():
                publish("BenchEventHappened", {"n": n}, aggregate=f"B-{n % 100}")
        rate("publish (1 transaction each, no subscriber)", N_EVENTS, started)

    with subscribers.override({"bench": lambda event: None}):
        started = time.perf_counter()
        delivered = 0
        while True:
            result = deliver_pending(batch_size=500)
            delivered += result.delivered
            if not result.more:
                break
        rate("deliver_pending to one no-op subscriber", delivered, started)


if __name__ == "__main__":
    main()
