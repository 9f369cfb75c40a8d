"""Schema-valid case events and supervised cases for the supervision tests.

Build one case's history step by step; each method appends one event of
``docs/case-events.schema.json`` and returns it::

    from egov.supervision.tests.factories import CaseStory, at
    story = CaseStory(received=at(2026, 3, 2))
    story.accept(at(2026, 3, 3)).decide(at(2026, 3, 12)).conclude(at(2026, 3, 12, 15))
    events = story.events

Times are local Asia/Shanghai datetimes (:func:`at`), written in UTC as the
schema asks. Deadlines inside events (``CaseAccepted.deadline`` ...) are
computed with core's weekly-rule ``WorkingCalendar()`` unless a calendar is
passed. :func:`item_published` builds the catalogue event, and
:func:`supervised_case` a ``SupervisedCase`` row for tests that need one
without events.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from egov.core.calendar import WorkingCalendar
from egov.core.identifiers import resident_id_with_check_digit
from egov.supervision.collection.ingest_checks import make_case_number
from egov.supervision.judging.rules.review import SAMPLED_RULE, is_sampled

SHANGHAI = ZoneInfo("Asia/Shanghai")
SCHEMA_PATH = Path(__file__).resolve().parents[3] / "docs" / "case-events.schema.json"
DEPARTMENT = "230102-SCJG"
REGION = "230102"
ITEM = "SCJG-001-230102"
MATERIALS = (("M01", "申请书"), ("M02", "身份证明"), ("M03", "场所证明"))
RESIDENT_ID = resident_id_with_check_digit("23010219750312003")
_sequence = itertools.count(1)


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A local (Asia/Shanghai) instant."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def utc(instant: dt.datetime) -> str:
    """RFC 3339 UTC text with ``Z``, as in the events."""
    return instant.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def new_case_number(region_code: str = REGION, day: dt.date = dt.date(2026, 3, 2)) -> str:
    """A well-formed case number (valid check character), unique within the test run.

    Numbers that the review rule would sample at its default rate are skipped:
    the sequence depends on which tests ran before (and on the worker under
    pytest-xdist), so an unlucky number would otherwise add a ``review.sampled``
    finding to about one concluded case in fifty. Tests of sampling set the rate.
    """
    defaults = SAMPLED_RULE.defaults()
    while True:
        number = make_case_number(region_code, day, next(_sequence))
        if not is_sampled(number, float(defaults["rate"]), str(defaults["seed"])):
            return number


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def assert_valid(event: dict[str, Any]) -> None:
    """Fail if ``event`` does not match docs/case-events.schema.json."""
    import jsonschema

    jsonschema.validate(event, schema(), format_checker=jsonschema.FormatChecker())


class CaseStory:
    """One case's events, in the order they are added (not necessarily by time)."""

    def __init__(
        self,
        *,
        number: str | None = None,
        received: dt.datetime | None = None,
        region_code: str = REGION,
        department_code: str = DEPARTMENT,
        item_code: str = ITEM,
        statutory: int = 20,
        promised: int = 10,
        fees: tuple[tuple[str, int], ...] = (),
        materials: tuple[tuple[str, str], ...] = MATERIALS,
        applicant: dict[str, str] | None = None,
        clerk: str = "clerk_daoli",
        leader: str = "leader_daoli",
        calendar: WorkingCalendar | None = None,
    ) -> None:
        self.received = received or at(2026, 3, 2)
        self.number = number or new_case_number(region_code, self.received.date())
        self.region_code, self.department_code = region_code, department_code
        self.item_code, self.statutory, self.promised = item_code, statutory, promised
        self.fees, self.materials = fees, materials
        self.applicant = applicant
        self.clerk, self.leader = clerk, leader
        self.calendar = calendar or WorkingCalendar()
        self.events: list[dict[str, Any]] = []
        self.accepted: dt.datetime | None = None
        self.extension = 0
        self.supplements = 0
        self.open_suspension: tuple[str, dt.datetime] | None = None
        self.decision = "approve"
        self.submit()

    # --- envelope --------------------------------------------------------------------

    def add(
        self, kind: str, when: dt.datetime, status: str, data: dict[str, Any], actor: str
    ) -> dict[str, Any]:
        """Append one event; ``actor`` is a username, ``applicant`` or ``system``."""
        actor_kind = actor if actor in ("applicant", "system") else "staff"
        event = {
            "schema_version": 1,
            "event_id": str(uuid.uuid4()),
            "type": kind,
            "occurred_at": utc(when),
            "case_number": self.number,
            "item_code": self.item_code,
            "department_code": self.department_code,
            "region_code": self.region_code,
            "actor": {
                "kind": actor_kind,
                "id": actor,
                "organisation": self.department_code if actor_kind == "staff" else "",
            },
            "status": status,
            "data": data,
        }
        self.events.append(event)
        return event

    def local_day(self, when: dt.datetime) -> dt.date:
        return when.astimezone(SHANGHAI).date()

    # --- steps (each returns self, so they chain) -------------------------------------

    def submit(self) -> CaseStory:
        data: dict[str, Any] = {
            "channel": "online",
            "applicant_kind": "citizen",
            "received_at": utc(self.received),
            "statutory_limit_days": self.statutory,
            "promised_limit_days": self.promised,
            "materials": [
                {"code": c, "name": n, "file_type": "pdf", "size": 1000, "sha256": "a" * 64}
                for c, n in self.materials
            ],
            "fees": [{"name": n, "amount_fen": a} for n, a in self.fees],
        }
        if self.applicant is not None:
            data["applicant"] = self.applicant
        self.add("ApplicationSubmitted", self.received, "submitted", data, "applicant")
        return self

    def accept(self, when: dt.datetime, *, deemed: bool = False) -> CaseStory:
        self.accepted = when
        deadline = self.calendar.add_working_days(self.local_day(when), self.promised)
        data = {
            "accepted_at": utc(when),
            "deemed": deemed,
            "note": "",
            "deadline": deadline.isoformat(),
            "limit_days": self.promised,
        }
        self.add("CaseAccepted", when, "accepted", data, "system" if deemed else self.clerk)
        return self

    def request_supplement(self, when: dt.datetime) -> CaseStory:
        self.supplements += 1
        self.open_suspension = ("supplement", when)
        data = {
            "sequence": self.supplements,
            "repeated": self.supplements > 1,
            "missing": [{"code": "M02", "name": "身份证明", "reason": "不清晰"}],
            "note": "",
            "suspension_start": utc(when),
        }
        self.add("SupplementRequested", when, "supplement_requested", data, self.clerk)
        return self

    def receive_supplement(self, when: dt.datetime) -> CaseStory:
        started = self.open_suspension[1] if self.open_suspension else when
        self.open_suspension = None
        data = {
            "sequence": self.supplements,
            "materials": [],
            "note": "",
            "suspension_start": utc(started),
            "suspension_end": utc(when),
        }
        status = "accepted" if self.accepted else "submitted"
        self.add("SupplementReceived", when, status, data, "applicant")
        return self

    def start_procedure(
        self, when: dt.datetime, *, procedure: str = "testing", limit_days: int = 10
    ) -> CaseStory:
        self.open_suspension = (procedure, when)
        data = {
            "procedure": procedure,
            "reason": "依法需要",
            "limit_days": limit_days,
            "applicant_notified": True,
            "suspension_start": utc(when),
        }
        self.add("SpecialProcedureStarted", when, "special_procedure", data, self.clerk)
        return self

    def end_procedure(self, when: dt.datetime) -> CaseStory:
        procedure, started = self.open_suspension or ("testing", when)
        self.open_suspension = None
        data = {
            "procedure": procedure,
            "outcome": "符合要求",
            "suspension_start": utc(started),
            "suspension_end": utc(when),
        }
        self.add("SpecialProcedureEnded", when, "accepted", data, self.clerk)
        return self

    def extend(self, when: dt.datetime, days: int = 10) -> CaseStory:
        self.extension += days
        start = self.local_day(self.accepted or self.received)
        deadline = self.calendar.add_working_days(start, self.promised + self.extension)
        data = {
            "days": days,
            "reason": "情况复杂",
            "total_extension_days": self.extension,
            "deadline": deadline.isoformat(),
        }
        self.add("CaseExtended", when, "accepted", data, self.leader)
        return self

    def decide(
        self,
        when: dt.datetime,
        *,
        decision: str = "approve",
        on_time: bool = True,
        working_days_used: int = 5,
        actor: str | None = None,
    ) -> CaseStory:
        self.decision = decision
        data: dict[str, Any] = {
            "decision": decision,
            "decided_at": utc(when),
            "working_days_used": working_days_used,
            "on_time": on_time,
        }
        if decision == "approve":
            data["licence_number"] = f"{self.item_code}-2026-{next(_sequence):06d}"
        else:
            data |= {"reasons": "不符合法定条件", "remedies": "可申请行政复议"}
        status = "approved" if decision == "approve" else "denied"
        self.add("CaseDecided", when, status, data, actor or self.leader)
        return self

    def pay(self, when: dt.datetime, name: str = "工本费", amount_fen: int = 1000) -> CaseStory:
        data = {
            "fee_name": name,
            "amount_fen": amount_fen,
            "receipt_number": f"R{next(_sequence):08d}",
            "paid_at": utc(when),
        }
        status = "approved" if self.decision == "approve" else "denied"
        self.add("FeePaid", when, status, data, self.clerk)
        return self

    def conclude(
        self, when: dt.datetime, *, on_time: bool = True, working_days_used: int = 5
    ) -> CaseStory:
        data = {
            "concluded_at": utc(when),
            "decision": self.decision,
            "working_days_used": working_days_used,
            "on_time": on_time,
        }
        self.add("CaseConcluded", when, "concluded", data, self.clerk)
        return self

    def deliver(self, when: dt.datetime) -> CaseStory:
        data = {"method": "online", "delivered_at": utc(when)}
        self.add("CaseDelivered", when, "delivered", data, self.clerk)
        return self

    def refuse(self, when: dt.datetime) -> CaseStory:
        self.add("CaseRefused", when, "refused", {"reasons": "不属于本机关职权范围"}, self.clerk)
        return self

    def withdraw(self, when: dt.datetime) -> CaseStory:
        self.add("CaseWithdrawn", when, "withdrawn", {"reason": ""}, "applicant")
        return self

    def terminate(self, when: dt.datetime) -> CaseStory:
        self.add("CaseTerminated", when, "terminated", {"reason": "申请人死亡"}, self.clerk)
        return self


def citizen_applicant(identifier: str = RESIDENT_ID, name: str = "张三") -> dict[str, str]:
    """ApplicationSubmitted.data.applicant for a citizen."""
    return {"kind": "citizen", "name": name, "id_type": "resident_id", "identifier": identifier}


def item_published(
    code: str = ITEM,
    *,
    department_code: str = DEPARTMENT,
    region_code: str = REGION,
    when: dt.datetime | None = None,
    statutory: int = 20,
    promised: int = 10,
    fees: tuple[tuple[str, int, str], ...] = (),
    materials: tuple[tuple[str, str, bool], ...] = (("M01", "申请书", True),),
    legal_basis: str = "《中华人民共和国食品安全法》第三十五条",
    name: str = "食品经营许可",
    kind: str = "licensing",
) -> dict[str, Any]:
    """An ItemPublished event (the catalogue item as published, aggregate: its code)."""
    return {
        "schema_version": 1,
        "event_id": str(uuid.uuid4()),
        "type": "ItemPublished",
        "occurred_at": utc(when or at(2026, 1, 5)),
        "item_code": code,
        "department_code": department_code,
        "region_code": region_code,
        "actor": {"kind": "system", "id": "approvals", "organisation": ""},
        "data": {
            "code": code,
            "name": name,
            "kind": kind,
            "department_code": department_code,
            "region_code": region_code,
            "legal_basis": legal_basis,
            "statutory_limit_days": statutory,
            "promised_limit_days": promised,
            "fees": [{"name": n, "amount_fen": a, "basis": b} for n, a, b in fees],
            "materials": [{"code": c, "name": n, "required": r} for c, n, r in materials],
        },
    }


def supervised_case(**fields: Any) -> Any:
    """A SupervisedCase row with plausible values (an open case of 道里区市场监管局)."""
    from egov.core.testing import make_organisation
    from egov.supervision.models import SupervisedCase
    from egov.supervision.statistics.rollups import refresh_rollups_for

    organisation = make_organisation(fields.pop("department_code", DEPARTMENT))
    values: dict[str, Any] = {
        "case_number": new_case_number(organisation.region_id),
        "item_code": ITEM,
        "department_code": organisation.code,
        "region_code": organisation.region_id,
        "region_path": organisation.region.path,
        "organisation": organisation,
        "source": "internal",
        "status": "accepted",
        "is_open": True,
        "complete": True,
        "statutory_limit_days": 20,
        "promised_limit_days": 10,
    }
    values.update(fields)
    case = SupervisedCase.objects.create(**values)
    refresh_rollups_for([case.case_number])  # as ingest does at the end of a batch
    return case
