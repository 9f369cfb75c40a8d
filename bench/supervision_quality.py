"""Quality of the supervision rules: precision and recall per rule on a generated month.

Usage (SQLite file in a temporary directory, or PostgreSQL by URL):

    .venv/bin/python -m bench.supervision_quality --cases 10000 --rounds 5
    .venv/bin/python -m bench.supervision_quality --database postgres://postgres@127.0.0.1:5432/egov_s2

Migrates an empty database, loads the demo organisations and the demo
catalogue (every department of the demo chart and its items), takes the
catalogue's ``ItemPublished`` events into the engine's reference copy, then
generates a month of cases for the whole province with
:mod:`egov.supervision.judging.violations` (clean cases by construction, and
``--rounds`` rounds of injected violations of every rule, labelled), feeds
every event through the intake (:mod:`egov.supervision.collection.ingest`: schema,
case numbers, times, projection) and runs every rule
(:func:`egov.supervision.demo.month.load_month`). It then compares the findings
with the labels: per rule, how many were injected, found, and found that
were injected (precision = correct / found, recall = correct / injected).
Goal: every injected violation found, no finding on a clean case.

With ``--write`` the section "Supervision rule quality" of docs/benchmarks.md
is replaced (or appended) with the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time
from pathlib import Path

from bench.approvals import prepare, setup
from bench.machine import describe_machine

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
SECTION = "## Supervision rule quality (egov.supervision.judging.rules)"
BREAK = "  "  # a Markdown line break


def run(cases: int, rounds: int, seed: int) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from egov.core.selectors.calendar import get_working_calendar
    from egov.supervision.demo.month import item_specs, load_month, publish_pending_items
    from egov.supervision.judging.quality import found_pairs, score
    from egov.supervision.judging.violations import generate_month
    from egov.supervision.models import Finding

    prepare()
    now = timezone.now()
    with transaction.atomic():
        published = publish_pending_items(now)
    items = item_specs()
    started = time.perf_counter()
    month = generate_month(
        items, get_working_calendar(), now, cases=cases, seed=seed, rounds=rounds
    )
    generated = time.perf_counter()
    with transaction.atomic():
        loaded = load_month(month, now)
    done = time.perf_counter()
    found = found_pairs()
    labelled = {number for _, number in month.truth}
    clean = [c for c in month.cases if c.events and c.number not in labelled]
    on_clean = {f for f in found if f[1] in {c.number for c in clean}}
    return {
        "database": connection.vendor,
        "items": len(items),
        "published": published,
        "departments": len({i.department_code for i in items}),
        "cases": loaded["cases"],
        "events": loaded["events"],
        "clean": len(clean),
        "findings": Finding.objects.count(),
        "on_clean": len(on_clean),
        "scores": score(month.truth, found),
        "generate_s": generated - started,
        "load_s": done - generated,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def section(figures: dict, command: str) -> str:
    rows = "\n".join(
        f"| `{s.rule_code}` | {s.injected} | {s.found} | {s.correct} | "
        f"{s.precision:.2f} | {s.recall:.2f} |"
        for s in figures["scores"]
    )
    injected = sum(s.injected for s in figures["scores"])
    correct = sum(s.correct for s in figures["scores"])
    found = sum(s.found for s in figures["scores"])
    return f"""{SECTION}

Command: `{command}`{BREAK}
Date: {figures["date"]}{BREAK}
Machine: {describe_machine()}{BREAK}
Database: {figures["database"]}

A generated month for the whole province: {figures["departments"]:,} departments and
{figures["items"]:,} catalogue items of the demo chart, {figures["cases"]:,} cases with
{figures["events"]:,} events, of which {figures["clean"]:,} clean (every step within its
limit by construction) and the rest with injected violations of every rule, labelled.
Every event went through the intake (schema, case number, times, projection) and every
rule ran on the result ({figures["load_s"]:.0f} s; generating took {figures["generate_s"]:.0f} s).
Targets are cases, catalogue items (事前 rules) or department-days (night-time bursts);
`review.sampled` is labelled by its own definition (the concluded cases whose hash falls
under the 2 % rate), so it checks only that sampling is wired through.

| rule | injected | found | found and injected | precision | recall |
|---|---:|---:|---:|---:|---:|
{rows}

All rules: {injected:,} injected, {found:,} found, {correct:,} both: precision
**{correct / found if found else 1:.3f}**, recall **{correct / injected if injected else 1:.3f}**;
findings on clean cases: **{figures["on_clean"]}**. The same check, on a few hundred cases,
runs in the test suite (`egov/supervision/tests/test_quality_small.py`).
"""


def write_section(text: str) -> None:
    doc = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(doc):
        doc = pattern.sub(lambda _: text + "\n", doc, count=1)
    else:
        doc = doc.rstrip("\n") + "\n\n" + text
    DOC.write_text(doc.rstrip("\n") + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="clean cases in the month")
    parser.add_argument("--rounds", type=int, default=5, help="injections of every rule")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database", default=None, help="database URL (default: SQLite temp)")
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md")
    args = parser.parse_args()
    setup(args.database)
    figures = run(args.cases, args.rounds, args.seed)
    command = (
        f".venv/bin/python -m bench.supervision_quality --cases {args.cases} --rounds {args.rounds}"
    )
    if args.database:
        command += " --database <postgres URL>"
    text = section(figures, command + " --write")
    print(text)
    if args.write:
        write_section(text)
    perfect = all(s.precision == 1 and s.recall == 1 for s in figures["scores"])
    return 0 if perfect and figures["on_clean"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
