"""Collecting case events (办件数据采集): check, keep, project, judge.

:func:`ingest_events` is the one entry for every source: our approvals app
(the outbox subscriber), departments' systems (``POST
/api/v1/supervision/events``), legacy exports (``egov supervision import``).
Each event is judged on its own and gets one result:

* ``accepted``: stored (``CaseEvent``), its case re-projected and re-judged;
* ``duplicate``: an event with that id is already stored with the same
  content (a replayed batch changes nothing);
* ``rejected``: with an error code (:class:`~egov.supervision.errors.ErrorCode`),
  the field at fault and the reason: not matching the event schema, unknown
  type, missing field, malformed case number (check character), unknown
  region, impossible time (before 2000, in the future beyond a small clock
  skew, before the case's receipt), or an event id already stored with other
  content (``conflict``).

The good events of a batch are kept even when others are refused. Events of
a case whose ``ApplicationSubmitted`` has not arrived are kept too: the case
is projected as incomplete and judged once its submission arrives. After
storing, every touched case is rebuilt from ALL its stored events
(:mod:`egov.supervision.collection.projection_store`), then the rules run on it
(``evaluate_case``), all in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jsonschema
import jsonschema_rs
from django.db import connection, transaction
from django.utils import timezone

from egov.core.models import Region
from egov.core.services.audit import record_audit
from egov.supervision.collection.ingest_checks import (
    DEFAULT_SKEW,
    SHANGHAI,
    Problem,
    check_case_number,
    check_characters,
    check_numbers,
    check_times,
    parse_case_number,
    parse_instant,
    receipt_problem,
)
from egov.supervision.collection.projection import CASE_EVENT_TYPES, when
from egov.supervision.collection.projection_store import (
    ITEM_PUBLISHED,
    Loaded,
    rebuild_cases,
    rebuild_reference_items,
)
from egov.supervision.errors import ErrorCode
from egov.supervision.judging.insert_select import insert_rows
from egov.supervision.models import CaseEvent, Source, SupervisedCase
from egov.supervision.statistics import rollups

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "data" / "case-events.schema.json"
KNOWN_TYPES = frozenset(CASE_EVENT_TYPES | {ITEM_PUBLISHED})
MAX_BATCH = 1_000


class Outcome:
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


@dataclass(frozen=True)
class EventResult:
    """What became of one event of a batch."""

    index: int
    event_id: str
    status: str
    code: str = ""
    field: str = ""
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "index": self.index,
            "event_id": self.event_id,
            "status": self.status,
        }
        if self.status == Outcome.REJECTED:
            body |= {"code": self.code, "field": self.field, "reason": self.reason}
        return body


@dataclass
class IngestReport:
    """Per-event results and counts of one ingest call."""

    results: list[EventResult] = field(default_factory=list)
    cases: int = 0
    items: int = 0

    def count(self, status: str) -> int:
        return sum(1 for result in self.results if result.status == status)

    @property
    def accepted(self) -> int:
        return self.count(Outcome.ACCEPTED)

    @property
    def duplicate(self) -> int:
        return self.count(Outcome.DUPLICATE)

    @property
    def rejected(self) -> int:
        return self.count(Outcome.REJECTED)

    def summary(self) -> dict[str, int]:
        return {
            "accepted": self.accepted,
            "duplicate": self.duplicate,
            "rejected": self.rejected,
            "cases": self.cases,
            "items": self.items,
        }


# --- checks of one event ----------------------------------------------------------------


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def inline(node: Any, defs: Mapping[str, Any]) -> Any:
    """The schema with each local ``{"$ref": "#/$defs/X"}`` replaced by X (no recursion in ours)."""
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return inline(defs[ref.removeprefix("#/$defs/")], defs)
        return {key: inline(value, defs) for key, value in node.items()}
    if isinstance(node, list):
        return [inline(value, defs) for value in node]
    return node


def narrowed_branch(branch: Mapping[str, Any], kind: str) -> Mapping[str, Any] | None:
    """An ``allOf`` entry for events of type ``kind``: its ``then`` if keyed on that type."""
    condition = ((branch.get("if") or {}).get("properties") or {}).get("type") or {}
    if "const" not in condition:
        return branch  # not keyed on one type: kept as it is
    return branch["then"] if condition["const"] == kind else None


@lru_cache(maxsize=32)
def narrowed_schema(kind: str) -> dict[str, Any]:
    """The schema narrowed to one event type (speed: one branch, not fifteen).

    The schema's ``allOf`` holds one ``if type == T then data: $defs/T`` per
    type; for an event of type ``kind`` only its own branch applies, so it is
    kept as a plain subschema and the others dropped, and the ``$defs``
    references are inlined. Validating an event of that type against the
    result is the same as against the whole schema.
    """
    whole = schema()
    branches = [narrowed_branch(b, kind) for b in whole["allOf"]]
    narrowed = {key: value for key, value in whole.items() if key != "$defs"}
    narrowed["allOf"] = [b for b in branches if b is not None]
    return inline(narrowed, whole["$defs"])


@lru_cache(maxsize=32)
def validator(kind: str) -> jsonschema.Draft202012Validator:
    """The schema's validator narrowed to one event type: the one that explains a refusal."""
    return jsonschema.Draft202012Validator(
        narrowed_schema(kind), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@lru_cache(maxsize=32)
def fast_validator(kind: str) -> Any:
    """The same narrowed schema compiled by jsonschema-rs (ADR 0049), formats checked."""
    return jsonschema_rs.validator_for(narrowed_schema(kind), validate_formats=True)


def surely_valid(kind: str, event: Any) -> bool:
    """Does jsonschema-rs find the event valid? (about 100 times faster than jsonschema)

    Only its "valid" is trusted: an event it refuses (or cannot read) is
    judged again by :func:`validator`, which decides and names the field, so a
    stricter format check of jsonschema-rs never refuses what jsonschema takes.
    """
    try:
        return bool(fast_validator(kind).is_valid(event))
    except (ValueError, TypeError, OverflowError):
        return False


def error_field(error: jsonschema.ValidationError) -> str:
    path = ".".join(str(part) for part in error.absolute_path)
    if error.validator == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else ""
        return f"{path}.{missing}".strip(".")
    return path or "event"


def schema_problem(event: Any) -> Problem | None:
    """The type first (unknown type has its own code), then the JSON schema."""
    if not isinstance(event, Mapping):
        return Problem(ErrorCode.SCHEMA_INVALID, "event", "应为JSON对象")
    kind = event.get("type")
    if kind is None:
        return Problem(ErrorCode.MISSING_FIELD, "type", "缺少字段")
    if not isinstance(kind, str) or kind not in KNOWN_TYPES:
        return Problem(ErrorCode.UNKNOWN_TYPE, "type", f"未知的事件类型 {str(kind)[:40]!r}")
    if surely_valid(kind, event):
        return None
    checker = validator(kind)
    if checker.is_valid(event):
        return None
    errors = list(checker.iter_errors(event))
    # The most precise error: the deepest; at equal depth a missing field first.
    chosen = min(errors, key=lambda e: (-len(e.absolute_path), e.validator != "required"))
    missing = chosen.validator == "required"
    code = ErrorCode.MISSING_FIELD if missing else ErrorCode.SCHEMA_INVALID
    reason = "缺少字段" if missing else str(chosen.message)[:200]
    return Problem(code, error_field(chosen), reason)


def submission_day_problem(event: Mapping[str, Any]) -> Problem | None:
    """An ApplicationSubmitted whose receipt date is not the date in its case number."""
    if event.get("type") != "ApplicationSubmitted":
        return None
    parsed = parse_case_number(event.get("case_number"))
    received = parse_instant((event.get("data") or {}).get("received_at"))
    if isinstance(parsed, str) or received is None:
        return None
    if received.astimezone(SHANGHAI).date() != parsed.day:
        reason = "收件日期与办件编号中的日期不符"
        return Problem(ErrorCode.IMPOSSIBLE_TIME, "data.received_at", reason)
    return None


def event_problem(
    event: Any, known_regions: dict[str, str], now: dt.datetime, skew: dt.timedelta
) -> Problem | None:
    """The first reason to refuse one event on its own, or None."""
    problem = schema_problem(event)
    if problem is not None:
        return problem
    problem = check_characters(event) or check_times(event, now, skew) or check_numbers(event)
    if problem is not None:
        return problem
    if event["type"] != ITEM_PUBLISHED:
        problem = check_case_number(event) or submission_day_problem(event)
        if problem is not None:
            return problem
    if event["region_code"] not in known_regions:
        return Problem(ErrorCode.UNKNOWN_REGION, "region_code", "未知的行政区划代码")
    if event["type"] != ITEM_PUBLISHED and event["case_number"][:6] not in known_regions:
        return Problem(ErrorCode.UNKNOWN_REGION, "case_number", "办件编号中的行政区划代码未知")
    return None


def scope_problem(event: Any, known: dict[str, str], scope_path: str) -> Problem | None:
    """An event of a region outside the sender's own."""
    if scope_path and not known.get(event["region_code"], "").startswith(scope_path):
        reason = "不在本系统所属机构的辖区内"
        return Problem(ErrorCode.PERMISSION_DENIED, "region_code", reason)
    return None


def region_codes_in(events: Sequence[Any]) -> dict[str, str]:
    """The region codes the batch names that exist, with their paths (one query)."""
    codes: set[str] = set()
    for event in events:
        if isinstance(event, Mapping):
            codes.add(str(event.get("region_code", ""))[:6])
            codes.add(str(event.get("case_number", ""))[:6])
    return dict(Region.objects.filter(code__in=codes).values_list("code", "path"))


# --- the batch ---------------------------------------------------------------------------


@dataclass
class Batch:
    """The events of one call as they are sorted into results."""

    events: Sequence[Any]
    results: dict[int, EventResult] = field(default_factory=dict)
    good: dict[int, Mapping[str, Any]] = field(default_factory=dict)

    def reject(self, index: int, problem: Problem) -> None:
        event = self.events[index]
        event_id = str(event.get("event_id", "")) if isinstance(event, Mapping) else ""
        self.results[index] = EventResult(
            index, event_id[:64], Outcome.REJECTED, str(problem.code), problem.field, problem.reason
        )
        self.good.pop(index, None)

    def mark(self, index: int, status: str) -> None:
        event_id = str(self.good[index]["event_id"])
        self.results[index] = EventResult(index, event_id, status)
        if status != Outcome.ACCEPTED:
            self.good.pop(index)


def canonical(event: Mapping[str, Any]) -> str:
    return json.dumps(event, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


CONFLICT = Problem(ErrorCode.CONFLICT, "event_id", "该事件标识已存在，但内容不同")


def settle(batch: Batch, index: int, earlier: Mapping[str, Any]) -> None:
    """A repeated event id: a duplicate if the content is the same, else a conflict."""
    if canonical(earlier) == canonical(batch.good[index]):
        batch.mark(index, Outcome.DUPLICATE)
    else:
        batch.reject(index, CONFLICT)


def sort_out_repeats(batch: Batch) -> None:
    """Same id twice in the batch, or already stored: duplicate if equal, else conflict."""
    first_of: dict[str, int] = {}
    for index in sorted(batch.good):
        event_id = str(batch.good[index]["event_id"])
        if event_id in first_of:
            settle(batch, index, batch.good[first_of[event_id]])
        else:
            first_of[event_id] = index
    rows = CaseEvent.objects.filter(event_id__in=list(first_of)).values_list("event_id", "payload")
    stored = {str(key): payload for key, payload in rows}
    for event_id, index in first_of.items():
        if event_id in stored:
            settle(batch, index, stored[event_id])


def check_receipts(batch: Batch) -> None:
    """Refuse events that happened before their case's receipt (stored or in this batch)."""
    numbers = {str(e.get("case_number")) for e in batch.good.values() if e.get("case_number")}
    received = dict(
        SupervisedCase.objects.filter(
            case_number__in=numbers, received_at__isnull=False
        ).values_list("case_number", "received_at")
    )
    for event in batch.good.values():
        if event["type"] == "ApplicationSubmitted":
            received[event["case_number"]] = parse_instant(event["data"]["received_at"])
    for index in sorted(batch.good):
        event = batch.good[index]
        problem = receipt_problem(event, received.get(str(event.get("case_number", ""))))
        if problem is not None:
            batch.reject(index, problem)


def case_lock_key(case_number: str) -> int:
    """A signed 64-bit advisory lock key for one case (namespaced by a prefix)."""
    digest = hashlib.sha256(f"supervision.case:{case_number}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def lock_cases(case_numbers: Iterable[str]) -> None:
    """On PostgreSQL, hold each touched case's lock until the transaction ends.

    Two batches touching the same case then rebuild it one after the other,
    the second seeing the first's events; keys are taken in sorted order, so
    two batches cannot deadlock. SQLite serialises writing transactions anyway.
    """
    if connection.vendor != "postgresql":
        return
    keys = sorted({case_lock_key(number) for number in case_numbers})
    if keys:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(k) FROM unnest(%s::bigint[]) AS k ORDER BY k",
                [keys],
            )


def lock_names(events: Iterable[Mapping[str, Any]]) -> set[str]:
    """What a batch's events write: their cases, and the items of ItemPublished."""
    return {
        f"item:{event['item_code']}" if event["type"] == ITEM_PUBLISHED else event["case_number"]
        for event in events
    }


def store(batch: Batch, source: str, source_system: str) -> tuple[set[str], set[str]]:
    """Insert the accepted events; the case numbers and item codes they touch."""
    rows: list[SimpleNamespace] = []  # the rows' values; no model instance per event (speed)
    cases: set[str] = set()
    items: set[str] = set()
    for event in batch.good.values():
        is_item = event["type"] == ITEM_PUBLISHED
        number = "" if is_item else event["case_number"]
        rows.append(
            SimpleNamespace(
                event_id=event["event_id"],
                case_number=number,
                type=event["type"],
                occurred_at=when(event),  # the checks refused events without a time
                source=source,
                source_system=source_system[:64],
                department_code=event["department_code"],
                region_code=event["region_code"],
                payload=dict(event),
            )
        )
        (items if is_item else cases).add(event["item_code"] if is_item else number)
    insert_rows(CaseEvent, rows, ignore_conflicts=True)
    return cases, items


def judge(cases: set[str], items: set[str], loaded: Loaded | None = None) -> None:
    """Run the rules on the touched cases and catalogue items (S2's evaluation).

    ``loaded``: the cases' stored events as the rebuild read them (not read again).
    """
    from egov.supervision.judging import evaluation

    if cases:
        evaluation.evaluate_cases(case_numbers=sorted(cases), loaded=loaded)
    if items:
        evaluation.evaluate_catalogue(item_codes=sorted(items))


def ingest_in_transaction(
    *,
    events: Sequence[Any],
    source: str,
    source_system: str = "",
    actor: Any,
    now: dt.datetime | None = None,
    skew: dt.timedelta = DEFAULT_SKEW,
    evaluate: bool = True,
    scope_path: str = "",
) -> IngestReport:
    """:func:`ingest_events` inside the caller's transaction (the outbox subscriber's).

    ``scope_path``: a region path; events of departments outside it are refused
    (an external system may only report its own organisation's region).
    """
    if source not in Source.values:
        raise ValueError(f"source: one of {', '.join(Source.values)}")
    moment = now or timezone.now()
    batch = Batch(events)
    known = region_codes_in(events)
    for index, event in enumerate(events):
        problem = event_problem(event, known, moment, skew) or scope_problem(
            event, known, scope_path
        )
        if problem is None:
            batch.good[index] = event
        else:
            batch.reject(index, problem)
    lock_cases(lock_names(batch.good.values()))
    sort_out_repeats(batch)
    check_receipts(batch)
    for index in batch.good:
        batch.mark(index, Outcome.ACCEPTED)
    report = IngestReport(results=[batch.results[i] for i in range(len(events))])
    if not batch.good:
        return report
    cases, items = store(batch, source, source_system)
    loaded: Loaded = {}
    report.cases = rebuild_cases(cases, now=moment, keep=loaded if evaluate else None)
    report.items = rebuild_reference_items(items) if items else 0
    if evaluate:
        judge(cases, items, loaded)
    rollups.refresh_rollups_for(cases)  # the dashboards' daily figures (ADR 0050)
    if source != Source.INTERNAL:
        record_audit(
            actor=actor,
            action="supervision.EventsIngested",
            object_type="supervision.CaseEvent",
            object_id=source_system or source,
            summary=(
                f"{source} {source_system}: 接收 {report.accepted}，重复 {report.duplicate}，"
                f"拒收 {report.rejected}，办件 {report.cases}"
            ),
        )
    return report


def ingest_events(
    *,
    events: Sequence[Any],
    source: str,
    source_system: str = "",
    actor: Any,
    now: dt.datetime | None = None,
    scope_path: str = "",
) -> IngestReport:
    """Check, keep and project a batch of case events (采集); per-event results.

    One transaction: the accepted events, the rebuilt cases, their findings
    and the audit entry commit together. Replaying a batch changes nothing.
    """
    with transaction.atomic(durable=True):
        return ingest_in_transaction(
            events=events,
            source=source,
            source_system=source_system,
            actor=actor,
            now=now,
            scope_path=scope_path,
        )


def rejected_lines(report: IngestReport) -> Iterable[str]:
    """One line per rejected event, for the command and logs."""
    for result in report.results:
        if result.status == Outcome.REJECTED:
            yield (
                f"#{result.index} {result.event_id or '-'}: {result.code} "
                f"{result.field}: {result.reason}"
            )
