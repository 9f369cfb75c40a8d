"""The supervision engine's own view of a case (监察办件投影), pure: no Django import.

:func:`project` folds ALL the stored events of one case into a
:class:`CaseView`. It first sorts them by ``occurred_at`` (ties by a fixed
type order, then the sequence in the data, then the event id), so the result
never depends on the order in which events arrived: a late or out-of-order
event simply changes the input of the next rebuild.

Deadlines are recomputed from the events with the working-day calendar
passed in (core's ``WorkingCalendar``), never taken from the department:
the department's own claims (``CaseAccepted.deadline``, ``CaseDecided.on_time``)
are kept beside the engine's judgement so that a mismatch can be a finding.

Clock rules (docs/case-events.md "Clock rules"):

* a period counts from the day after the event that starts it;
* acceptance is due within 5 working days of receipt; unanswered, the case
  counts as accepted on that day (deemed acceptance), and its processing
  limit runs from there;
* a suspension started on local day *s* and ended on day *e* stops the days
  *s+1 … e* (both the acceptance window and the processing limit);
* ``CaseExtended.days`` adds working days to the limit (promised and statutory);
* the clock stops at ``CaseDecided``, ``CaseRefused``, ``CaseWithdrawn`` or
  ``CaseTerminated``.

The stored dates are what the scheduled scan compares with "today" in SQL:
``deadline`` (last day in time for the promised limit), ``statutory_deadline``,
and ``yellow_on``, the first day the light turns yellow (at most
``yellow_days_left`` working days left, or at least ``yellow_fraction_used``
of the limit used). While a suspension is open no date is known (the end of
the suspension moves them): the dates are None and the light is
``suspended``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
ACCEPTANCE_WINDOW_DAYS = 5  # 行政许可法第三十二条

Interval = tuple[dt.date, dt.date]

# Same-instant events are ordered as the workflow allows them to follow each other.
TYPE_ORDER = (
    "ItemPublished",
    "ApplicationSubmitted",
    "SupplementRequested",
    "SupplementReceived",
    "CaseRefused",
    "CaseAccepted",
    "SpecialProcedureStarted",
    "SpecialProcedureEnded",
    "CaseExtended",
    "CaseDecided",
    "FeePaid",
    "CaseConcluded",
    "CaseDelivered",
    "CaseWithdrawn",
    "CaseTerminated",
)
TYPE_RANK = {name: rank for rank, name in enumerate(TYPE_ORDER)}
CASE_EVENT_TYPES = frozenset(TYPE_ORDER[1:])
OPEN_STATUSES = frozenset({"submitted", "supplement_requested", "accepted", "special_procedure"})
STOPPING = {"CaseDecided", "CaseRefused", "CaseWithdrawn", "CaseTerminated"}
CLOSING = {"CaseConcluded", "CaseRefused", "CaseWithdrawn", "CaseTerminated"}
UNPAID_ENDINGS = frozenset({"denied", "refused", "withdrawn", "terminated"})
SUSPENSION_STARTS = {"SupplementRequested": "supplement", "SpecialProcedureStarted": "procedure"}
SUSPENSION_ENDS = {"SupplementReceived": "supplement", "SpecialProcedureEnded": "procedure"}


class Calendar(Protocol):
    """The two core calendar functions the projection uses."""

    def add_working_days(
        self, start: dt.date, n: int, paused: Sequence[Interval] = ()
    ) -> dt.date: ...

    def working_days_between(
        self, a: dt.date, b: dt.date, paused: Sequence[Interval] = ()
    ) -> int: ...


@dataclass(frozen=True)
class Thresholds:
    """When the light turns yellow: few working days left, or most of the limit used."""

    yellow_days_left: int = 2
    yellow_fraction_used: float = 0.8


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Suspension:
    """A span when the clock stood still: 补正 (supplement) or a special procedure."""

    kind: str  # "supplement" or the procedure: hearing, testing, expert_review, inspection
    started: dt.datetime
    ended: dt.datetime | None
    limit_days: int | None = None
    working_days: int = 0  # working days it stopped (s+1 … e, or up to today while open)


@dataclass(frozen=True)
class Payment:
    name: str
    amount_fen: int
    receipt_number: str
    paid_at: dt.datetime


@dataclass(frozen=True)
class Decision:
    """The decision as the department reported it."""

    decision: str
    decided_at: dt.datetime
    licence_number: str
    decider: str
    decider_kind: str
    decider_organisation: str
    claimed_working_days: int | None
    claimed_on_time: bool | None


@dataclass(frozen=True)
class CaseView:
    """One case as the engine sees it: the ``SupervisedCase`` fields and the details behind."""

    case_number: str
    item_code: str = ""
    department_code: str = ""
    region_code: str = ""
    status: str = ""
    is_open: bool = True
    complete: bool = False
    channel: str = ""
    applicant_kind: str = ""
    applicant_key: str = ""
    received_at: dt.datetime | None = None
    accepted_at: dt.datetime | None = None
    deemed_accepted_on: dt.date | None = None
    acceptance_due: dt.date | None = None
    decided_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    statutory_limit_days: int | None = None
    promised_limit_days: int | None = None
    extension_days: int = 0
    suspended_days: int = 0
    deadline: dt.date | None = None
    statutory_deadline: dt.date | None = None
    yellow_on: dt.date | None = None
    working_days_used: int | None = None
    light: str = "green"
    light_judged_on: dt.date | None = None
    claimed_deadline: dt.date | None = None
    claimed_on_time: bool | None = None
    on_time: bool | None = None
    statutory_on_time: bool | None = None
    handler: str = ""
    fee_due_fen: int = 0
    fee_paid_fen: int = 0
    event_count: int = 0
    last_event_at: dt.datetime | None = None
    suspensions: tuple[Suspension, ...] = ()
    supplement_requests: int = 0
    materials_submitted: tuple[str, ...] = ()
    fees_due: tuple[tuple[str, int], ...] = ()
    payments: tuple[Payment, ...] = ()
    decision: Decision | None = None
    statuses: tuple[str, ...] = ()
    types: tuple[str, ...] = field(default=())


# --- small readers -------------------------------------------------------------------


def parse_instant(value: Any) -> dt.datetime | None:
    """An aware datetime from RFC 3339 text (``Z`` allowed), or None."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is not None else None
    if not isinstance(value, str) or not value:
        return None
    try:
        instant = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return instant if instant.tzinfo is not None else None


def parse_day(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def local_date(instant: dt.datetime) -> dt.date:
    return instant.astimezone(SHANGHAI).date()


def data_of(event: Mapping[str, Any]) -> Mapping[str, Any]:
    data = event.get("data")
    return data if isinstance(data, Mapping) else {}


def when(event: Mapping[str, Any], name: str = "") -> dt.datetime:
    """The instant ``data[name]`` if given and valid, else the event's ``occurred_at``."""
    if name:
        instant = parse_instant(data_of(event).get(name))
        if instant is not None:
            return instant
    instant = parse_instant(event.get("occurred_at"))
    if instant is None:
        raise ValueError(f"event {event.get('event_id')}: occurred_at is not a time")
    return instant


def sort_key(event: Mapping[str, Any]) -> tuple[dt.datetime, int, int, str]:
    sequence = data_of(event).get("sequence")
    return (
        when(event),
        TYPE_RANK.get(str(event.get("type")), len(TYPE_RANK)),
        sequence if isinstance(sequence, int) else 0,
        str(event.get("event_id")),
    )


def ordered(events: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The events in the order the projection reads them (independent of arrival)."""
    return sorted(events, key=sort_key)


def applicant_key(id_type: str, identifier: str) -> str:
    """sha256 of the identity (type and identifier, upper case): never the raw ID."""
    text = f"{id_type.strip()}:{identifier.strip().upper()}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- the fold --------------------------------------------------------------------------


@dataclass
class Fold:
    """Mutable state while reading one case's events in order."""

    number: str
    values: dict[str, Any] = field(default_factory=dict)
    suspensions: list[dict[str, Any]] = field(default_factory=list)
    materials: list[str] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    extension_days: int = 0
    supplements: int = 0
    handler: str = ""
    claims: list[bool] = field(default_factory=list)
    stopped_at: dt.datetime | None = None


def on_submitted(fold: Fold, event: Mapping[str, Any]) -> None:
    data = data_of(event)
    raw_applicant = data.get("applicant")
    applicant: Mapping[str, Any] = raw_applicant if isinstance(raw_applicant, Mapping) else {}
    key = ""
    if applicant.get("identifier"):
        key = applicant_key(str(applicant.get("id_type", "")), str(applicant["identifier"]))
    fold.values.update(
        complete=True,
        received_at=when(event, "received_at"),
        channel=str(data.get("channel", "")),
        applicant_kind=str(data.get("applicant_kind", "")),
        applicant_key=key,
        statutory_limit_days=data.get("statutory_limit_days"),
        promised_limit_days=data.get("promised_limit_days"),
        fees_due=tuple(
            (str(f.get("name", "")), int(f.get("amount_fen", 0)))
            for f in data.get("fees") or ()
            if isinstance(f, Mapping)
        ),
    )
    fold.materials.extend(str(m.get("code", "")) for m in data.get("materials") or ())


def on_accepted(fold: Fold, event: Mapping[str, Any]) -> None:
    if fold.values.get("accepted_at") is None:
        fold.values["accepted_at"] = when(event, "accepted_at")
    fold.values["claimed_deadline"] = parse_day(data_of(event).get("deadline"))


def on_suspension_start(fold: Fold, event: Mapping[str, Any]) -> None:
    data = data_of(event)
    family = SUSPENSION_STARTS[event["type"]]
    if family == "supplement":
        fold.supplements += 1
    kind = "supplement" if family == "supplement" else str(data.get("procedure", "procedure"))
    limit = data.get("limit_days")
    fold.suspensions.append(
        {
            "family": family,
            "kind": kind,
            "started": when(event, "suspension_start"),
            "ended": None,
            "limit_days": limit if isinstance(limit, int) else None,
        }
    )


def on_suspension_end(fold: Fold, event: Mapping[str, Any]) -> None:
    family = SUSPENSION_ENDS[event["type"]]
    ended = when(event, "suspension_end")
    for suspension in reversed(fold.suspensions):
        if suspension["family"] == family and suspension["ended"] is None:
            suspension["ended"] = max(ended, suspension["started"])
            break
    else:  # the start never arrived: the end event carries it
        started = when(event, "suspension_start")
        kind = "supplement" if family == "supplement" else str(data_of(event).get("procedure"))
        fold.suspensions.append(
            {
                "family": family,
                "kind": kind,
                "started": min(started, ended),
                "ended": ended,
                "limit_days": None,
            }
        )
    if family == "supplement":
        fold.materials.extend(str(m.get("code", "")) for m in data_of(event).get("materials") or ())


def on_extended(fold: Fold, event: Mapping[str, Any]) -> None:
    days = data_of(event).get("days")
    fold.extension_days += days if isinstance(days, int) and days > 0 else 0
    fold.values["claimed_deadline"] = parse_day(data_of(event).get("deadline"))


def on_decided(fold: Fold, event: Mapping[str, Any]) -> None:
    data, actor = data_of(event), event.get("actor") or {}
    claimed_days = data.get("working_days_used")
    claim = data.get("on_time")
    if isinstance(claim, bool):
        fold.claims.append(claim)
    fold.values["decided_at"] = when(event, "decided_at")
    fold.values["decision"] = Decision(
        decision=str(data.get("decision", "")),
        decided_at=fold.values["decided_at"],
        licence_number=str(data.get("licence_number", "")),
        decider=str(actor.get("id", "")),
        decider_kind=str(actor.get("kind", "")),
        decider_organisation=str(actor.get("organisation", "")),
        claimed_working_days=claimed_days if isinstance(claimed_days, int) else None,
        claimed_on_time=claim if isinstance(claim, bool) else None,
    )


def on_concluded(fold: Fold, event: Mapping[str, Any]) -> None:
    claim = data_of(event).get("on_time")
    if isinstance(claim, bool):
        fold.claims.append(claim)
    fold.values["closed_at"] = when(event, "concluded_at")


def on_paid(fold: Fold, event: Mapping[str, Any]) -> None:
    data = data_of(event)
    amount = data.get("amount_fen")
    fold.payments.append(
        Payment(
            name=str(data.get("fee_name", "")),
            amount_fen=amount if isinstance(amount, int) else 0,
            receipt_number=str(data.get("receipt_number", "")),
            paid_at=when(event, "paid_at"),
        )
    )


HANDLERS = {
    "ApplicationSubmitted": on_submitted,
    "CaseAccepted": on_accepted,
    "SupplementRequested": on_suspension_start,
    "SpecialProcedureStarted": on_suspension_start,
    "SupplementReceived": on_suspension_end,
    "SpecialProcedureEnded": on_suspension_end,
    "CaseExtended": on_extended,
    "CaseDecided": on_decided,
    "CaseConcluded": on_concluded,
    "FeePaid": on_paid,
}


def read_event(fold: Fold, event: Mapping[str, Any]) -> None:
    """Apply one event (in order) to the fold."""
    kind = str(event.get("type", ""))
    handler = HANDLERS.get(kind)
    if handler is not None:
        handler(fold, event)
    if kind in STOPPING and fold.stopped_at is None:
        fold.stopped_at = when(event, "decided_at")
    if kind in CLOSING and kind != "CaseConcluded" and fold.values.get("closed_at") is None:
        fold.values["closed_at"] = when(event)
    actor = event.get("actor") or {}
    if actor.get("kind") == "staff" and actor.get("id"):
        fold.handler = str(actor["id"])
    for name in ("item_code", "department_code", "region_code"):
        if event.get(name) and (kind == "ApplicationSubmitted" or name not in fold.values):
            fold.values[name] = str(event[name])
    if event.get("status"):
        fold.statuses.append(str(event["status"]))
    fold.types.append(kind)


# --- the clock ---------------------------------------------------------------------------


def paused_intervals(suspensions: Sequence[dict[str, Any]], today: dt.date) -> list[Interval]:
    """The local date intervals (s+1 … e) that do not count; open ones up to ``today``."""
    intervals = []
    for suspension in suspensions:
        first = local_date(suspension["started"]) + dt.timedelta(days=1)
        ended = suspension["ended"]
        last = today if ended is None else local_date(ended)
        if last >= first:
            intervals.append((first, last))
    return intervals


def yellow_threshold(total: int, thresholds: Thresholds) -> int:
    """Working days used from which the light is yellow."""
    by_left = max(total - thresholds.yellow_days_left, 0)
    by_share = math.ceil(round(total * thresholds.yellow_fraction_used, 9))
    return min(by_left, by_share)


@dataclass(frozen=True)
class Clock:
    """The dates and counts of one case's clock."""

    acceptance_due: dt.date
    deemed_accepted_on: dt.date | None
    start: dt.date
    deadline: dt.date | None
    statutory_deadline: dt.date | None
    yellow_on: dt.date | None
    used: int
    suspended_days: int
    suspensions: tuple[Suspension, ...]


def run_clock(
    fold: Fold, calendar: Calendar, today: dt.date, thresholds: Thresholds
) -> Clock | None:
    """The case's dates and counts at ``today`` (or where its clock stopped)."""
    values = fold.values
    received = values.get("received_at")
    if received is None:
        return None
    stop = local_date(fold.stopped_at) if fold.stopped_at is not None else today
    counted_to = max(stop, local_date(received))
    paused = paused_intervals(fold.suspensions, counted_to)
    accepted = values.get("accepted_at")
    before = [s for s in fold.suspensions if accepted is None or s["started"] <= accepted]
    window_paused = paused_intervals(before, counted_to)
    due = calendar.add_working_days(local_date(received), ACCEPTANCE_WINDOW_DAYS, window_paused)
    deemed = None
    if accepted is not None:
        start = local_date(accepted)
    else:
        start = due
        deemed = due if counted_to > due else None
    promised = values.get("promised_limit_days")
    statutory = values.get("statutory_limit_days")
    open_suspension = fold.stopped_at is None and any(s["ended"] is None for s in fold.suspensions)
    deadline = statutory_deadline = yellow_on = None
    if not open_suspension and isinstance(promised, int):
        total = promised + fold.extension_days
        deadline = calendar.add_working_days(start, total, paused)
        yellow_on = calendar.add_working_days(start, yellow_threshold(total, thresholds), paused)
    if not open_suspension and isinstance(statutory, int):
        statutory_deadline = calendar.add_working_days(
            start, statutory + fold.extension_days, paused
        )
    described = tuple(
        Suspension(
            kind=s["kind"],
            started=s["started"],
            ended=s["ended"],
            limit_days=s["limit_days"],
            working_days=max(
                calendar.working_days_between(
                    local_date(s["started"]),
                    counted_to if s["ended"] is None else min(local_date(s["ended"]), counted_to),
                ),
                0,
            ),
        )
        for s in fold.suspensions
    )
    return Clock(
        acceptance_due=due,
        deemed_accepted_on=deemed,
        start=start,
        deadline=deadline,
        statutory_deadline=statutory_deadline,
        yellow_on=yellow_on,
        used=max(calendar.working_days_between(start, counted_to, paused), 0),
        suspended_days=sum(s.working_days for s in described),
        suspensions=described,
    )


def judge_light(view: CaseView, today: dt.date) -> str:
    """The light of a case on ``today`` from its stored dates (what the scan does in SQL)."""
    if not view.is_open:
        return "stopped"
    if view.deadline is None:
        return "suspended" if view.complete else "green"
    if today > view.deadline:
        return "red"
    if view.yellow_on is not None and today >= view.yellow_on:
        return "yellow"
    return "green"


def own_judgement(fold: Fold, clock: Clock) -> tuple[bool | None, bool | None]:
    """Was the case decided (or refused) in time, by the engine's own count?"""
    decided = fold.values.get("decided_at")
    if decided is not None:
        day = local_date(decided)
        on_time = None if clock.deadline is None else day <= clock.deadline
        statutory = None if clock.statutory_deadline is None else day <= clock.statutory_deadline
        return on_time, statutory
    if "CaseRefused" in fold.types and fold.values.get("closed_at") is not None:
        in_window = local_date(fold.values["closed_at"]) <= clock.acceptance_due
        return in_window, in_window
    return None, None


def project(
    events: Iterable[Mapping[str, Any]],
    calendar: Calendar,
    *,
    now: dt.datetime | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> CaseView:
    """The engine's view of the case whose events these are (all of them, any order)."""
    sorted_events = ordered(events)
    if not sorted_events:
        raise ValueError("events: at least one event is needed")
    fold = Fold(number=str(sorted_events[0].get("case_number", "")))
    for event in sorted_events:
        if event.get("type") in CASE_EVENT_TYPES:
            read_event(fold, event)
    today = local_date(now or dt.datetime.now(dt.UTC))
    return build_view(fold, calendar, today, thresholds, sorted_events)


def build_view(
    fold: Fold,
    calendar: Calendar,
    today: dt.date,
    thresholds: Thresholds,
    sorted_events: Sequence[Mapping[str, Any]],
) -> CaseView:
    values = dict(fold.values)
    status = fold.statuses[-1] if fold.statuses else ""
    is_open = status in OPEN_STATUSES and fold.stopped_at is None
    paid = sum(p.amount_fen for p in fold.payments)
    due = sum(amount for _, amount in values.get("fees_due", ()))
    view = CaseView(
        case_number=fold.number,
        **values,
        status=status,
        is_open=is_open,
        extension_days=fold.extension_days,
        claimed_on_time=fold.claims[-1] if fold.claims else None,
        handler=fold.handler,
        fee_due_fen=0 if status in UNPAID_ENDINGS else due,
        fee_paid_fen=paid,
        event_count=len(sorted_events),
        last_event_at=when(sorted_events[-1]),
        supplement_requests=fold.supplements,
        materials_submitted=tuple(dict.fromkeys(code for code in fold.materials if code)),
        payments=tuple(fold.payments),
        statuses=tuple(fold.statuses),
        types=tuple(fold.types),
    )
    clock = run_clock(fold, calendar, today, thresholds)
    if clock is not None:
        on_time, statutory_on_time = own_judgement(fold, clock)
        view = replace(
            view,
            acceptance_due=clock.acceptance_due,
            deemed_accepted_on=clock.deemed_accepted_on,
            deadline=clock.deadline,
            statutory_deadline=clock.statutory_deadline,
            yellow_on=clock.yellow_on,
            working_days_used=clock.used,
            suspended_days=clock.suspended_days,
            suspensions=clock.suspensions,
            on_time=on_time,
            statutory_on_time=statutory_on_time,
        )
    return replace(view, light=judge_light(view, today), light_judged_on=today)
