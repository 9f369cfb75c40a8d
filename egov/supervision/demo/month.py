"""Demo supervision data (演示监察数据): a month of cases with violations of every rule.

``load_demo_supervision()`` (registered as a core demo loader, after the
approvals catalogue) makes sure the engine has its reference copy of the
catalogue (the ``ItemPublished`` events the catalogue loader has just put in
the outbox are ingested at once, so the demo does not wait for the worker),
gives every department a leader who decides its cases, generates a month of
cases for the whole province with :mod:`egov.supervision.judging.violations`
(injected violations of every rule, labelled), and feeds the events through
the same intake as any department's system (:mod:`egov.supervision.collection.ingest`),
then runs the rules in bulk. A provincial supervisor then sees findings of
every rule. Idempotent: a second run finds the demo cases and does nothing.

:func:`load_month` is also the quality measure's loader
(``bench/supervision_quality.py`` and ``tests/test_quality_small.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from egov.core.models import Event, Organisation, RoleAssignment, StaffProfile, User
from egov.core.selectors.calendar import get_working_calendar
from egov.core.services.audit import record_audit
from egov.supervision.collection.ingest import ingest_in_transaction
from egov.supervision.judging import evaluation
from egov.supervision.judging.violations import ItemSpec, Month, generate_month
from egov.supervision.models import CaseEvent, ReferenceItem

DEMO_ACTOR = "demo-loader"
DEMO_SYSTEM = "demo-month"
DEMO_CASES = 800
DEMO_SEED = 2026
BATCH = 2000


def ingest(events: Sequence[dict[str, Any]], source: str, system: str, now: dt.datetime) -> int:
    """Feed events through the intake without running the rules; how many were refused."""
    refused = 0
    for start in range(0, len(events), BATCH):
        report = ingest_in_transaction(
            events=events[start : start + BATCH],
            source=source,
            source_system=system,
            actor=DEMO_ACTOR,
            now=now,
            evaluate=False,
        )
        refused += report.rejected
        if report.rejected:
            bad = [r for r in report.results if r.status == "rejected"][:3]
            raise ValueError(f"demo events refused by the intake: {[r.as_dict() for r in bad]}")
    return refused


def publish_pending_items(now: dt.datetime) -> int:
    """Ingest the catalogue's ItemPublished events still waiting in the outbox (idempotent)."""
    payloads = list(
        Event.objects.filter(event_type="ItemPublished")
        .order_by("id")
        .values_list("payload", flat=True)
    )
    known = set(CaseEvent.objects.filter(type="ItemPublished").values_list("event_id", flat=True))
    fresh = [
        p for p in payloads if p.get("event_id") and p["event_id"] not in {str(k) for k in known}
    ]
    if fresh:
        ingest(fresh, "internal", "approvals", now)
    return len(fresh)


def item_published(data: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """The ItemPublished event of one generated catalogue item (the 事前 injections)."""
    import uuid

    return {
        "schema_version": 1,
        "event_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"egov-demo-item/{data['code']}")),
        "type": "ItemPublished",
        "occurred_at": (now - dt.timedelta(days=40))
        .astimezone(dt.UTC)
        .isoformat()
        .replace("+00:00", "Z"),
        "item_code": data["code"],
        "department_code": data["department_code"],
        "region_code": data["region_code"],
        "actor": {"kind": "system", "id": DEMO_SYSTEM, "organisation": ""},
        "data": data,
    }


def ensure_leaders(leaders: Iterable[tuple[str, str]]) -> int:
    """A leader account (no usable password) at each department that decides demo cases."""
    wanted = dict(leaders)
    organisations = {o.code: o for o in Organisation.objects.filter(code__in=set(wanted.values()))}
    existing = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    new = [
        (username, organisations[code])
        for username, code in sorted(wanted.items())
        if username not in existing and code in organisations
    ]
    if not new:
        return 0
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                username=username,
                password=unusable,
                kind=User.Kind.STAFF,
                display_name=f"{organisation.short_name or organisation.name}负责人",
            )
            for username, organisation in new
        ]
    )
    users = list(User.objects.filter(username__in=[u for u, _ in new]).order_by("username"))
    by_name = dict(new)
    StaffProfile.objects.bulk_create(
        [StaffProfile(user=u, organisation=by_name[u.username], title="负责人") for u in users]
    )
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=u, role="leader", organisation=by_name[u.username]) for u in users]
    )
    record_audit(
        actor=DEMO_ACTOR,
        action="staff.create",
        object_type="user",
        object_id=users[0].username,
        summary=f"{len(users)} demo department leaders (no usable password)",
    )
    return len(users)


def item_specs() -> list[ItemSpec]:
    return [ItemSpec.from_reference(item) for item in ReferenceItem.objects.order_by("code")]


def date_catalogue_before(month: Month) -> None:
    """The generated history predates the catalogue just loaded: date the copy before it.

    Rules compare a case with the version of its item in force when it was
    received; demo items published at load time would otherwise be "later".
    """
    first = min((e["occurred_at"] for e in month.events), default=None)
    if first is None:
        return
    start = dt.datetime.fromisoformat(first.replace("Z", "+00:00")) - dt.timedelta(days=1)
    ReferenceItem.objects.filter(published_at__gt=start).update(published_at=start)


def load_month(month: Month, now: dt.datetime) -> dict[str, int]:
    """Ingest a generated month and run every rule on it; counts of what was loaded."""
    ensure_leaders(month.leaders)
    ingest([item_published(data, now) for data in month.bad_items], "api", DEMO_SYSTEM, now)
    live = [e for e in month.events if e["case_number"] in month.live_cases]
    rest = [e for e in month.events if e["case_number"] not in month.live_cases]
    ingest(rest, "import", DEMO_SYSTEM, now)
    ingest(live, "api", DEMO_SYSTEM, now)
    date_catalogue_before(month)
    numbers = [case.number for case in month.cases if case.events]
    found = evaluation.evaluate_cases(case_numbers=numbers, actor=DEMO_ACTOR)
    found += evaluation.evaluate_catalogue(actor=DEMO_ACTOR)
    return {"cases": len(numbers), "events": len(month.events), "findings": len(found)}


def demo_size() -> int:
    """Clean cases in the demo month: ``EGOV_DEMO_SUPERVISION_CASES`` (0: no month; tests)."""
    return int(getattr(settings, "EGOV_DEMO_SUPERVISION_CASES", DEMO_CASES))


def load_demo_supervision(cases: int | None = None) -> dict[str, int]:
    """The demo month (演示月度办件) with violations of every rule; idempotent."""
    if CaseEvent.objects.filter(source_system=DEMO_SYSTEM).exists():
        return {}
    cases = demo_size() if cases is None else cases
    if cases <= 0:
        return {}
    now = timezone.now()
    with transaction.atomic():
        publish_pending_items(now)
        items = item_specs()
        if not items:
            return {}
        month = generate_month(
            items,
            get_working_calendar(),
            now,
            cases=cases,
            seed=DEMO_SEED,
            rounds=2 if cases >= 400 else 1,
        )
        return load_month(month, now)
