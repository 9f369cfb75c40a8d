"""``egov supervision <subcommand>``: the supervision engine's commands (电子监察).

* ``import FILE [--system NAME] [--format json|jsonl|csv]``: case events
  exported by a legacy system (历史数据导入): a JSON array (or
  ``{"events": [...]}``), JSON lines, or CSV with the envelope's columns
  (``actor`` and ``data`` as JSON, or ``actor_kind``/``actor_id``/
  ``actor_organisation``). Sent through the same checks as the API in
  batches of 1,000; prints the counts and each rejected event with its line.
* ``rebuild [--case NUMBER] [--evaluate]``: recompute the projection
  (``SupervisedCase``) of one case or of every case, and the catalogue copy,
  from the stored events; prints counts. ``--evaluate`` runs the rules too.

* ``scan [--date YYYY-MM-DD]``: the time-limit judgement of every open case
  (时限扫描), department cards, overdue-notice alerts, alerts sent; the same
  job the worker runs every 15 minutes.
* ``warn [--date YYYY-MM-DD]``: early warnings (部门预警) of every department,
  an alert to each supervisor covering it, once; the worker runs it daily.
* ``evaluate [--case NUMBER] [--batch N]``: run every enabled rule again on the
  stored cases (in batches) and the catalogue, e.g. after a rule setting
  changed; findings already recorded are not repeated.

Each area adds its subcommand to :data:`SUBCOMMANDS` (name -> help, arguments, handler).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.supervision.collection.ingest import MAX_BATCH, IngestReport, ingest_events
from egov.supervision.models import Source

ACTOR = "supervision-import"
ENVELOPE = (
    "schema_version",
    "event_id",
    "type",
    "occurred_at",
    "case_number",
    "item_code",
    "department_code",
    "region_code",
    "status",
)
SHOWN_REJECTIONS = 50


# --- import -------------------------------------------------------------------------------


def json_events(text: str) -> Iterator[tuple[int, Any]]:
    """(line, event) of a JSON array or {"events": [...]} (line: position in the array)."""
    try:
        parsed = json.loads(text)
    except ValueError as exc:
        raise CommandError(f"not JSON: {exc}") from None
    events = parsed.get("events") if isinstance(parsed, dict) else parsed
    if not isinstance(events, list):
        raise CommandError('expected a JSON array of events or {"events": [...]}')
    yield from enumerate(events, start=1)


def jsonl_events(text: str) -> Iterator[tuple[int, Any]]:
    """(line number, event) of JSON lines; a line that is not JSON stays text (rejected)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except ValueError:
            yield number, f"line {number}: not JSON"


def csv_cell_json(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value  # left as text: the schema check names the field


def csv_event(row: dict[str, str]) -> dict[str, Any]:
    """One CSV row as an event: the envelope columns, actor and data as JSON."""
    event: dict[str, Any] = {name: row[name] for name in ENVELOPE if row.get(name)}
    if "schema_version" in event and event["schema_version"].isdigit():
        event["schema_version"] = int(event["schema_version"])
    if row.get("actor"):
        event["actor"] = csv_cell_json(row["actor"])
    elif row.get("actor_kind") or row.get("actor_id"):
        event["actor"] = {
            "kind": row.get("actor_kind", ""),
            "id": row.get("actor_id", ""),
            "organisation": row.get("actor_organisation", ""),
        }
    if row.get("data") is not None:
        event["data"] = csv_cell_json(row["data"])
    return event


def csv_events(text: str) -> Iterator[tuple[int, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = {"event_id", "type", "data"} - set(reader.fieldnames or ())
    if missing:
        raise CommandError(f"CSV: missing columns {', '.join(sorted(missing))}")
    for row in reader:
        yield reader.line_num, csv_event(row)


READERS: dict[str, Callable[[str], Iterator[tuple[int, Any]]]] = {
    "json": json_events,
    "jsonl": jsonl_events,
    "csv": csv_events,
}
SUFFIXES = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}


def batches(rows: Iterator[tuple[int, Any]]) -> Iterator[list[tuple[int, Any]]]:
    batch: list[tuple[int, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == MAX_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def add_import(parser: CommandParser) -> None:
    parser.add_argument("file", help="JSON array, JSON lines or CSV of case events")
    parser.add_argument("--system", default="", help="the legacy system's name (default: file)")
    parser.add_argument("--format", choices=sorted(READERS), help="default: by the file suffix")
    parser.add_argument(
        "--rejected",
        metavar="PATH",
        help="write each rejected event with its line, code, field and reason (JSON lines)",
    )


def run_import(command: BaseCommand, options: dict[str, Any]) -> None:
    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    kind = options["format"] or SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise CommandError(f"{path}: unknown format; use --format json|jsonl|csv")
    text = path.read_text(encoding="utf-8-sig")
    system = options["system"] or path.stem
    totals = {"accepted": 0, "duplicate": 0, "rejected": 0, "cases": 0}
    shown = 0
    rejected: list[dict[str, Any]] = []
    for batch in batches(READERS[kind](text)):
        report = ingest_events(
            events=[event for _, event in batch],
            source=Source.IMPORT,
            source_system=system[:64],
            actor=ACTOR,
        )
        for name in totals:
            totals[name] += report.summary()[name]
        shown = show_rejections(command, report, [line for line, _ in batch], shown)
        rejected += rejection_records(report, batch)
    if options.get("rejected"):
        lines = [json.dumps(record, ensure_ascii=False) for record in rejected]
        Path(options["rejected"]).write_text("".join(f"{line}\n" for line in lines), "utf-8")
    command.stdout.write(
        f"imported {path.name}: accepted {totals['accepted']}, duplicate {totals['duplicate']}, "
        f"rejected {totals['rejected']}; cases rebuilt {totals['cases']}"
    )


def rejection_records(report: IngestReport, batch: list[tuple[int, Any]]) -> list[dict[str, Any]]:
    """Each rejected event of a batch with its line and why, to fix and import again."""
    return [
        {
            "line": batch[result.index][0],
            "code": result.code,
            "field": result.field,
            "reason": result.reason,
            "event": batch[result.index][1],
        }
        for result in report.results
        if result.status == "rejected"
    ]


def show_rejections(
    command: BaseCommand, report: IngestReport, lines: list[int], shown: int
) -> int:
    for result in report.results:
        if result.status != "rejected":
            continue
        if shown < SHOWN_REJECTIONS:
            command.stdout.write(
                f"line {lines[result.index]}: {result.event_id or '-'} {result.code} "
                f"{result.field}: {result.reason}"
            )
        shown += 1
    return shown


# --- rebuild ----------------------------------------------------------------------------


def add_rebuild(parser: CommandParser) -> None:
    parser.add_argument("--case", dest="case_number", help="only this case")
    parser.add_argument("--evaluate", action="store_true", help="run the rules on each case too")


def run_rebuild(command: BaseCommand, options: dict[str, Any]) -> None:
    from egov.supervision.collection.projection_store import (
        all_case_numbers,
        rebuild_cases,
        rebuild_reference_items,
    )
    from egov.supervision.models import CaseEvent

    number = options.get("case_number")
    if number and not CaseEvent.objects.filter(case_number=number).exists():
        raise CommandError(f"no stored events for case {number}")
    numbers = [number] if number else all_case_numbers()
    cases = rebuild_cases(numbers)
    items = 0 if number else rebuild_reference_items()
    findings = 0
    if options.get("evaluate"):
        from egov.supervision.judging.evaluation import evaluate_cases

        for start in range(0, len(numbers), MAX_BATCH):
            findings += len(evaluate_cases(case_numbers=numbers[start : start + MAX_BATCH]))
    events = CaseEvent.objects.filter(case_number__in=numbers).count() if number else None
    events = CaseEvent.objects.count() if events is None else events
    line = f"rebuilt {cases} cases from {events} stored events; reference items {items}"
    command.stdout.write(line + (f"; findings {findings}" if options.get("evaluate") else ""))


# --- scan (S3) ------------------------------------------------------------------------------


def add_scan(parser: CommandParser) -> None:
    parser.add_argument("--date", help="judge as of this local date YYYY-MM-DD (default: today)")


def run_scan(command: BaseCommand, options: dict[str, Any]) -> None:
    import datetime as dt

    from egov.supervision.judging.scan import scheduled_scan

    day = None
    if options.get("date"):
        try:
            day = dt.date.fromisoformat(options["date"])
        except ValueError:
            raise CommandError(f"--date: expected YYYY-MM-DD, got {options['date']!r}") from None
    run = scheduled_scan(day)
    result = run.scan
    command.stdout.write(
        f"scanned {result.today}: red {result.turned_red}, yellow {result.turned_yellow}, "
        f"green {result.turned_green} turned; first judged {result.first_judged}; "
        f"findings {result.findings_created}, alerts {result.alerts_created}; "
        f"cards {run.cards_issued}; overdue notices {run.overdue_notice_alerts}; "
        f"alerts sent {run.alerts_sent}"
    )


# --- warn (S4) ------------------------------------------------------------------------------


def add_warn(parser: CommandParser) -> None:
    parser.add_argument("--date", help="test the weeks up to this local date (default: today)")


def run_warn(command: BaseCommand, options: dict[str, Any]) -> None:
    import datetime as dt

    from egov.supervision.statistics.warning_alerts import send_early_warning_alerts

    day = None
    if options.get("date"):
        try:
            day = dt.date.fromisoformat(options["date"])
        except ValueError:
            raise CommandError(f"--date: expected YYYY-MM-DD, got {options['date']!r}") from None
    created = send_early_warning_alerts(actor="egov supervision warn", today=day)
    command.stdout.write(f"early warnings: {created} new alerts to supervisors")


# --- evaluate (S2) ---------------------------------------------------------------------------


def add_evaluate(parser: CommandParser) -> None:
    parser.add_argument("--case", dest="case_number", help="only this case")
    parser.add_argument("--batch", type=int, default=1000, help="cases per transaction")


def run_evaluate(command: BaseCommand, options: dict[str, Any]) -> None:
    """Run every enabled rule again (after a rule setting changed): cases, catalogue, nights."""
    from egov.supervision.collection.projection_store import all_case_numbers
    from egov.supervision.judging.evaluation import evaluate_cases, evaluate_catalogue

    number = options.get("case_number")
    numbers = [number] if number else all_case_numbers()
    size = max(1, options.get("batch") or 1000)
    found = 0
    for start in range(0, len(numbers), size):
        found += len(evaluate_cases(case_numbers=numbers[start : start + size], actor=ACTOR_RULES))
    items = 0 if number else len(evaluate_catalogue(actor=ACTOR_RULES))
    command.stdout.write(
        f"evaluated {len(numbers)} cases: {found} case findings; catalogue findings {items}"
    )


ACTOR_RULES = "supervision-evaluate"


SUBCOMMANDS: dict[
    str, tuple[str, Callable[[CommandParser], None], Callable[[BaseCommand, dict], None]]
] = {
    "import": (
        "import case events from a legacy export (JSON, JSON lines, CSV)",
        add_import,
        run_import,
    ),
    "rebuild": ("rebuild the projection from the stored events", add_rebuild, run_rebuild),
    "scan": ("judge every open case's light, issue cards, send alerts", add_scan, run_scan),
    "warn": ("early warnings of departments, alerts to their supervisors", add_warn, run_warn),
    "evaluate": ("run every enabled rule again on stored cases", add_evaluate, run_evaluate),
}


class Command(BaseCommand):
    help = "The supervision engine (电子监察): " + ", ".join(SUBCOMMANDS)

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for name, (text, add, _) in SUBCOMMANDS.items():
            add(sub.add_parser(name, help=text))

    def handle(self, *args: Any, **options: Any) -> None:
        _, _, run = SUBCOMMANDS[options["subcommand"]]
        run(self, options)
