"""Time of the supervision dashboard's statistics queries on a province-sized case table.

Usage (SQLite file in a temporary directory, or PostgreSQL by URL):

    .venv/bin/python -m bench.supervision_statistics [--cases 1000000]
    .venv/bin/python -m bench.supervision_statistics --cases 1000000 \
        postgres://postgres@127.0.0.1:5432/egov_bench_statistics

Loads the demo organisations, writes ``--cases`` supervised cases received
over the last 365 days across every department (85 % decided, 90 % of those in
time; the rest open with lights) and one finding per ten cases, then times
each selector the province supervisor's dashboard calls for the last month
(best of three runs after a warm-up), and the whole set together: first from
the daily roll-ups (ADR 0050; rebuilt from the cases after the load, timed),
then from the case table itself (``source=RAW``, the old path) as the
baseline of the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import tempfile
import time
from collections.abc import Callable
from typing import Any

BATCH = 5000


def create_postgres_database(url: str) -> None:
    """A fresh database named by the URL (dropped first if it exists)."""
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def setup(url: str | None) -> None:
    if url and url.startswith("postgres"):
        create_postgres_database(url)
    var_dir = tempfile.mkdtemp(prefix="egov-bench-")
    os.environ["EGOV_VAR_DIR"] = var_dir
    os.environ["EGOV_LOG_LEVEL"] = "WARNING"
    os.environ["EGOV_DATABASE_URL"] = url or f"sqlite:///{var_dir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "egov.settings"
    os.environ.setdefault("EGOV_ALLOWED_HOSTS", "testserver")  # the home page via the test client
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the page's stylesheet


def departments() -> list[tuple[str, str, str, int]]:
    """(code, region code, region path, organisation id) of every demo department."""
    from egov.core.demo import load_demo_organisations
    from egov.core.models import Organisation

    load_demo_organisations()
    return list(
        Organisation.objects.filter(kind="department").values_list(
            "code", "region__code", "region__path", "id"
        )
    )


def case_row(n: int, department: tuple[str, str, str, int], now: dt.datetime, rng: Any) -> Any:
    from egov.supervision.models import Light, SupervisedCase

    code, region, path, organisation = department
    received = now - dt.timedelta(minutes=rng.randrange(365 * 24 * 60))
    decided = rng.random() < 0.85 and received + dt.timedelta(days=rng.randint(1, 30)) < now
    days = rng.randint(1, 20)
    on_time = rng.random() < 0.9 if decided else None
    light = rng.choices([Light.GREEN, Light.YELLOW, Light.RED, Light.SUSPENDED], [80, 8, 7, 5])[0]
    return SupervisedCase(
        case_number=f"{region}{n:015d}",
        item_code=f"{code}-{n % 7}",
        department_code=code,
        region_code=region,
        region_path=path,
        organisation_id=organisation,
        source="internal",
        status="concluded" if decided else "accepted",
        is_open=not decided,
        received_at=received,
        decided_at=received + dt.timedelta(days=days) if decided else None,
        working_days_used=days if decided else None,
        on_time=on_time,
        light=Light.STOPPED if decided else light,
    )


def finding_row(n: int, department: tuple[str, str, str, int], now: dt.datetime, rng: Any) -> Any:
    from egov.supervision.models import Finding

    code, _region, path, organisation = department
    category = rng.choice(["time", "fee", "data", "irregular", "catalogue", "review"])
    return Finding(
        fingerprint=f"bench-{n}",
        rule_code=f"{category}.rule{n % 4}",
        category=category,
        severity=rng.choice(["info", "yellow", "red"]),
        department_code=code,
        region_path=path,
        organisation_id=organisation,
        summary="bench",
        found_at=now - dt.timedelta(minutes=rng.randrange(365 * 24 * 60)),
    )


def load(count: int, rows: list[tuple[str, str, str, int]], make: Callable[..., Any]) -> float:
    from django.db import transaction

    rng = random.Random(5)
    now = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    for first in range(0, count, BATCH):
        numbers = range(first, min(first + BATCH, count))
        batch = [make(n, rng.choice(rows), now, rng) for n in numbers]
        with transaction.atomic():
            type(batch[0]).objects.bulk_create(batch)
    return time.perf_counter() - started


def home_page() -> Callable[[], Any]:
    """The province supervisor's home page through Django's test client (status checked)."""
    from django.test import Client

    from egov.core.testing import make_staff

    client = Client()
    client.force_login(make_staff("bench_supervisor", "230000-GOV", roles=["supervisor"]))

    def get() -> None:
        response = client.get("/supervision/")
        assert response.status_code == 200, response.status_code

    return get


def best_of(call: Callable[[], Any], runs: int = 3) -> float:
    call()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return min(times)


def with_source(source: str) -> None:
    """Point the statistics the page calls at ``source`` (the roll-ups or the cases)."""
    import functools

    from egov.supervision.statistics import aggregates as stats
    from egov.supervision.statistics import warning_alerts

    for name in ("grouped_figures", "open_by_light", "department_weeks"):
        original = ORIGINALS.setdefault(name, getattr(stats, name))
        setattr(stats, name, functools.partial(original, source=source))
    warning_alerts.department_weeks = stats.department_weeks  # imported by name there


ORIGINALS: dict[str, Any] = {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?")
    parser.add_argument("--cases", type=int, default=1_000_000)
    args = parser.parse_args()
    setup(args.url)
    from django.db import connection
    from django.utils import timezone

    from bench.machine import describe_machine
    from egov.supervision.statistics import aggregates as stats
    from egov.supervision.statistics import warning_alerts
    from egov.supervision.statistics.rollups import rebuild_rollups

    rows = departments()
    loaded = load(args.cases, rows, case_row)
    load(args.cases // 10, rows, finding_row)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    today = timezone.localdate()
    last = today.replace(day=1) - dt.timedelta(days=1)
    period = stats.month_period(last.year, last.month)
    province = stats.ViewScope(("230000/",))
    started = time.perf_counter()
    rebuilt = rebuild_rollups()
    rebuild_seconds = time.perf_counter() - started
    calls: dict[str, Callable[[], Any]] = {
        "by region": lambda: stats.grouped_figures(province, stats.REGION, period),
        "by department": lambda: stats.grouped_figures(province, stats.DEPARTMENT, period),
        "by item": lambda: stats.grouped_figures(province, stats.ITEM, period),
        "open by light": lambda: stats.open_by_light(province),
        "findings by category and rule": lambda: (
            stats.finding_breakdown(province, period, "category"),
            stats.finding_breakdown(province, period, "rule"),
        ),
        "early warnings (10 weeks)": lambda: warning_alerts.department_warnings(province, today),
        "home page GET /supervision/ (all of the above but by item, charts, template)": home_page(),
    }
    print(f"Machine: {describe_machine()}")
    print(f"database: {connection.vendor}; {args.cases:,} cases loaded in {loaded:.0f} s")
    print(f"roll-ups rebuilt from the cases in {rebuild_seconds:.1f} s: {rebuilt}")
    print(f"{len(rows)} departments; period {period.label}")
    times: dict[str, dict[str, float]] = {}
    for source in (stats.ROLLUPS, stats.RAW):
        with_source(source)
        for label, call in calls.items():
            times.setdefault(label, {})[source] = best_of(call) * 1000
    with_source(stats.ROLLUPS)
    print("| measure | roll-ups (ms) | case table (ms) | ratio |")
    for label, by in times.items():
        rolled, raw = by[stats.ROLLUPS], by[stats.RAW]
        print(f"| {label} | {rolled:,.0f} | {raw:,.0f} | {raw / rolled:,.0f}× |")


if __name__ == "__main__":
    main()
