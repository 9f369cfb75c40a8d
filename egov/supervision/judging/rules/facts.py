"""The facts the rules judge (监察事实), built from case events, pure: no Django import.

:func:`case_facts` reads one case's events (dicts per
``docs/case-events.schema.json``) with what the engine knows besides them
(the reference catalogue item, earlier cases of the same applicant, whether
the decider held the role, which region codes exist) and recomputes the
case's clock with the working calendar it is given, never trusting the
department's claim. Counting follows ``docs/case-events.md`` ("Clock rules"):
a period counts from the day after the event that starts it; a suspension
started on local day *s* and ended on day *e* stops the days *s+1 … e*; the
engine times each step by the event's ``occurred_at`` (when the step was
recorded), the department's own timestamps in ``data`` are compared with it
by the timestamp rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
ACCEPTANCE_WINDOW_DAYS = 5  # 行政许可法第三十二条

TYPE_ORDER = {
    "ApplicationSubmitted": 0,
    "SupplementRequested": 1,
    "SupplementReceived": 2,
    "CaseAccepted": 3,
    "CaseRefused": 3,
    "SpecialProcedureStarted": 4,
    "SpecialProcedureEnded": 5,
    "CaseExtended": 6,
    "CaseDecided": 7,
    "FeePaid": 8,
    "CaseConcluded": 9,
    "CaseDelivered": 10,
    "CaseWithdrawn": 11,
    "CaseTerminated": 11,
}
STOPPING = ("CaseDecided", "CaseRefused", "CaseWithdrawn", "CaseTerminated")


class Calendar(Protocol):
    def add_working_days(self, start: dt.date, n: int, paused: Sequence[Any] = ()) -> dt.date: ...

    def working_days_between(self, a: dt.date, b: dt.date, paused: Sequence[Any] = ()) -> int: ...


def parse_instant(value: Any) -> dt.datetime | None:
    """An aware datetime from an RFC 3339 text (``Z`` or offset), or None."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else None
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def local_day(instant: dt.datetime) -> dt.date:
    return instant.astimezone(SHANGHAI).date()


def event_order(event: Mapping[str, Any]) -> tuple[Any, int, str]:
    at = parse_instant(event.get("occurred_at")) or dt.datetime.min.replace(tzinfo=dt.UTC)
    return (at, TYPE_ORDER.get(event.get("type", ""), 99), str(event.get("event_id", "")))


@dataclass(frozen=True)
class ReferenceFacts:
    """The engine's copy of the catalogue item (事项基准)."""

    code: str
    name: str = ""
    department_code: str = ""
    region_code: str = ""
    legal_basis: str = ""
    statutory_limit_days: int = 0
    promised_limit_days: int = 0
    fees: tuple[Mapping[str, Any], ...] = ()  # name, amount_fen, basis
    materials: tuple[Mapping[str, Any], ...] = ()  # code, name, required (or mandatory)
    published_at: dt.datetime | None = None  # when this version of the item was published

    def in_force_at(self, instant: dt.datetime | None) -> bool:
        """Was this version already published then? (An older case may predate a change.)"""
        return self.published_at is None or instant is None or self.published_at <= instant

    @property
    def required_materials(self) -> dict[str, str]:
        return {
            str(m.get("code")): str(m.get("name", ""))
            for m in self.materials
            if m.get("required", m.get("mandatory", False))
        }

    def fee_standard(self, name: str) -> int | None:
        for fee in self.fees:
            if fee.get("name") == name:
                return int(fee.get("amount_fen", 0))
        return None


@dataclass(frozen=True)
class RelatedCase:
    """Another case of the same applicant (same identifier digest)."""

    case_number: str
    item_code: str
    applicant_name: str
    received_at: dt.datetime | None
    closed_at: dt.datetime | None


@dataclass(frozen=True)
class Decider:
    """Who recorded the decision, and whether they held the deciding role there then."""

    kind: str
    username: str
    organisation: str
    has_role: bool | None  # None: no such account known to the platform


@dataclass(frozen=True)
class Suspension:
    """A span when the clock stood still: 补正 (``supplement``) or a special procedure."""

    kind: str
    sequence: int
    started: dt.datetime
    ended: dt.datetime | None
    limit_days: int | None
    working_days: int | None  # the days it stopped, once ended
    missing: tuple[str, ...] = ()  # material codes asked for (补正)

    def interval(self) -> tuple[dt.date, dt.date] | None:
        if self.ended is None:
            return None
        first = local_day(self.started) + dt.timedelta(days=1)
        last = local_day(self.ended)
        return (first, last) if last >= first else None


@dataclass(frozen=True)
class Clock:
    """The engine's own timing of the case (None where the step has not happened)."""

    received_on: dt.date | None = None
    acceptance_due: dt.date | None = None
    answered_on: dt.date | None = None  # accepted or refused, not deemed
    deemed: bool = False
    decided_on: dt.date | None = None
    working_days_used: int | None = None
    limit_days: int | None = None  # promised + extensions
    statutory_days: int | None = None  # statutory + extensions
    deadline: dt.date | None = None

    @property
    def on_time(self) -> bool | None:
        if self.working_days_used is None or self.limit_days is None:
            return None
        return self.working_days_used <= self.limit_days


@dataclass(frozen=True)
class CaseFacts:
    """Everything the case rules judge about one case."""

    case_number: str
    item_code: str
    department_code: str
    region_code: str
    events: tuple[Mapping[str, Any], ...]  # sorted by occurred_at, then type
    statuses: tuple[str, ...]
    status: str
    submission: Mapping[str, Any] | None
    applicant: Mapping[str, Any] | None
    suspensions: tuple[Suspension, ...]
    extension_days: int
    clock: Clock
    claimed_on_time: bool | None
    materials_supplied: frozenset[str]
    payments: tuple[Mapping[str, Any], ...]
    refunds: tuple[Mapping[str, Any], ...] = ()
    reference: ReferenceFacts | None = None
    related: tuple[RelatedCase, ...] = ()
    decider: Decider | None = None
    known_region_codes: frozenset[str] = frozenset()
    received: Mapping[str, tuple[dt.datetime, str]] = field(default_factory=dict)
    today: dt.date | None = None

    def first(self, event_type: str) -> Mapping[str, Any] | None:
        return next((e for e in self.events if e.get("type") == event_type), None)

    def last(self, event_type: str) -> Mapping[str, Any] | None:
        return next((e for e in reversed(self.events) if e.get("type") == event_type), None)

    def of_type(self, event_type: str) -> list[Mapping[str, Any]]:
        return [e for e in self.events if e.get("type") == event_type]

    def has(self, event_type: str) -> bool:
        return self.first(event_type) is not None

    @property
    def outcome(self) -> str:
        """How the case ended: refused, withdrawn, terminated, approved, denied, or its status."""
        for kind, outcome in (
            ("CaseTerminated", "terminated"),
            ("CaseWithdrawn", "withdrawn"),
            ("CaseRefused", "refused"),
        ):
            if self.has(kind):
                return outcome
        decision = self.last("CaseDecided")
        if decision is not None:
            return "approved" if decision.get("data", {}).get("decision") == "approve" else "denied"
        return self.status

    @property
    def received_at(self) -> dt.datetime | None:
        if self.submission is None:
            return None
        data = self.submission.get("data", {})
        return parse_instant(data.get("received_at")) or parse_instant(
            self.submission.get("occurred_at")
        )


def occurred(event: Mapping[str, Any]) -> dt.datetime:
    """When ``event`` happened; intake refuses events without an aware ``occurred_at``."""
    instant = parse_instant(event.get("occurred_at"))
    if instant is None:
        raise ValueError(f"event {event.get('event_id')}: occurred_at is not a time")
    return instant


def build_suspensions(events: Sequence[Mapping[str, Any]], calendar: Calendar) -> list[Suspension]:
    """Pair each start (补正告知, 特别程序开始) with its end."""
    found: list[Suspension] = []
    open_: dict[tuple[str, Any], int] = {}
    for event in events:
        kind, data = event.get("type"), event.get("data", {})
        if kind in ("SupplementRequested", "SpecialProcedureStarted"):
            key = (
                ("supplement", data.get("sequence"))
                if kind == "SupplementRequested"
                else (data.get("procedure", ""), None)
            )
            started = parse_instant(data.get("suspension_start")) or occurred(event)
            missing = tuple(str(m.get("code", "")) for m in data.get("missing", []))
            open_[key] = len(found)
            found.append(
                Suspension(
                    key[0],
                    int(data.get("sequence") or 1),
                    started,
                    None,
                    data.get("limit_days"),
                    None,
                    missing,
                )
            )
        elif kind in ("SupplementReceived", "SpecialProcedureEnded"):
            key = (
                ("supplement", data.get("sequence"))
                if kind == "SupplementReceived"
                else (data.get("procedure", ""), None)
            )
            index = open_.pop(key, None)
            if index is None:
                continue
            begun = found[index]
            ended = parse_instant(data.get("suspension_end")) or occurred(event)
            days = calendar.working_days_between(local_day(begun.started), local_day(ended))
            found[index] = Suspension(
                begun.kind,
                begun.sequence,
                begun.started,
                ended,
                begun.limit_days,
                max(days, 0),
                begun.missing,
            )
    return found


def paused(suspensions: Iterable[Suspension], before: dt.date | None = None) -> list[Any]:
    intervals = [s.interval() for s in suspensions]
    return [i for i in intervals if i is not None and (before is None or i[1] <= before)]


def limits_of(data: Mapping[str, Any], reference: ReferenceFacts | None) -> tuple[int, int]:
    """(promised, statutory) working days: the reference item's, else the submission's."""
    if reference is not None:
        return reference.promised_limit_days, reference.statutory_limit_days
    return int(data.get("promised_limit_days", 0)), int(data.get("statutory_limit_days", 0))


def build_clock(
    events: Sequence[Mapping[str, Any]],
    submission: Mapping[str, Any] | None,
    suspensions: Sequence[Suspension],
    extension_days: int,
    calendar: Calendar,
    reference: ReferenceFacts | None = None,
) -> Clock:
    """Recompute acceptance and processing times from the events."""
    if submission is None:
        return Clock()
    data = submission.get("data", {})
    received = parse_instant(data.get("received_at")) or occurred(submission)
    received_on = local_day(received)
    answer = next((e for e in events if e.get("type") in ("CaseAccepted", "CaseRefused")), None)
    answered_on = local_day(occurred(answer)) if answer else None
    due = calendar.add_working_days(
        received_on, ACCEPTANCE_WINDOW_DAYS, paused(suspensions, before=answered_on)
    )
    deemed = bool(answer and answer.get("data", {}).get("deemed"))
    clock = Clock(
        received_on=received_on, acceptance_due=due, answered_on=answered_on, deemed=deemed
    )
    accepted = next((e for e in events if e.get("type") == "CaseAccepted"), None)
    if accepted is None:
        return clock
    start = local_day(occurred(accepted))
    pauses = paused(suspensions)
    # The catalogue's limits when the engine has the version in force at receipt.
    in_force = reference if reference is not None and reference.in_force_at(received) else None
    promised, statutory_days = limits_of(data, in_force)
    limit = promised + extension_days
    statutory = statutory_days + extension_days
    decided = next((e for e in events if e.get("type") == "CaseDecided"), None)
    decided_on = local_day(occurred(decided)) if decided else None
    used = calendar.working_days_between(start, decided_on, pauses) if decided_on else None
    return Clock(
        received_on=received_on,
        acceptance_due=due,
        answered_on=answered_on,
        deemed=deemed,
        decided_on=decided_on,
        working_days_used=used,
        limit_days=limit,
        statutory_days=statutory,
        deadline=calendar.add_working_days(start, limit, pauses),
    )


def supplied_materials(
    submission: Mapping[str, Any] | None,
    events: Sequence[Mapping[str, Any]],
    suspensions: Sequence[Suspension],
) -> frozenset[str]:
    """Codes submitted, received as supplements, or asked for in a 补正 that was answered."""
    codes = {str(m.get("code")) for m in (submission or {}).get("data", {}).get("materials", [])}
    for event in events:
        if event.get("type") == "SupplementReceived":
            codes |= {str(m.get("code")) for m in event.get("data", {}).get("materials", [])}
    for suspension in suspensions:
        if suspension.kind == "supplement" and suspension.ended is not None:
            codes |= set(suspension.missing)
    return frozenset(codes)


def claimed_on_time(events: Sequence[Mapping[str, Any]]) -> bool | None:
    for kind in ("CaseDecided", "CaseConcluded"):
        claim = next((e for e in events if e.get("type") == kind), None)
        if claim is not None and isinstance(claim.get("data", {}).get("on_time"), bool):
            return bool(claim["data"]["on_time"])
    return None


def extension_total(events: Sequence[Mapping[str, Any]]) -> int:
    days = [
        int(e.get("data", {}).get("days", 0)) for e in events if e.get("type") == "CaseExtended"
    ]
    return sum(days)


def case_facts(
    events: Iterable[Mapping[str, Any]],
    calendar: Calendar,
    *,
    reference: ReferenceFacts | None = None,
    related: Sequence[RelatedCase] = (),
    decider_has_role: bool | None = None,
    known_region_codes: Iterable[str] = (),
    received: Mapping[str, tuple[dt.datetime, str]] | None = None,
    today: dt.date | None = None,
) -> CaseFacts:
    """The facts of one case from its events (any order) and what the engine knows besides.

    ``received`` maps an event id to (when supervision received it, its source).
    """
    ordered = tuple(sorted(events, key=event_order))
    if not ordered:
        raise ValueError("events: a case needs at least one event")
    head = ordered[0]
    submission = next((e for e in ordered if e.get("type") == "ApplicationSubmitted"), None)
    suspensions = build_suspensions(ordered, calendar)
    extension = extension_total(ordered)
    decision = next((e for e in ordered if e.get("type") == "CaseDecided"), None)
    decider = None
    if decision is not None:
        actor = decision.get("actor", {})
        decider = Decider(
            str(actor.get("kind", "")),
            str(actor.get("id", "")),
            str(actor.get("organisation", "")),
            decider_has_role,
        )
    return CaseFacts(
        case_number=str(head.get("case_number", "")),
        item_code=str((submission or head).get("item_code", "")),
        department_code=str((submission or head).get("department_code", "")),
        region_code=str((submission or head).get("region_code", "")),
        events=ordered,
        statuses=tuple(str(e.get("status", "")) for e in ordered),
        status=str(ordered[-1].get("status", "")),
        submission=submission,
        applicant=(submission or {}).get("data", {}).get("applicant"),
        suspensions=tuple(suspensions),
        extension_days=extension,
        clock=build_clock(ordered, submission, suspensions, extension, calendar, reference),
        claimed_on_time=claimed_on_time(ordered),
        materials_supplied=supplied_materials(submission, ordered, suspensions),
        payments=tuple(e for e in ordered if e.get("type") == "FeePaid"),
        refunds=tuple(e for e in ordered if e.get("type") == "FeeRefunded"),
        reference=reference,
        related=tuple(related),
        decider=decider,
        known_region_codes=frozenset(known_region_codes),
        received=dict(received or {}),
        today=today,
    )


@dataclass(frozen=True)
class Closure:
    """One case closed (决定/办结) at a department, for the department-day rules."""

    case_number: str
    at: dt.datetime
    kind: str


@dataclass(frozen=True)
class DepartmentDayFacts:
    """A department's closures of one local day (批量办结 rules)."""

    department_code: str
    day: dt.date
    closures: tuple[Closure, ...]
