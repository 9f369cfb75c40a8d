"""Benchmark: working-day arithmetic, indexed (egov.core.calendar) against a day-by-day loop.

Run: ``.venv/bin/python -m bench.calendar`` (``--calls``, ``--loop-calls``,
``--no-write``). Both sides use the same exception table: the official
schedules 2004-2026 and the provisional years 2027-2030, as migration 0002
seeds them. Starts are random dates in 2004-2030, spans random in 0-60 working
days. The day-by-day loop is timed on fewer calls (``--loop-calls``) and its
rate is per call, so the two rates compare directly; the loop's answers are
checked against the indexed ones on every call. The section "Working-day
calendar" of docs/benchmarks.md is replaced (or appended) with the figures.
"""

# The imports follow the sys.path fix below: this file is named calendar.py and
# must not shadow the standard library's calendar module, which holidays imports.
# ruff: noqa: E402

from __future__ import annotations

import sys
from pathlib import Path

from bench.machine import describe_machine

BENCH_DIR = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH_DIR]
sys.path.insert(0, str(BENCH_DIR.parent))

import argparse
import datetime as dt
import random
import re
import time

from egov.core.calendar import (
    WorkingCalendar,
    official_exception_days,
    official_years,
    provisional_exception_days,
)

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
SECTION = "## Working-day calendar (egov.core.calendar)"
ONE_DAY = dt.timedelta(days=1)
FIRST, LAST = dt.date(2004, 1, 1), dt.date(2030, 12, 31)


def exception_table() -> dict[dt.date, bool]:
    """The table migration 0002 seeds: official years, then provisional ones to 2030."""
    official = official_exception_days(official_years())
    provisional = provisional_exception_days(range(max(official_years()) + 1, 2031))
    return {day.date: day.is_working for day in official + provisional}


def loop_add(table: dict[dt.date, bool], start: dt.date, n: int) -> dt.date:
    """The plain way: step one day at a time, counting working days."""
    day = start
    while n:
        day += ONE_DAY
        working = table.get(day)
        if working is None:
            working = day.weekday() < 5
        n -= working
    return day


def workload(calls: int, seed: int) -> list[tuple[dt.date, int]]:
    rng = random.Random(seed)
    span = (LAST - FIRST).days
    return [
        (FIRST + dt.timedelta(days=rng.randrange(span + 1)), rng.randrange(61))
        for _ in range(calls)
    ]


def time_indexed(calendar: WorkingCalendar, work: list[tuple[dt.date, int]]) -> tuple[float, list]:
    add = calendar.add_working_days
    began = time.perf_counter()
    results = [add(start, n) for start, n in work]
    return time.perf_counter() - began, results


def time_loop(table: dict[dt.date, bool], work: list[tuple[dt.date, int]]) -> tuple[float, list]:
    began = time.perf_counter()
    results = [loop_add(table, start, n) for start, n in work]
    return time.perf_counter() - began, results


def section(figures: dict[str, float], args: argparse.Namespace, exceptions: int) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = describe_machine()
    command = (
        f".venv/bin/python -m bench.calendar --calls {args.calls} --loop-calls {args.loop_calls}"
    )
    indexed = (
        f"| indexed (bisect + arithmetic) | {args.calls:,} | "
        f"{figures['indexed_seconds']:.2f} | {figures['indexed_rate']:,.0f} |"
    )
    loop = (
        f"| day-by-day loop | {args.loop_calls:,} | "
        f"{figures['loop_seconds']:.2f} | {figures['loop_rate']:,.0f} |"
    )
    hard_break = "  "  # Markdown line break
    return f"""{SECTION}

Command: `{command}`{hard_break}
Date: {now}{hard_break}
Machine: {machine}

`add_working_days(start, n)` with random starts in 2004-2030 and random spans of
0-60 working days, over the {exceptions} exception days that migration 0002 seeds.
The day-by-day loop was timed on {args.loop_calls:,} of the calls (its rate is per
call, so it compares directly) and gave the same answer on each of them.

| implementation | calls | seconds | calls per s |
|---|---:|---:|---:|
{indexed}
{loop}

Indexed / loop: **{figures["ratio"]:.1f}×**. The loop's cost grows with the span
(about 1.4 calendar days per working day); the index costs the same for any span.
Load from other work on the machine moves these figures by ±30 %.
"""


def write_section(text: str) -> None:
    doc = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(doc):
        doc = pattern.sub(lambda _: text + "\n", doc, count=1)
    else:
        doc = doc.rstrip("\n") + "\n\n" + text
    DOC.write_text(doc.rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--loop-calls", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    table = exception_table()
    calendar = WorkingCalendar(table)
    work = workload(args.calls, args.seed)
    indexed_seconds, indexed = time_indexed(calendar, work)
    loop_seconds, looped = time_loop(table, work[: args.loop_calls])
    if looped != indexed[: args.loop_calls]:
        raise SystemExit("the indexed and the day-by-day answers differ")
    figures = {
        "indexed_seconds": indexed_seconds,
        "indexed_rate": args.calls / indexed_seconds,
        "loop_seconds": loop_seconds,
        "loop_rate": args.loop_calls / loop_seconds,
    }
    figures["ratio"] = figures["indexed_rate"] / figures["loop_rate"]
    text = section(figures, args, len(calendar.exceptions))
    print(text)
    if not args.no_write:
        write_section(text)


if __name__ == "__main__":
    main()
