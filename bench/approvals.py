"""Approval cases at provincial scale: generate histories, read every open clock, time the queue.

Usage (SQLite file in a temporary directory, or PostgreSQL by URL):

    .venv/bin/python -m bench.approvals --cases 1000000
    .venv/bin/python -m bench.approvals --cases 1000000 \
        --database postgres://postgres@127.0.0.1:5432/egov_bench_approvals

Migrates an empty database, loads the demo organisations and the demo
catalogue, then

1. generates ``--cases`` cases with realistic histories over the past year
   (:func:`case_history`: submission, 补正 in one case of five, refusals,
   withdrawals, special procedures, extensions, decisions, conclusion,
   delivery, fees; each step a case event of ``docs/case-events.schema.json``),
   spread over every department's catalogue items, plus ``--queue-cases`` open
   cases at 哈尔滨市道里区市场监督管理局; inserts cases, suspensions,
   extensions, payments and timeline rows in bulk;
2. reads the clock of every open case (``egov.approvals.clock.read_clock``):
   cases per second, with and without loading the rows;
3. requests the staff queue page (/approvals/) of a clerk of that department
   ``--requests`` times: median and p95 in ms.

:func:`case_history` and :func:`iter_case_events` are also the data generator
for the supervision engine's tests and benchmarks: same seed, same events.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
BATCH = 5_000
QUEUE_DEPARTMENT = "230102-SCJG"


# --- The generator (no database) -------------------------------------------------------


@dataclass(frozen=True)
class ItemFacts:
    """What the generator needs of a catalogue item."""

    code: str
    department_code: str
    region_code: str
    statutory: int
    promised: int
    materials: tuple[tuple[str, str], ...]
    fees: tuple[tuple[str, int], ...]


@dataclass
class History:
    """One generated case: its facts and its events in order."""

    number: str
    item: ItemFacts
    applicant_kind: str
    received: dt.datetime
    status: str = "submitted"
    accepted: dt.datetime | None = None
    decided: dt.datetime | None = None
    concluded: dt.datetime | None = None
    delivered: dt.datetime | None = None
    closed: dt.datetime | None = None
    licence: str | None = None
    extension_days: int = 0
    supplements: int = 0
    suspensions: list[dict[str, Any]] = field(default_factory=list)
    extensions: list[dict[str, Any]] = field(default_factory=list)
    payments: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)


def utc_text(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


class Builder:
    """Walks one case through the workflow on the working-day calendar, up to ``now``."""

    def __init__(self, history: History, calendar: Any, rng: random.Random, now: dt.datetime):
        self.h, self.calendar, self.rng, self.now = history, calendar, rng, now
        self.at = history.received

    def later(self, working_days: int) -> dt.datetime:
        """An instant ``working_days`` working days after the current one, in office hours."""
        if working_days < 0:  # this very instant
            return self.at
        day = self.calendar.add_working_days(self.at.astimezone(SHANGHAI).date(), working_days)
        if working_days == 0:
            return self.at + dt.timedelta(minutes=self.rng.randint(5, 120))
        hour, minute = self.rng.randint(8, 16), self.rng.randint(0, 59)
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)

    def stamp(self, name: str) -> dt.datetime:
        """Write the current instant into the last event's data as ``name``; returns it."""
        self.h.events[-1]["data"][name] = utc_text(self.at)
        return self.at

    def step(self, working_days: int, event_type: str, status: str, data: dict, actor: str) -> bool:
        """Record one event if it happened before ``now``; False stops the history."""
        at = self.later(working_days)
        if at > self.now:
            return False
        self.at = at
        self.h.status = status
        item = self.h.item
        self.h.events.append(
            {
                "schema_version": 1,
                "event_id": str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
                "type": event_type,
                "occurred_at": utc_text(at),
                "case_number": self.h.number,
                "item_code": item.code,
                "department_code": item.department_code,
                "region_code": item.region_code,
                "actor": {
                    "kind": "applicant" if actor == "applicant" else "staff",
                    "id": actor if actor == "applicant" else f"{actor}_{item.department_code}",
                    "organisation": "" if actor == "applicant" else item.department_code,
                },
                "status": status,
                "data": data,
            }
        )
        return True


def submit(b: Builder) -> None:
    h = b.h
    materials = [
        {
            "code": code,
            "name": name,
            "file_type": "pdf",
            "size": b.rng.randint(40_000, 900_000),
            "sha256": f"{b.rng.getrandbits(256):064x}",
        }
        for code, name in h.item.materials
    ]
    b.at = h.received
    b.step(
        -1,
        "ApplicationSubmitted",
        "submitted",
        {
            "channel": b.rng.choice(["online", "online", "online", "walk_in"]),
            "applicant_kind": h.applicant_kind,
            "received_at": utc_text(h.received),
            "statutory_limit_days": h.item.statutory,
            "promised_limit_days": h.item.promised,
            "materials": materials,
            "fees": [{"name": n, "amount_fen": a} for n, a in h.item.fees],
        },
        "applicant",
    )
    b.at = h.received


def supplement(b: Builder, status_after: str) -> bool:
    """补正: request, then (nine times in ten) the materials arrive."""
    h = b.h
    h.supplements += 1
    missing = [
        {"code": c, "name": n, "reason": "不清晰或不完整"}
        for c, n in b.rng.sample(h.item.materials, k=min(len(h.item.materials), 2))
    ]
    if not b.step(
        b.rng.randint(0, 2),
        "SupplementRequested",
        "supplement_requested",
        {
            "sequence": h.supplements,
            "repeated": h.supplements > 1,
            "missing": missing,
            "note": "",
        },
        "clerk",
    ):
        return False
    started = b.stamp("suspension_start")
    suspension = {
        "kind": "supplement",
        "sequence": h.supplements,
        "started": started,
        "ended": None,
        "missing": missing,
        "limit": None,
    }
    h.suspensions.append(suspension)
    if b.rng.random() < 0.1 or not b.step(
        b.rng.randint(1, 10),
        "SupplementReceived",
        status_after,
        {
            "sequence": h.supplements,
            "materials": [],
            "note": "",
            "suspension_start": utc_text(started),
        },
        "applicant",
    ):
        return False
    suspension["ended"] = b.stamp("suspension_end")
    return True


def accept_or_refuse(b: Builder) -> bool:
    h, roll = b.h, b.rng.random()
    if roll < 0.2 and not supplement(b, "submitted"):
        return False
    roll = b.rng.random()
    if roll < 0.03:
        if b.step(
            b.rng.randint(0, 3),
            "CaseRefused",
            "refused",
            {"reasons": "不属于本机关职权范围"},
            "clerk",
        ):
            h.closed = b.at
        return False
    if roll < 0.05:
        if b.step(b.rng.randint(0, 3), "CaseWithdrawn", "withdrawn", {"reason": ""}, "applicant"):
            h.closed = b.at
        return False
    if not b.step(
        b.rng.choice([0, 0, 0, 1, 1, 2, 3]),
        "CaseAccepted",
        "accepted",
        {
            "deemed": False,
            "note": "",
            "limit_days": h.item.promised,
        },
        "clerk",
    ):
        return False
    h.accepted = b.stamp("accepted_at")
    b.h.events[-1]["data"]["deadline"] = b.calendar.add_working_days(
        b.at.astimezone(SHANGHAI).date(), h.item.promised
    ).isoformat()
    return True


def review(b: Builder) -> bool:
    """审查: perhaps a special procedure, a second 补正 or an extension."""
    h, roll = b.h, b.rng.random()
    if roll < 0.03:
        limit = b.rng.choice([10, 15, 20])
        if not b.step(
            b.rng.randint(1, 3),
            "SpecialProcedureStarted",
            "special_procedure",
            {
                "procedure": b.rng.choice(["hearing", "testing", "expert_review", "inspection"]),
                "reason": "依法需要",
                "limit_days": limit,
                "applicant_notified": True,
            },
            "clerk",
        ):
            return False
        started = b.stamp("suspension_start")
        suspension = {
            "kind": h.events[-1]["data"]["procedure"],
            "sequence": 1,
            "started": started,
            "ended": None,
            "missing": [],
            "limit": limit,
        }
        h.suspensions.append(suspension)
        if not b.step(
            b.rng.randint(3, limit),
            "SpecialProcedureEnded",
            "accepted",
            {
                "procedure": suspension["kind"],
                "outcome": "符合要求",
                "suspension_start": utc_text(started),
            },
            "clerk",
        ):
            return False
        suspension["ended"] = b.stamp("suspension_end")
    elif roll < 0.08 and not supplement(b, "accepted"):
        return False
    if b.rng.random() < 0.02:
        days = min(10, h.item.statutory)
        if not b.step(
            1,
            "CaseExtended",
            "accepted",
            {
                "days": days,
                "reason": "情况复杂",
                "total_extension_days": days,
            },
            "leader",
        ):
            return False
        assert h.accepted is not None  # extended only after the acceptance step
        h.events[-1]["data"]["deadline"] = b.calendar.add_working_days(
            h.accepted.astimezone(SHANGHAI).date(), h.item.promised + days
        ).isoformat()
        h.extension_days = days
        h.extensions.append({"days": days, "at": b.at})
    return True


def decide_and_finish(b: Builder, licence_sequence: int) -> None:
    h = b.h
    used = max(1, round(b.rng.gauss(h.item.promised * 0.6, h.item.promised * 0.35)))
    approve = b.rng.random() < 0.95
    data: dict[str, Any] = {"decision": "approve" if approve else "deny"}
    if approve:
        h.licence = f"{h.item.code}-{licence_sequence:07d}"
        data["licence_number"] = h.licence
    else:
        data |= {"reasons": "不符合法定条件", "remedies": "可依法申请行政复议或者提起行政诉讼"}
    data |= {"working_days_used": used, "on_time": used <= h.item.promised + h.extension_days}
    if not b.step(
        min(used, 60), "CaseDecided", "approved" if approve else "denied", data, "leader"
    ):
        return
    h.decided = b.stamp("decided_at")
    if approve and h.item.fees and b.rng.random() < 0.9:
        name, amount = h.item.fees[0]
        receipt = f"R{b.rng.getrandbits(48):012x}"
        if b.step(
            0,
            "FeePaid",
            "approved",
            {"fee_name": name, "amount_fen": amount, "receipt_number": receipt},
            "clerk",
        ):
            paid = b.stamp("paid_at")
            h.payments.append({"name": name, "amount": amount, "receipt": receipt, "at": paid})
    if not b.step(
        b.rng.choice([0, 0, 1]),
        "CaseConcluded",
        "concluded",
        {
            "decision": data["decision"],
            "working_days_used": used,
            "on_time": data["on_time"],
        },
        "clerk",
    ):
        return
    h.concluded = b.stamp("concluded_at")
    if b.step(
        b.rng.randint(0, 2),
        "CaseDelivered",
        "delivered",
        {
            "method": b.rng.choice(["online", "window", "post"]),
        },
        "clerk",
    ):
        h.delivered = b.stamp("delivered_at")


def case_history(
    number: str,
    item: ItemFacts,
    received: dt.datetime,
    calendar: Any,
    rng: random.Random,
    now: dt.datetime,
    sequence: int,
) -> History:
    """A realistic history for one case, cut at ``now`` (later steps have not happened yet)."""
    history = History(
        number=number,
        item=item,
        received=received,
        applicant_kind=rng.choice(["citizen", "enterprise"]),
    )
    builder = Builder(history, calendar, rng, now)
    submit(builder)
    if accept_or_refuse(builder) and review(builder):
        decide_and_finish(builder, sequence)
    return history


def iter_case_events(
    count: int,
    items: list[ItemFacts],
    calendar: Any,
    now: dt.datetime,
    seed: int = 2026,
    span_days: int = 365,
) -> Iterator[History]:
    """``count`` case histories received over the ``span_days`` before ``now``, reproducibly."""
    from egov.approvals.numbering import case_number

    rng = random.Random(seed)
    per_day: dict[tuple[str, dt.date], int] = {}
    for index in range(count):
        item = rng.choice(items)
        received = now - dt.timedelta(seconds=rng.uniform(0, span_days * 86_400))
        day = received.astimezone(SHANGHAI).date()
        key = (item.region_code, day)
        per_day[key] = per_day.get(key, 0) + 1
        number = case_number(item.region_code, day, per_day[key])
        yield case_history(number, item, received, calendar, rng, now, index + 1)


# --- Loading into the database ---------------------------------------------------------


def setup(url: str | None) -> None:
    var_dir = tempfile.mkdtemp(prefix="egov-bench-")
    os.environ["EGOV_VAR_DIR"] = var_dir
    os.environ["EGOV_LOG_LEVEL"] = "WARNING"
    os.environ["EGOV_DATABASE_URL"] = url or f"sqlite:///{var_dir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "egov.settings"
    os.environ.setdefault("EGOV_SECRET_KEY", "bench-only-secret-key")
    import django
    from django.core.management import call_command

    django.setup()
    from django.conf import settings

    # The page is rendered without collectstatic: plain static storage, no manifest.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": static}
    call_command("migrate", verbosity=0)


def catalogue_facts() -> list[ItemFacts]:
    from egov.approvals.models import ServiceItem

    rows = ServiceItem.objects.select_related("department")
    return [
        ItemFacts(
            i.code,
            i.department.code,
            i.department.region_id,
            i.statutory_limit_days,
            i.promised_limit_days,
            tuple((m["code"], m["name"]) for m in i.materials),
            tuple((f["name"], f["amount_fen"]) for f in i.fees),
        )
        for i in rows
    ]


def case_row(h: History, items: dict[str, Any], departments: dict[str, Any]) -> Any:
    from egov.approvals.models import Case

    return Case(
        number=h.number,
        item=items[h.item.code],
        department=departments[h.item.department_code],
        region_id=h.item.region_code,
        applicant_kind=h.applicant_kind,
        applicant_name="测试申请人",
        applicant_identifier="230102197503120032",
        channel=h.events[0]["data"]["channel"],
        form_data={},
        status=h.status,
        statutory_limit_days=h.item.statutory,
        promised_limit_days=h.item.promised,
        extension_days=h.extension_days,
        received_at=h.received,
        accepted_at=h.accepted,
        decided_at=h.decided,
        licence_number=h.licence,
        concluded_at=h.concluded,
        delivered_at=h.delivered,
        closed_at=h.closed,
        supplement_requests=h.supplements,
        reasons="",
        remedies="",
    )


def insert(histories: list[History], items: dict, departments: dict, leader: Any) -> None:
    from egov.approvals.models import Case, Extension, FeePayment, Suspension, TimelineEntry

    cases = Case.objects.bulk_create([case_row(h, items, departments) for h in histories])
    suspensions, extensions, payments, timeline = [], [], [], []
    for case, h in zip(cases, histories, strict=True):
        suspensions += [
            Suspension(
                case=case,
                kind=s["kind"],
                sequence=s["sequence"],
                missing=s["missing"],
                limit_days=s["limit"],
                started_at=s["started"],
                ended_at=s["ended"],
                started_by="bench",
            )
            for s in h.suspensions
        ]
        extensions += [
            Extension(
                case=case,
                days=e["days"],
                reason="情况复杂",
                approved_by=leader,
                approved_at=e["at"],
            )
            for e in h.extensions
        ]
        payments += [
            FeePayment(
                case=case,
                fee_name=p["name"],
                amount_fen=p["amount"],
                receipt_number=p["receipt"],
                paid_at=p["at"],
                recorded_by="bench",
            )
            for p in h.payments
        ]
        timeline += [
            TimelineEntry(
                case=case,
                event_id=e["event_id"],
                event_type=e["type"],
                occurred_at=dt.datetime.fromisoformat(e["occurred_at"]),
                actor=e["actor"]["id"],
                data=e["data"],
            )
            for e in h.events
        ]
    Suspension.objects.bulk_create(suspensions)
    Extension.objects.bulk_create(extensions)
    FeePayment.objects.bulk_create(payments)
    TimelineEntry.objects.bulk_create(timeline)


def load(histories: Iterator[History], leader: Any) -> tuple[int, int]:
    """Insert the histories in batches; returns (cases, events)."""
    from django.db import transaction

    from egov.approvals.models import ServiceItem
    from egov.core.models import Organisation

    items = {i.code: i for i in ServiceItem.objects.all()}
    departments = {o.code: o for o in Organisation.objects.filter(kind="department")}
    batch: list[History] = []
    cases = events = 0
    for history in histories:
        batch.append(history)
        if len(batch) == BATCH:
            with transaction.atomic():
                insert(batch, items, departments, leader)
            cases, events = cases + len(batch), events + sum(len(h.events) for h in batch)
            batch = []
    if batch:
        with transaction.atomic():
            insert(batch, items, departments, leader)
        cases, events = cases + len(batch), events + sum(len(h.events) for h in batch)
    return cases, events


def queue_histories(count: int, calendar: Any, now: dt.datetime) -> Iterator[History]:
    """``count`` open cases at the queue department, received over the last 15 days."""
    from egov.approvals.numbering import case_number

    items = [i for i in catalogue_facts() if i.department_code == QUEUE_DEPARTMENT]
    rng = random.Random(7)
    made = 0
    while made < count:
        item = rng.choice(items)
        received = now - dt.timedelta(seconds=rng.uniform(0, 15 * 86_400))
        day = received.astimezone(SHANGHAI).date()
        number = case_number(item.region_code, day, 900_000 + made % 99_999)
        history = History(number=number, item=item, received=received, applicant_kind="citizen")
        builder = Builder(history, calendar, rng, now)
        submit(builder)
        if rng.random() < 0.7:
            accept_or_refuse(builder)
        if history.status in ("refused", "withdrawn"):
            continue
        made += 1
        yield history


def province_histories(count: int, calendar: Any, now: dt.datetime) -> Iterator[History]:
    """``count`` open cases over every department's items, received over the last 15 days.

    Some are accepted, some wait on 补正 or a special procedure, some extended:
    the open cases of a province on a given day, for the province-wide queue.
    """
    from egov.approvals.numbering import case_number

    items = catalogue_facts()
    rng = random.Random(8)
    made = 0
    while made < count:
        item = rng.choice(items)
        received = now - dt.timedelta(seconds=rng.uniform(0, 15 * 86_400))
        day = received.astimezone(SHANGHAI).date()
        number = case_number(item.region_code, day, 700_000 + made % 99_999)
        history = History(number=number, item=item, received=received, applicant_kind="citizen")
        builder = Builder(history, calendar, rng, now)
        submit(builder)
        if rng.random() < 0.7 and accept_or_refuse(builder) and rng.random() < 0.5:
            review(builder)
        if history.status not in OPEN_STATUSES:
            continue
        made += 1
        yield history


OPEN_STATUSES = ("submitted", "supplement_requested", "accepted", "special_procedure")


# --- Measurements ------------------------------------------------------------------------


def measure_clocks() -> tuple[int, float, float]:
    """Read the clock of every open case: (cases, seconds with loading, seconds computing)."""
    from django.utils import timezone

    from egov.approvals import clock
    from egov.approvals.models import Case, Suspension
    from egov.approvals.workflow import OPEN
    from egov.core.selectors.calendar import get_working_calendar

    started = time.perf_counter()
    open_statuses = [s.value for s in OPEN]
    rows = list(
        Case.objects.filter(status__in=open_statuses).values_list(
            "id", "received_at", "accepted_at", "promised_limit_days", "extension_days"
        )
    )
    waiting: dict[int, list[clock.Suspension]] = {}
    for case_id, kind, start, end, limit in (
        Suspension.objects.filter(case__status__in=open_statuses)
        .values_list("case_id", "kind", "started_at", "ended_at", "limit_days")
        .iterator(10_000)
    ):
        waiting.setdefault(case_id, []).append(clock.Suspension(kind, start, end, limit))
    facts = [
        clock.CaseTimes(
            received=r,
            limit_days=limit,
            accepted=a,
            suspensions=waiting.get(pk, ()),
            extension_days=ext,
        )
        for pk, r, a, limit, ext in rows
    ]
    loaded = time.perf_counter()
    calendar, now = get_working_calendar(), timezone.now()
    lights: dict[str, int] = {}
    for times in facts:
        light = clock.read_clock(times, calendar, now).light.value
        lights[light] = lights.get(light, 0) + 1
    done = time.perf_counter()
    print(f"  lights: {lights}")
    return len(facts), done - started, done - loaded


def percentiles(timings: list[float]) -> tuple[float, float]:
    """Median and p95 of timings in ms."""
    return statistics.median(timings), statistics.quantiles(timings, n=20)[18]


def time_page(user: Any, path: str, requests: int) -> tuple[float, float]:
    """Median and p95 ms of a page for a signed-in user (after one warm-up request)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    timings = []
    for index in range(requests + 1):
        started = time.perf_counter()
        response = client.get(path, headers={"host": "localhost"})
        if index:
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return percentiles(timings)


def old_queue(user: Any) -> int:
    """The queue as computed before ADR 0047: every open clock in Python, sorted; its length.

    Kept here (not in the app) as the baseline the stored columns are measured against.
    """
    from django.db.models import Q
    from django.utils import timezone

    from egov.approvals import clock, permissions
    from egov.approvals.models import Case, Suspension
    from egov.core.permissions import scopes_for
    from egov.core.selectors.calendar import get_working_calendar

    subtree = Q(pk__in=[])
    for grant in scopes_for(user, permissions.VIEW_CASE):
        subtree |= Q(department__path__startswith=grant.organisation_path)
    cases = Case.objects.filter(subtree, status__in=OPEN_STATUSES)
    waiting: dict[int, list[clock.Suspension]] = {}
    for pk, kind, start, end, limit in Suspension.objects.filter(
        case__in=cases.values("id")
    ).values_list("case_id", "kind", "started_at", "ended_at", "limit_days"):
        waiting.setdefault(pk, []).append(clock.Suspension(kind, start, end, limit))
    calendar, now = get_working_calendar(), timezone.now()
    rows = []
    for pk, received, accepted, limit, extension, number in cases.values_list(
        "id", "received_at", "accepted_at", "promised_limit_days", "extension_days", "number"
    ):
        times = clock.CaseTimes(
            received=received,
            limit_days=limit,
            accepted=accepted,
            suspensions=waiting.get(pk, ()),
            extension_days=extension,
        )
        reading = clock.read_clock(times, calendar, now)
        rows.append((reading.days_left, reading.deadline, received, number))
    rows.sort()
    return len(rows)


def time_old_queue(user: Any, requests: int) -> tuple[float, float, int]:
    """Median and p95 ms of the old queue computation alone (no page rendering)."""
    timings, size = [], 0
    for _ in range(requests):
        started = time.perf_counter()
        size = old_queue(user)
        timings.append((time.perf_counter() - started) * 1000)
    median, p95 = percentiles(timings)
    return median, p95, size


def staff(username: str, organisation_code: str, role: str) -> Any:
    from egov.core.models import User
    from egov.core.services.people import create_staff_user

    existing = User.objects.filter(username=username).first()
    if existing is not None:  # --measure-only on a database measured before
        return existing

    return create_staff_user(
        actor="bench", username=username, organisation_code=organisation_code, roles=[role]
    )


def province_root_code() -> str:
    """The root of the queue department's organisation tree (the province)."""
    from egov.core.models import Organisation

    organisation = Organisation.objects.get(code=QUEUE_DEPARTMENT)
    while organisation.parent_id is not None:
        organisation = Organisation.objects.get(pk=organisation.parent_id)
    return str(organisation.code)


def measure_queues(requests: int) -> None:
    """The queue page for a department clerk and a provincial supervisor, beside baselines."""
    from egov.approvals.models import Case

    clerk = staff("bench_clerk", QUEUE_DEPARTMENT, "clerk")
    supervisor = staff("bench_supervisor", province_root_code(), "supervisor")
    department_open = Case.objects.filter(
        department__code=QUEUE_DEPARTMENT, status__in=OPEN_STATUSES
    ).count()
    province_open = Case.objects.filter(status__in=OPEN_STATUSES).count()
    bare = time_page(clerk, "/healthz", requests)
    print(f"  bare view /healthz: median {bare[0]:.1f} ms, p95 {bare[1]:.1f} ms")
    for who, user, size in (
        ("department clerk", clerk, department_open),
        ("provincial supervisor", supervisor, province_open),
    ):
        median, p95 = time_page(user, "/approvals/", requests)
        print(
            f"  queue page /approvals/, {who}, {size:,} open cases: "
            f"median {median:.0f} ms, p95 {p95:.0f} ms ({requests} requests)"
        )
        median, p95 = time_page(user, "/approvals/?page=40&light=green", requests)
        print(f"    page 40 of the green filter: median {median:.0f} ms, p95 {p95:.0f} ms")
        rounds = max(3, requests // 4)
        median, p95, rows = time_old_queue(user, rounds)
        print(
            f"    old path (every clock in Python, sorted; {rows:,} rows; no rendering): "
            f"median {median:.0f} ms, p95 {p95:.0f} ms ({rounds} rounds)"
        )


def measure_refresh(calendar: Any) -> None:
    """The stored clocks: a full recompute in Python, then the daily refresh the next
    working day just after midnight (set-based) and again (nothing left to do)."""
    from egov.approvals.clock import SHANGHAI as TZ
    from egov.approvals.services.clocks import recompute_case_clocks, refresh_case_clocks

    started = time.perf_counter()
    changed = recompute_case_clocks()
    print(f"  full recompute in Python: {changed:,} cases in {time.perf_counter() - started:.1f} s")
    today = dt.datetime.now(TZ).date()
    following = calendar.add_working_days(today, 1)
    moment = dt.datetime.combine(following, dt.time(0, 5), tzinfo=TZ)
    started = time.perf_counter()
    counts = refresh_case_clocks(moment)
    print(f"  daily refresh on {following}: {counts} in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    counts = refresh_case_clocks(moment)
    print(f"  the same refresh again: {counts} in {time.perf_counter() - started:.1f} s")


def prepare() -> Any:
    """Demo organisations and catalogue, and a leader who approves the extensions."""
    from egov.approvals.demo import load_demo_catalogue
    from egov.core.demo import load_demo_organisations
    from egov.core.services.people import create_staff_user

    load_demo_organisations()
    load_demo_catalogue()
    return create_staff_user(
        actor="bench", username="bench_leader", organisation_code=QUEUE_DEPARTMENT, roles=["leader"]
    )


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far, MiB (Linux reports KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description="Approval cases at provincial scale.")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--queue-cases", type=int, default=10_000)
    parser.add_argument(
        "--province-open-cases",
        type=int,
        default=0,
        help="more open cases over every department, received over the last 15 days",
    )
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--database", default=None, help="database URL (default: SQLite temp)")
    parser.add_argument(
        "--skip-clock-read", action="store_true", help="skip reading every open clock"
    )
    parser.add_argument(
        "--measure-only",
        action="store_true",
        help="measure the stored clocks and pages of --database as it is (generated before)",
    )
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="only the queue pages and the old path, on --database as it is",
    )
    args = parser.parse_args()
    setup(args.database)
    from django.db import connection
    from django.utils import timezone

    from egov.core.selectors.calendar import get_working_calendar

    if args.pages_only:
        measure_queues(args.requests)
        return 0
    if args.measure_only:
        measure_stored(get_working_calendar(), args.requests)
        return 0
    leader = prepare()
    calendar, now = get_working_calendar(), timezone.now()
    print(f"database: {connection.vendor}; catalogue items: {len(catalogue_facts())}")
    print(f"peak RSS after set-up: {peak_rss_mib():,.0f} MiB")
    started = time.perf_counter()
    cases, events = load(iter_case_events(args.cases, catalogue_facts(), calendar, now), leader)
    elapsed = time.perf_counter() - started
    print(
        f"generated and inserted {cases:,} cases with {events:,} events in {elapsed:.0f} s "
        f"({cases / max(elapsed, 1e-9):,.0f} cases/s); peak RSS {peak_rss_mib():,.0f} MiB"
    )
    queued, _ = load(queue_histories(args.queue_cases, calendar, now), leader)
    print(f"queue department {QUEUE_DEPARTMENT}: {queued:,} more open cases")
    started = time.perf_counter()
    more, _ = load(province_histories(args.province_open_cases, calendar, now), leader)
    print(
        f"province: {more:,} more open cases in {time.perf_counter() - started:.0f} s; "
        f"peak RSS {peak_rss_mib():,.0f} MiB"
    )
    if not args.skip_clock_read:
        count, with_load, computing = measure_clocks()
        print(
            f"clock of every open case: {count:,} cases; {count / computing:,.0f} cases/s "
            f"computing, {count / with_load:,.0f} cases/s with loading ({with_load:.1f} s)"
        )
    measure_stored(calendar, args.requests)
    return 0


def measure_stored(calendar: Any, requests: int) -> None:
    """The stored clocks' recompute and refresh, then the queue pages."""
    from django.db import connection

    from egov.approvals.services.clocks import recompute_case_clocks

    if connection.vendor == "postgresql":  # what autovacuum does after a bulk load
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE approvals_case")
    print("stored clocks:")
    measure_refresh(calendar)
    recompute_case_clocks()  # back to today for the pages
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE approvals_case")
    print("queue pages:")
    measure_queues(requests)


if __name__ == "__main__":
    sys.exit(main())
