"""Outbox delivery (egov.core.outbox): events per second, batched against one transaction each.

Usage (SQLite file in a temporary directory, or PostgreSQL by URL; the
PostgreSQL database is created if missing, and its outbox and bench tables are
emptied first):

    .venv/bin/python -m bench.outbox_delivery --events 20000
    .venv/bin/python -m bench.outbox_delivery --events 20000 \
        --database postgres://postgres@127.0.0.1:5432/outbox_bench

Publishes ``--events`` events through ``core.events.publish`` (1,000 per
transaction, over 500 aggregates, timed apart), then delivers all of them to
one subscriber at a time, each with its own position, in the same run:

1. **before (per event)**: the delivery code of the commit before batching
   (read from git, ``BASELINE_COMMIT``), a single handler writing one row per
   event with ``objects.create``, one transaction per event;
2. **batch_size=1** (only with ``--batch-size-one``, slow): today's code with
   batches of one event: one transaction per event plus the per-run reads
   (retries, position, newest id, batch) that a batch shares;
3. **single handler, batched**: the same handler, one transaction and one
   position move per batch, a savepoint per event;
4. **batch handler, batched**: a batch handler writing the batch's rows with
   one ``bulk_create``;
5. **no-op batch handler**: what delivery itself costs;
6. **unwanted types**: a subscriber of one event type none of these events
   has: how long it takes to move past them.

Each subscriber's rows are counted afterwards (one per event, none twice).
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BASELINE_COMMIT = "c71164d"  # main before batched delivery (issue 11, item 2)
PUBLISH_CHUNK = 1_000
AGGREGATES = 500


def setup(url: str | None) -> None:
    from bench.supervision_scan import setup as scan_setup

    scan_setup(url)


def bench_row_model() -> Any:
    """An unmanaged model on a table of the bench's own: one row per handled event."""
    from django.db import models

    class BenchRow(models.Model):
        subscriber = models.CharField(max_length=64)
        event_id = models.BigIntegerField()
        aggregate = models.CharField(max_length=128)

        class Meta:
            app_label = "core"
            db_table = "outbox_bench_row"
            managed = False
            constraints = [
                models.UniqueConstraint(fields=["subscriber", "event_id"], name="outbox_bench_once")
            ]

        def __str__(self) -> str:
            return f"{self.subscriber}: event {self.event_id}"

    return BenchRow


def fresh_tables(row_model: Any) -> None:
    from django.db import connection

    from egov.core.models import DeadLetter, Delivery, Event, SubscriberPosition

    with connection.schema_editor() as editor:
        editor.execute("DROP TABLE IF EXISTS outbox_bench_row")
        editor.create_model(row_model)
    for model in (Delivery, DeadLetter, SubscriberPosition, Event):
        model.objects.all().delete()


def publish_events(count: int) -> float:
    from django.db import transaction

    from egov.core import subscribers
    from egov.core.events import publish

    started = time.perf_counter()
    with subscribers.override({}):
        for chunk in range(0, count, PUBLISH_CHUNK):
            with transaction.atomic():
                for n in range(chunk, min(count, chunk + PUBLISH_CHUNK)):
                    publish("CaseUpdated", {"n": n}, aggregate=f"HL-{n % AGGREGATES}")
    return time.perf_counter() - started


def baseline_module() -> ModuleType | None:
    """The outbox module as it was before batching, loaded from git (None without git)."""
    try:
        source = subprocess.run(  # noqa: S603 - fixed program and arguments
            ["git", "show", f"{BASELINE_COMMIT}:egov/core/outbox.py"],  # noqa: S607 - git on PATH
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    path = Path(tempfile.mkdtemp(prefix="outbox-baseline-")) / "outbox_baseline.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("outbox_baseline", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def handlers(row_model: Any, name: str) -> tuple[Callable[[Any], None], Callable[[Any], None]]:
    def single(event: Any) -> None:
        row_model.objects.create(subscriber=name, event_id=event.pk, aggregate=event.aggregate)

    def batch(events: Sequence[Any]) -> None:
        row_model.objects.bulk_create(
            row_model(subscriber=name, event_id=e.pk, aggregate=e.aggregate) for e in events
        )

    return single, batch


def deliver_all(deliver: Callable[..., Any], batch_size: int) -> tuple[int, float]:
    delivered = 0
    started = time.perf_counter()
    while True:
        report = deliver(batch_size=batch_size)
        delivered += report.delivered
        if not report.more:
            break
    return delivered, time.perf_counter() - started


def run_path(
    label: str, name: str, subscriber: Any, deliver: Callable[..., Any], batch_size: int
) -> dict[str, Any]:
    from egov.core import subscribers

    with subscribers.override({name: subscriber}):
        delivered, seconds = deliver_all(deliver, batch_size)
    return {"label": label, "name": name, "delivered": delivered, "seconds": seconds}


def paths(
    row_model: Any, events: int, *, skip_baseline: bool, batch_size_one: bool
) -> list[dict[str, Any]]:
    from egov.core import subscribers
    from egov.core.outbox import deliver_pending

    results = []
    old = None if skip_baseline else baseline_module()
    if old is not None:
        single, _ = handlers(row_model, "bench.before")
        results.append(
            run_path(
                "before: one transaction per event",
                "bench.before",
                single,
                old.deliver_pending,
                500,
            )
        )
    if batch_size_one:
        single, _ = handlers(row_model, "bench.one")
        results.append(
            run_path("batch_size=1, single handler", "bench.one", single, deliver_pending, 1)
        )
    for size in (200, 500):
        name = f"bench.single-{size}"
        single, _ = handlers(row_model, name)
        results.append(
            run_path(f"batch_size={size}, single handler", name, single, deliver_pending, size)
        )
        name = f"bench.batch-{size}"
        single, batch = handlers(row_model, name)
        entry = subscribers.make_subscriber(name, single, batch_handler=batch)
        results.append(
            run_path(
                f"batch_size={size}, batch handler (bulk_create)",
                name,
                entry,
                deliver_pending,
                size,
            )
        )
    noop = subscribers.make_subscriber("bench.noop", lambda e: None, batch_handler=lambda es: None)
    results.append(
        run_path("batch_size=500, no-op batch handler", "bench.noop", noop, deliver_pending, 500)
    )
    rare = subscribers.make_subscriber("bench.rare", lambda e: None, {"CaseWithdrawn"})
    moved = run_path(
        "unwanted types only (position moves past)", "bench.rare", rare, deliver_pending, 500
    )
    moved["delivered"] = events  # events passed over, none handed to the handler
    results.append(moved)
    return results


def check_rows(row_model: Any, results: list[dict[str, Any]], events: int) -> None:
    from django.db.models import Count

    counts = dict(row_model.objects.values_list("subscriber").annotate(n=Count("id")).order_by())
    for result in results:
        if result["name"] in {"bench.noop", "bench.rare"}:
            continue
        rows = counts.get(result["name"], 0)
        assert rows == events == result["delivered"], (result, rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--database", default=None, help="postgres://… (default: SQLite file)")
    parser.add_argument("--skip-baseline", action="store_true", help="no git baseline path")
    parser.add_argument(
        "--batch-size-one", action="store_true", help="also deliver with batch_size=1 (slow)"
    )
    args = parser.parse_args(argv)
    setup(args.database)
    from django.db import connection

    from bench.machine import describe_machine

    row_model = bench_row_model()
    fresh_tables(row_model)
    print(f"database: {connection.vendor}; machine: {describe_machine()}")
    seconds = publish_events(args.events)
    print(f"publish: {args.events} events in {seconds:.1f} s = {args.events / seconds:,.0f}/s")
    results = paths(
        row_model,
        args.events,
        skip_baseline=args.skip_baseline,
        batch_size_one=args.batch_size_one,
    )
    check_rows(row_model, results, args.events)
    base = results[0]["delivered"] / results[0]["seconds"]
    print(f"{'path':52} {'events':>7} {'s':>7} {'events/s':>9} {'× first':>8}")
    for result in results:
        per_second = result["delivered"] / result["seconds"]
        print(
            f"{result['label']:52} {result['delivered']:>7} {result['seconds']:>7.2f} "
            f"{per_second:>9,.0f} {per_second / base:>8.1f}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
