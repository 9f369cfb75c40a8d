"""A month of cases with injected violations (违规样本生成), pure: no Django import.

The quality measure (``bench/supervision_quality.py``), its small version in
the test suite and the demo loader (:mod:`egov.supervision.demo.month`) share this
generator. It follows ``bench/approvals.py``'s case-history generator (the
same event shapes, steps and proportions: 补正 in about one case of six,
refusals, withdrawals, special procedures, extensions, decisions, fees,
conclusion, delivery, all in office hours on working days) but is kept inside
the package, because the demo must run from an installed egov where
``bench`` is not importable, and because its clean cases must be clean *by
construction*: every step is placed within its limit on the calendar, so a
finding on a clean case is a false positive of a rule, never a lateness the
generator made by chance.

Then :func:`generate_month` injects violations of every rule into chosen
cases and labels them: :class:`Month` carries the events, the labelled
ground truth ``(rule code, target key)`` (a case number; for the catalogue
rules an item code; for the night-time rule ``department:day``), the defective
catalogue items to publish, and the cases whose decisions are recorded by a
person without the role. Same seed, same month.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from egov.core.identifiers import credit_code_with_check_digit, resident_id_with_check_digit
from egov.supervision.collection.ingest_checks import make_case_number
from egov.supervision.judging.rules.review import is_sampled

SHANGHAI = ZoneInfo("Asia/Shanghai")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"
FIRMS = ("龙江", "松花江", "冰城", "北大荒", "黑土地", "兴安", "三江", "鹤城")
TRADES = ("食品", "商贸", "建筑", "科技", "物流", "餐饮", "医药", "农业")
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


class Calendar(Protocol):
    def add_working_days(self, start: dt.date, n: int, paused: Sequence[Any] = ()) -> dt.date: ...

    def working_days_between(self, a: dt.date, b: dt.date, paused: Sequence[Any] = ()) -> int: ...

    def is_working_day(self, day: dt.date) -> bool: ...


@dataclass(frozen=True)
class ItemSpec:
    """What the generator needs of a catalogue item (from the reference items)."""

    code: str
    department_code: str
    region_code: str
    statutory: int
    promised: int
    materials: tuple[tuple[str, str, bool], ...]  # code, name, required
    fees: tuple[tuple[str, int], ...]  # name, amount_fen

    @classmethod
    def from_reference(cls, item: Any) -> ItemSpec:
        """From a ReferenceItem-like object (attributes) or an ItemPublished ``data`` dict."""
        get: Callable[[str], Any] = (
            item.get if isinstance(item, dict) else lambda name: getattr(item, name)
        )
        materials = tuple(
            (str(m["code"]), str(m["name"]), bool(m.get("required", m.get("mandatory", False))))
            for m in get("materials") or ()
        )
        fees = tuple((str(f["name"]), int(f["amount_fen"])) for f in get("fees") or ())
        return cls(
            code=get("code"),
            department_code=get("department_code"),
            region_code=get("region_code"),
            statutory=int(get("statutory_limit_days")),
            promised=int(get("promised_limit_days")),
            materials=materials,
            fees=fees,
        )


@dataclass
class Case:
    """One generated case: its events in order and the rules injected into it."""

    number: str
    item: ItemSpec
    applicant: dict[str, str]
    events: list[dict[str, Any]] = field(default_factory=list)
    labels: set[str] = field(default_factory=set)


@dataclass
class Month:
    """A generated month: cases, ground truth, defective catalogue items, source overrides."""

    cases: list[Case]
    truth: set[tuple[str, str]]
    bad_items: list[dict[str, Any]]
    live_cases: set[str]  # cases whose events arrive by a live feed (the late-report injection)
    leaders: set[tuple[str, str]]  # (username, department code) who decide for a department

    @property
    def events(self) -> list[dict[str, Any]]:
        return [event for case in self.cases for event in case.events]


def utc_text(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def local_day(instant: dt.datetime) -> dt.date:
    return instant.astimezone(SHANGHAI).date()


def leader_of(department_code: str) -> str:
    """The demo leader who decides for a department (held the leader role there)."""
    return f"leader_{department_code}"


def clerk_of(department_code: str) -> str:
    return f"clerk_{department_code}"


# --- applicants -------------------------------------------------------------------------


def citizen(rng: random.Random, region_code: str) -> dict[str, str]:
    """A citizen with a valid resident ID born in ``region_code`` (a real division code)."""
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 55))
    first17 = f"{region_code}{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return {
        "kind": "citizen",
        "name": rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
        "id_type": "resident_id",
        "identifier": resident_id_with_check_digit(first17),
    }


def enterprise(rng: random.Random, region_code: str) -> dict[str, str]:
    """An enterprise with a valid unified social credit code registered in ``region_code``."""
    first17 = f"91{region_code}" + "".join(rng.choices(CREDIT_CHARS, k=9))
    return {
        "kind": "enterprise",
        "name": f"黑龙江{rng.choice(FIRMS)}{rng.choice(TRADES)}有限公司{rng.randrange(1, 999)}",
        "id_type": "credit_code",
        "identifier": credit_code_with_check_digit(first17),
    }


def applicant_region(region_code: str) -> str:
    """A county-level code for people of a province or city: the region itself otherwise."""
    if region_code.endswith("0000"):
        return region_code[:2] + "0102"
    if region_code.endswith("00"):
        return region_code[:4] + "02"
    return region_code


# --- the clean case -------------------------------------------------------------------


@dataclass
class Plan:
    """Knobs of one case's workflow; the defaults make a clean case."""

    accept_days: int | None = None  # working days from receipt to acceptance
    outcome: str = "decide"  # decide, refuse, withdraw, terminate, open
    decision: str = "approve"
    supplement_before: bool = False
    supplement_after: int = 0  # 补正 requests after acceptance
    supplement_days: int | None = None
    procedure: bool = False
    procedure_overrun: int = 0
    extension: int = 0
    over_limit: int = 0  # working days beyond the promised limit at decision
    claim_on_time: bool | None = None  # None: honest
    decide_at_night: dt.datetime | None = None


class Writer:
    """Walks one case through its steps on the calendar, in office hours."""

    def __init__(self, case: Case, calendar: Calendar, rng: random.Random, received: dt.datetime):
        self.case, self.calendar, self.rng = case, calendar, rng
        self.at = received
        self.paused: list[tuple[dt.date, dt.date]] = []

    def later(self, working_days: int) -> dt.datetime:
        if working_days <= 0:
            return self.at + dt.timedelta(minutes=self.rng.randint(5, 45))
        day = self.calendar.add_working_days(local_day(self.at), working_days)
        hour, minute = self.rng.randint(8, 15), self.rng.randint(0, 59)
        return max(dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI), self.at)

    def add(
        self, kind: str, status: str, data: dict[str, Any], actor: str, at: dt.datetime
    ) -> dict[str, Any]:
        self.at = at
        item = self.case.item
        staff = actor not in ("applicant", "system")
        event = {
            "schema_version": 1,
            "event_id": str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
            "type": kind,
            "occurred_at": utc_text(at),
            "case_number": self.case.number,
            "item_code": item.code,
            "department_code": item.department_code,
            "region_code": item.region_code,
            "actor": {
                "kind": "staff" if staff else actor,
                "id": actor,
                "organisation": item.department_code if staff else "",
            },
            "status": status,
            "data": data,
        }
        self.case.events.append(event)
        return event

    def step(
        self, days: int, kind: str, status: str, data: dict[str, Any], actor: str
    ) -> dict[str, Any]:
        return self.add(kind, status, data, actor, self.later(days))

    def suspend(
        self, kind: str, days: int, status_after: str, sequence: int = 1, limit: int = 0
    ) -> None:
        item, clerk = self.case.item, clerk_of(self.case.item.department_code)
        if kind == "supplement":
            missing = [
                {"code": c, "name": n, "reason": "不清晰或不完整"}
                for c, n, _ in self.rng.sample(item.materials, k=min(len(item.materials), 1))
            ]
            start = self.step(
                self.rng.randint(0, 1),
                "SupplementRequested",
                "supplement_requested",
                {"sequence": sequence, "repeated": sequence > 1, "missing": missing, "note": ""},
                clerk,
            )
        else:
            start = self.step(
                1,
                "SpecialProcedureStarted",
                "special_procedure",
                {
                    "procedure": kind,
                    "reason": "依法需要",
                    "limit_days": limit,
                    "applicant_notified": True,
                },
                clerk,
            )
        started = self.at
        start["data"]["suspension_start"] = utc_text(started)
        end_kind = "SupplementReceived" if kind == "supplement" else "SpecialProcedureEnded"
        data: dict[str, Any] = (
            {"sequence": sequence, "materials": [], "note": ""}
            if kind == "supplement"
            else {"procedure": kind, "outcome": "符合要求"}
        )
        actor = "applicant" if kind == "supplement" else clerk
        end = self.step(days, end_kind, status_after, data, actor)
        end["data"] |= {"suspension_start": utc_text(started), "suspension_end": utc_text(self.at)}
        first = local_day(started) + dt.timedelta(days=1)
        if local_day(self.at) >= first:
            self.paused.append((first, local_day(self.at)))

    def used_since(self, start: dt.datetime) -> int:
        return self.calendar.working_days_between(local_day(start), local_day(self.at), self.paused)


def submit(w: Writer, channel: str) -> None:
    case, item = w.case, w.case.item
    materials = [
        {
            "code": code,
            "name": name,
            "file_type": "pdf",
            "size": w.rng.randint(40_000, 900_000),
            "sha256": f"{w.rng.getrandbits(256):064x}",
        }
        for code, name, _ in item.materials
    ]
    w.add(
        "ApplicationSubmitted",
        "submitted",
        {
            "channel": channel,
            "applicant_kind": case.applicant["kind"],
            "received_at": utc_text(w.at),
            "statutory_limit_days": item.statutory,
            "promised_limit_days": item.promised,
            "materials": materials,
            "fees": [{"name": n, "amount_fen": a} for n, a in item.fees],
            "applicant": dict(case.applicant),
        },
        "applicant",
        w.at,
    )


def accept(w: Writer, plan: Plan) -> dt.datetime:
    item, received = w.case.item, w.at
    if plan.supplement_before:
        w.suspend("supplement", plan.supplement_days or w.rng.randint(1, 5), "submitted")
    days = plan.accept_days if plan.accept_days is not None else w.rng.choice((0, 0, 1, 1, 2))
    if plan.supplement_before:
        days = min(days, 2)
    event = w.step(
        days,
        "CaseAccepted",
        "accepted",
        {"deemed": False, "note": "", "limit_days": item.promised},
        clerk_of(item.department_code),
    )
    del received
    event["data"]["accepted_at"] = utc_text(w.at)
    deadline = w.calendar.add_working_days(local_day(w.at), item.promised)
    event["data"]["deadline"] = deadline.isoformat()
    return w.at


def review(w: Writer, plan: Plan, accepted: dt.datetime) -> None:
    item = w.case.item
    if plan.procedure:
        limit = w.rng.choice((5, 10, 15))
        days = limit + plan.procedure_overrun if plan.procedure_overrun else w.rng.randint(2, limit)
        w.suspend(
            w.rng.choice(("hearing", "testing", "expert_review", "inspection")),
            days,
            "accepted",
            limit=limit,
        )
    for sequence in range(1, plan.supplement_after + 1):
        days = plan.supplement_days or w.rng.randint(1, 5)
        w.suspend("supplement", days, "accepted", sequence=sequence)
    if plan.extension:
        event = w.step(
            0,
            "CaseExtended",
            "accepted",
            {"days": plan.extension, "reason": "情况复杂", "total_extension_days": plan.extension},
            leader_of(item.department_code),
        )
        deadline = w.calendar.add_working_days(
            local_day(accepted), item.promised + plan.extension, w.paused
        )
        event["data"]["deadline"] = deadline.isoformat()


def decision_day(w: Writer, plan: Plan, accepted: dt.datetime) -> dt.datetime:
    """When to decide: within the limit, or ``over_limit`` working days beyond it."""
    limit = w.case.item.promised + plan.extension
    used = w.used_since(accepted)
    if plan.over_limit:
        target = limit + plan.over_limit
    else:
        target = w.rng.randint(used, max(used, limit)) if limit > used else used
    extra = max(target - used, 0)
    if extra == 0:
        return w.later(0)
    day = w.calendar.add_working_days(local_day(w.at), extra)
    return max(
        dt.datetime.combine(
            day, dt.time(w.rng.randint(8, 15), w.rng.randint(0, 59)), tzinfo=SHANGHAI
        ),
        w.at,
    )


def decide(w: Writer, plan: Plan, accepted: dt.datetime, sequence: int) -> None:
    item = w.case.item
    at = plan.decide_at_night or decision_day(w, plan, accepted)
    w.at = at
    used = w.used_since(accepted)
    on_time = used <= item.promised + plan.extension
    claim = on_time if plan.claim_on_time is None else plan.claim_on_time
    data: dict[str, Any] = {"decision": plan.decision}
    if plan.decision == "approve":
        data["licence_number"] = f"{item.code}-{sequence:07d}"
    else:
        data |= {"reasons": "不符合法定条件", "remedies": "可依法申请行政复议或者提起行政诉讼"}
    status = "approved" if plan.decision == "approve" else "denied"
    data |= {"decided_at": utc_text(at), "working_days_used": used, "on_time": claim}
    w.add("CaseDecided", status, data, leader_of(item.department_code), at)
    if plan.decision == "approve" and item.fees:
        name, amount = item.fees[0]
        pay(w, name, amount, status, w.later(0))
    concluded = w.later(0)
    w.add(
        "CaseConcluded",
        "concluded",
        {
            "concluded_at": utc_text(concluded),
            "decision": plan.decision,
            "working_days_used": used,
            "on_time": claim,
        },
        clerk_of(item.department_code),
        concluded,
    )
    delivered = w.later(w.rng.choice((0, 1, 2)))
    w.add(
        "CaseDelivered",
        "delivered",
        {"method": w.rng.choice(("online", "window", "post")), "delivered_at": utc_text(delivered)},
        clerk_of(item.department_code),
        delivered,
    )


def pay(w: Writer, name: str, amount: int, status: str, at: dt.datetime) -> dict[str, Any]:
    receipt = f"R{w.rng.getrandbits(48):012x}"
    return w.add(
        "FeePaid",
        status,
        {
            "fee_name": name,
            "amount_fen": amount,
            "receipt_number": receipt,
            "paid_at": utc_text(at),
        },
        clerk_of(w.case.item.department_code),
        at,
    )


def write_case(
    case: Case,
    plan: Plan,
    calendar: Calendar,
    rng: random.Random,
    received: dt.datetime,
    sequence: int,
) -> Writer:
    """The case's events following ``plan`` (no cut at "now": the caller checks)."""
    w = Writer(case, calendar, rng, received)
    submit(w, rng.choice(("online", "online", "online", "walk_in")))
    clerk = clerk_of(case.item.department_code)
    if plan.outcome == "refuse":
        w.step(
            rng.randint(0, 2), "CaseRefused", "refused", {"reasons": "不属于本机关职权范围"}, clerk
        )
        return w
    if plan.outcome == "withdraw":
        w.step(rng.randint(0, 2), "CaseWithdrawn", "withdrawn", {"reason": ""}, "applicant")
        return w
    accepted = accept(w, plan)
    if plan.outcome == "open":
        return w
    review(w, plan, accepted)
    if plan.outcome == "terminate":
        w.step(
            1,
            "CaseTerminated",
            "terminated",
            {"reason": "申请人申请终止"},
            leader_of(case.item.department_code),
        )
        return w
    decide(w, plan, accepted, sequence)
    return w


def clean_plan(rng: random.Random, item: ItemSpec) -> Plan:
    """A realistic clean workflow: proportions as bench/approvals.py's generator."""
    roll = rng.random()
    if roll < 0.03:
        return Plan(outcome="refuse")
    if roll < 0.05:
        return Plan(outcome="withdraw")
    roomy, before = item.promised >= 8, rng.random() < 0.15
    return Plan(
        supplement_before=before,
        procedure=roomy and rng.random() < 0.03,
        supplement_after=1 if roomy and not before and rng.random() < 0.05 else 0,
        extension=min(10, item.statutory - item.promised) if roomy and rng.random() < 0.02 else 0,
        decision="approve" if rng.random() < 0.95 else "deny",
    )


# --- injections -----------------------------------------------------------------------


class NoFittingItemError(ValueError):
    """No catalogue item fits an injection (the injection is left out, not mislabelled)."""


class MonthBuilder:
    """Generates clean and injected cases for one month."""

    def __init__(self, items: Sequence[ItemSpec], calendar: Calendar, now: dt.datetime, seed: int):
        self.items, self.calendar, self.now = list(items), calendar, now
        self.rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
        self.cases: list[Case] = []
        self.truth: set[tuple[str, str]] = set()
        self.live: set[str] = set()
        self.numbers: dict[tuple[str, dt.date], int] = {}
        self.sequence = 0
        self.used_items: set[str] = set()

    # choosing
    def pick(self, test: Callable[[ItemSpec], bool] = lambda item: True) -> ItemSpec:
        fitting = [item for item in self.items if test(item)]
        if not fitting:
            raise NoFittingItemError("no catalogue item fits this injection")
        return self.rng.choice(fitting)

    def working_instant(self, earliest_days: float, latest_days: float) -> dt.datetime:
        back = self.rng.uniform(earliest_days, latest_days)
        day = local_day(self.now - dt.timedelta(days=back))
        if not self.calendar.is_working_day(day):
            day = self.calendar.add_working_days(day, 1)
        instant = dt.datetime.combine(
            day, dt.time(self.rng.randint(8, 15), self.rng.randint(0, 59)), tzinfo=SHANGHAI
        )
        return min(instant, self.now - dt.timedelta(minutes=5))

    def number(self, item: ItemSpec, received: dt.datetime) -> str:
        key = (item.region_code, local_day(received))
        self.numbers[key] = self.numbers.get(key, 0) + 1
        return make_case_number(item.region_code, local_day(received), 500_000 + self.numbers[key])

    def applicant(self, item: ItemSpec) -> dict[str, str]:
        region = applicant_region(item.region_code)
        maker = citizen if self.rng.random() < 0.6 else enterprise
        return maker(self.rng, region)

    # writing
    def write(
        self,
        item: ItemSpec,
        plan: Plan,
        received: dt.datetime,
        applicant: dict[str, Any] | None = None,
    ) -> Case:
        self.sequence += 1
        case = Case(self.number(item, received), item, applicant or self.applicant(item))
        write_case(case, plan, self.calendar, self.rng, received, self.sequence)
        return case

    def clean(self, received: dt.datetime) -> Case:
        item = self.pick()
        case = self.write(item, clean_plan(self.rng, item), received)
        case.events = [e for e in case.events if parse(e["occurred_at"]) <= self.now]
        self.cases.append(case)
        return case

    def injected(
        self,
        rule: str | Sequence[str],
        item: ItemSpec,
        plan: Plan,
        edit: Callable[[Case], object] | None = None,
        received: dt.datetime | None = None,
        applicant: dict[str, Any] | None = None,
    ) -> Case:
        """A complete case (every step before now) with the violation; labelled."""
        for attempt in range(12):
            at = received or self.working_instant(14 + attempt * 4, 24 + attempt * 4)
            case = self.write(item, plan, at, applicant)
            if edit is not None:
                edit(case)
            if all(parse(e["occurred_at"]) <= self.now for e in case.events):
                break
        else:
            raise ValueError(f"cannot fit an injected case of {rule} before now")
        for code in [rule] if isinstance(rule, str) else rule:
            case.labels.add(code)
            self.truth.add((code, case.number))
        self.cases.append(case)
        return case


def parse(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def index_of(case: Case, kind: str) -> int:
    return next(i for i, e in enumerate(case.events) if e["type"] == kind)


def insert_after(case: Case, kind: str, new: dict[str, Any], minutes: int = 2) -> dict[str, Any]:
    """Insert ``new`` (type, status, data, actor id) right after the first ``kind`` event."""
    index = index_of(case, kind)
    base = case.events[index]
    at = parse(base["occurred_at"]) + dt.timedelta(minutes=minutes)
    event = dict(base)
    event |= {
        "event_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{base['event_id']}/{new['type']}")),
        "type": new["type"],
        "occurred_at": utc_text(at),
        "status": new["status"],
        "data": new["data"] | ({"paid_at": utc_text(at)} if new["type"] == "FeePaid" else {}),
    }
    case.events.insert(index + 1, event)
    return event


def fee_event(name: str, amount: int, status: str) -> dict[str, Any]:
    receipt = f"R{uuid.uuid5(uuid.NAMESPACE_OID, f'{name}{amount}{status}').hex[:12]}"
    data = {"fee_name": name, "amount_fen": amount, "receipt_number": receipt}
    return {"type": "FeePaid", "status": status, "data": data}


def set_data(case: Case, kind: str, **values: Any) -> None:
    case.events[index_of(case, kind)]["data"] |= values


def has_fees(item: ItemSpec) -> bool:
    return bool(item.fees)


def gap(n: int) -> Callable[[ItemSpec], bool]:
    return lambda item: (
        item.statutory - item.promised >= n and 3 <= item.promised <= item.statutory <= 30
    )


def roomy(item: ItemSpec) -> bool:
    return 8 <= item.promised <= 30


def inject_time(m: MonthBuilder) -> None:
    with suppress(NoFittingItemError):
        m.injected("time.acceptance_late", m.pick(roomy), Plan(accept_days=m.rng.randint(6, 8)))
    with suppress(NoFittingItemError):
        item = m.pick(gap(2))
        over = m.rng.randint(1, item.statutory - item.promised)
        m.injected("time.promised_overdue", item, Plan(over_limit=over))
    with suppress(NoFittingItemError):
        item = m.pick(gap(1))
        over = item.statutory - item.promised + m.rng.randint(1, 3)
        m.injected(("time.statutory_overdue", "time.promised_overdue"), item, Plan(over_limit=over))
    with suppress(NoFittingItemError):
        overrun = Plan(procedure=True, procedure_overrun=m.rng.randint(1, 3))
        m.injected("time.special_procedure_overdue", m.pick(roomy), overrun)
    with suppress(NoFittingItemError):
        claim = Plan(over_limit=1, claim_on_time=True)
        m.injected(("time.claim_mismatch", "time.promised_overdue"), m.pick(gap(2)), claim)


def inject_fees(m: MonthBuilder) -> None:
    approve = Plan()
    with suppress(NoFittingItemError):
        rename = lambda c: set_data(c, "FeePaid", fee_name="加急服务费")  # noqa: E731
        m.injected("fee.not_in_catalogue", m.pick(has_fees), approve, rename)
    with suppress(NoFittingItemError):
        extra = m.rng.randint(5, 50) * 100
        more = lambda c: set_data(c, "FeePaid", amount_fen=c.item.fees[0][1] + extra)  # noqa: E731
        m.injected("fee.over_standard", m.pick(has_fees), approve, more)
    with suppress(NoFittingItemError):
        charge = lambda c: insert_after(c, "CaseDecided", fee_event("工本费", 2000, "approved"))  # noqa: E731
        m.injected("fee.free_item", m.pick(lambda i: not i.fees), approve, charge)
    with suppress(NoFittingItemError):
        m.injected(
            "fee.on_unaccepted_case",
            m.pick(has_fees),
            Plan(outcome="refuse"),
            lambda c: insert_after(c, "CaseRefused", fee_event(*c.item.fees[0], "refused"), 10),
        )
    with suppress(NoFittingItemError):
        m.injected(
            "fee.refund_missing",
            m.pick(lambda i: has_fees(i) and i.promised >= 3),
            Plan(outcome="terminate"),
            lambda c: insert_after(c, "CaseAccepted", fee_event(*c.item.fees[0], "accepted"), 10),
        )


def break_check_character(case: Case) -> None:
    data = case.events[0]["data"]["applicant"]
    last = data["identifier"][-1]
    data["identifier"] = data["identifier"][:-1] + ("1" if last != "1" else "2")


def drop_required(case: Case) -> None:
    required = {code for code, _, needed in case.item.materials if needed}
    data = case.events[0]["data"]
    data["materials"] = [m for m in data["materials"] if m["code"] not in required]


def inflate_promised_limit(case: Case) -> None:
    """The case's copy of the item says a longer promised limit than the catalogue."""
    data = case.events[0]["data"]
    data["promised_limit_days"] = case.item.promised + 5
    data["statutory_limit_days"] = max(data["statutory_limit_days"], data["promised_limit_days"])


def inject_data(m: MonthBuilder) -> None:
    m.injected("data.identifier_invalid", m.pick(), Plan(), break_check_character)
    with suppress(NoFittingItemError):
        first_item = m.pick()
        other = m.pick(lambda i: i.code != first_item.code)
        first = m.injected((), first_item, Plan(), received=m.working_instant(24, 26))
        renamed = dict(first.applicant, name=first.applicant["name"] + "某")
        later = m.working_instant(12, 14)
        m.injected("data.applicant_inconsistent", other, Plan(), received=later, applicant=renamed)
    m.injected("data.reference_mismatch", m.pick(), Plan(), inflate_promised_limit)
    with suppress(NoFittingItemError):
        needs = m.pick(lambda i: any(needed for _, _, needed in i.materials))
        m.injected("data.materials_missing", needs, Plan(), drop_required)
    with suppress(NoFittingItemError):
        item = m.pick(lambda i: i.promised >= 5)
        early = m.injected((), item, Plan(accept_days=1), received=m.working_instant(16, 18))
        second = parse(early.events[0]["occurred_at"]) + dt.timedelta(minutes=10)
        again = early.applicant
        m.injected("data.duplicate_application", item, Plan(), received=second, applicant=again)


def rename_decider(case: Case) -> None:
    event = case.events[index_of(case, "CaseDecided")]
    event["actor"] = dict(event["actor"], id=f"temp_{case.number[-6:]}")


def backdate_decision(case: Case) -> None:
    event = case.events[index_of(case, "CaseDecided")]
    event["data"]["decided_at"] = utc_text(parse(event["occurred_at"]) - dt.timedelta(days=3))


def reverse_status(case: Case) -> None:
    last = case.events[-1]
    at = parse(last["occurred_at"]) + dt.timedelta(hours=1)
    deadline = local_day(at).isoformat()
    extension = dict(last)
    extension |= {
        "event_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{last['event_id']}/reversal")),
        "type": "CaseExtended",
        "occurred_at": utc_text(at),
        "status": "accepted",
        "data": {"days": 5, "reason": "补录延期", "total_extension_days": 5, "deadline": deadline},
    }
    case.events.append(extension)


def withhold_remedies(case: Case) -> None:
    set_data(case, "CaseDecided", remedies="请补充材料后重新申请")


def skip_acceptance(case: Case) -> None:
    case.events.pop(index_of(case, "CaseAccepted"))


def inject_irregular(m: MonthBuilder) -> None:
    m.injected("irregular.steps_skipped", m.pick(), Plan(), skip_acceptance)
    m.injected("irregular.decider_without_role", m.pick(), Plan(), rename_decider)
    m.injected("irregular.timestamps", m.pick(), Plan(), backdate_decision)
    late = m.injected("irregular.timestamps", m.pick(), Plan())
    m.live.add(late.number)  # reported by a live feed only now: weeks after each step
    with suppress(NoFittingItemError):
        twice = Plan(supplement_after=2)
        m.injected("irregular.repeated_supplement", m.pick(roomy), twice)
    with suppress(NoFittingItemError):
        long = Plan(supplement_after=1, supplement_days=m.rng.randint(16, 20))
        m.injected("irregular.suspension_overlong", m.pick(roomy), long)
    m.injected("irregular.status_reversal", m.pick(), Plan(), reverse_status)
    m.injected("irregular.no_decision_document", m.pick(), Plan(decision="deny"), withhold_remedies)


def inject_night_burst(m: MonthBuilder) -> None:
    """Six cases of one department decided and concluded within the hour before midnight."""
    with suppress(NoFittingItemError):
        night_burst(m, m.pick(lambda i: 5 <= i.promised <= 30).department_code)


def night_burst(m: MonthBuilder, department: str) -> None:
    items = [i for i in m.items if i.department_code == department and 5 <= i.promised <= 30]
    received = m.working_instant(18, 20)
    night_day = m.calendar.add_working_days(local_day(received), 3)
    for index in range(6):
        decided = dt.datetime.combine(night_day, dt.time(22, 40 + index * 3), tzinfo=SHANGHAI)
        item = m.rng.choice(items)
        case = m.injected((), item, Plan(accept_days=0, decide_at_night=decided), received=received)
        for minutes, later in enumerate(case.events[index_of(case, "CaseDecided") + 1 :], start=1):
            moved = utc_text(decided + dt.timedelta(minutes=minutes))
            later["occurred_at"] = moved
            for name in ("paid_at", "concluded_at", "delivered_at"):
                if name in later["data"]:
                    later["data"][name] = moved
    m.truth.add(("irregular.night_closures", f"{department}:{night_day.isoformat()}"))


def bad_catalogue(m: MonthBuilder) -> list[dict[str, Any]]:
    """Three published items with a defect each (事前 rules), copies of real items."""
    bad: list[dict[str, Any]] = []
    changes: tuple[tuple[str, Callable[[dict[str, Any]], dict[str, Any]]], ...] = (
        (
            "catalogue.promised_over_statutory",
            lambda d: d | {"promised_limit_days": d["statutory_limit_days"] + 5},
        ),
        ("catalogue.no_legal_basis", lambda d: d | {"legal_basis": ""}),
        (
            "catalogue.fee_without_basis",
            lambda d: d | {"fees": [{"name": "咨询服务费", "amount_fen": 5000, "basis": ""}]},
        ),
    )
    for rule, change in changes:
        base = m.pick()
        code = f"{base.code}-Q{len(bad) + 1}"
        data = {
            "code": code,
            "name": "质量检测样本事项",
            "kind": "licence",
            "department_code": base.department_code,
            "region_code": base.region_code,
            "legal_basis": "《中华人民共和国行政许可法》",
            "statutory_limit_days": base.statutory,
            "promised_limit_days": base.promised,
            "fees": [{"name": n, "amount_fen": a, "basis": "省物价部门核定"} for n, a in base.fees],
            "materials": [{"code": c, "name": n, "required": r} for c, n, r in base.materials],
        }
        bad.append(change(data))
        m.truth.add((rule, code))
    return bad


def sampled_truth(cases: Sequence[Case], rate: float, seed: str = "") -> set[tuple[str, str]]:
    """The concluded cases the review rule must select (ground truth by its definition)."""
    return {
        ("review.sampled", case.number)
        for case in cases
        if case.events
        and case.events[-1]["status"] in ("concluded", "delivered")
        and is_sampled(case.number, rate, seed)
    }


def generate_month(
    items: Sequence[ItemSpec],
    calendar: Calendar,
    now: dt.datetime,
    *,
    cases: int,
    seed: int = 2026,
    rounds: int = 1,
    review_rate: float = 0.02,
) -> Month:
    """``cases`` clean cases received over the 30 days before ``now``, and injected ones.

    Each round injects every rule once (the time rules' and the night burst's
    cases are several). Clean cases whose later steps fall after ``now`` stay
    open, as in a live month.
    """
    m = MonthBuilder(items, calendar, now, seed)
    for _ in range(cases):
        m.clean(m.working_instant(0.01, 30))
    bad: list[dict[str, Any]] = []
    for _ in range(rounds):
        inject_time(m)
        inject_fees(m)
        inject_data(m)
        inject_irregular(m)
        inject_night_burst(m)
        bad += bad_catalogue(m)
    m.cases.sort(key=lambda case: case.events[0]["occurred_at"] if case.events else "")
    truth = m.truth | sampled_truth(m.cases, review_rate)
    leaders = {(leader_of(i.department_code), i.department_code) for i in m.items}
    return Month(m.cases, truth, bad, m.live, leaders)
