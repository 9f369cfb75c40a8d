"""Writing the engine's projection (监察办件重算): SupervisedCase rows from stored events.

:func:`rebuild_cases` reads ALL the stored events of the named cases (one
query), folds each case with the pure :func:`egov.supervision.collection.projection.project`
and upserts the ``SupervisedCase`` rows (one ``INSERT … ON CONFLICT DO
UPDATE``). Because every rebuild starts from the whole event set sorted by
time, the row never depends on the order in which events arrived (ADR 0022).

:func:`rebuild_reference_items` does the same for the catalogue copy
(``ReferenceItem``) from the stored ``ItemPublished`` events: the latest
publication of each item wins.

Both run in the caller's transaction (the ingest service's, or the
``egov supervision rebuild`` command's).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from egov.core.models import Organisation, Region
from egov.core.selectors.calendar import get_working_calendar
from egov.supervision.collection.projection import (
    CaseView,
    Thresholds,
    parse_instant,
    project,
    when,
)
from egov.supervision.judging.insert_select import upsert_rows
from egov.supervision.models import CaseEvent, ReferenceItem, Source, SupervisedCase

ITEM_PUBLISHED = "ItemPublished"
CHUNK = 500
# The SupervisedCase fields a rebuild writes (everything but the key and the primary key).
CASE_FIELDS = (
    "item_code",
    "department_code",
    "region_code",
    "region_path",
    "organisation",
    "source",
    "applicant_key",
    "status",
    "is_open",
    "complete",
    "received_at",
    "accepted_at",
    "acceptance_due",
    "decided_at",
    "closed_at",
    "statutory_limit_days",
    "promised_limit_days",
    "extension_days",
    "suspended_days",
    "deadline",
    "statutory_deadline",
    "yellow_on",
    "working_days_used",
    "light",
    "light_judged_on",
    "claimed_on_time",
    "on_time",
    "handler",
    "fee_due_fen",
    "fee_paid_fen",
    "event_count",
    "last_event_at",
    "rebuilt_at",
)
SOURCE_RANK: dict[str, int] = {
    Source.INTERNAL: 0,
    Source.EXCHANGE: 1,
    Source.API: 2,
    Source.IMPORT: 3,
}


def thresholds() -> Thresholds:
    """The yellow-light thresholds (settings SUPERVISION_YELLOW_DAYS_LEFT / _FRACTION_USED)."""
    return Thresholds(
        yellow_days_left=getattr(settings, "SUPERVISION_YELLOW_DAYS_LEFT", 2),
        yellow_fraction_used=getattr(settings, "SUPERVISION_YELLOW_FRACTION_USED", 0.8),
    )


def chunks(values: list[str], size: int = CHUNK) -> Iterator[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


# What a rebuild read, for the judging that follows it in the same transaction:
# each case's stored events as (payload, received_at, source).
Loaded = dict[str, list[tuple[dict[str, Any], dt.datetime, str]]]


def stored_events(
    case_numbers: list[str], keep: Loaded | None = None
) -> dict[str, list[tuple[dict[str, Any], str]]]:
    """Every stored event (payload, source) of each case; also kept in ``keep`` if given."""
    found: dict[str, list[tuple[dict[str, Any], str]]] = {}
    rows = CaseEvent.objects.filter(case_number__in=case_numbers).values_list(
        "case_number", "payload", "source", "received_at"
    )
    for number, payload, source, received in rows.iterator(2_000):
        found.setdefault(number, []).append((payload, source))
        if keep is not None:
            keep.setdefault(number, []).append((payload, received, source))
    return found


def case_row(
    view: CaseView,
    source: str,
    paths: dict[str, str],
    organisations: dict[str, int],
) -> SupervisedCase:
    """The SupervisedCase row of one projected case."""
    return SupervisedCase(
        case_number=view.case_number,
        item_code=view.item_code[:48],
        department_code=view.department_code[:32],
        region_code=view.region_code[:6],
        region_path=paths.get(view.region_code, ""),
        organisation_id=organisations.get(view.department_code),
        source=source,
        applicant_key=view.applicant_key,
        status=view.status,
        is_open=view.is_open,
        complete=view.complete,
        received_at=view.received_at,
        accepted_at=view.accepted_at,
        acceptance_due=view.acceptance_due,
        decided_at=view.decided_at,
        closed_at=view.closed_at,
        statutory_limit_days=view.statutory_limit_days,
        promised_limit_days=view.promised_limit_days,
        extension_days=min(view.extension_days, 32_767),
        suspended_days=min(view.suspended_days, 32_767),
        deadline=view.deadline,
        statutory_deadline=view.statutory_deadline,
        yellow_on=view.yellow_on,
        working_days_used=view.working_days_used,
        light=view.light,
        light_judged_on=view.light_judged_on,
        claimed_on_time=view.claimed_on_time,
        on_time=view.on_time,
        handler=view.handler[:150],
        fee_due_fen=view.fee_due_fen,
        fee_paid_fen=view.fee_paid_fen,
        event_count=view.event_count,
        last_event_at=view.last_event_at,
    )


def case_source(rows: list[tuple[dict[str, Any], str]]) -> str:
    """The case's source: that of its submission, else the most trusted one seen."""
    for payload, source in rows:
        if payload.get("type") == "ApplicationSubmitted":
            return source
    return min((source for _, source in rows), key=lambda s: SOURCE_RANK.get(s, 9))


def lookups(views: list[CaseView]) -> tuple[dict[str, str], dict[str, int]]:
    """Region paths by region code and organisation ids by department code."""
    regions = {view.region_code for view in views}
    departments = {view.department_code for view in views}
    paths = dict(Region.objects.filter(code__in=regions).values_list("code", "path"))
    organisations = dict(
        Organisation.objects.filter(code__in=departments).values_list("code", "pk")
    )
    return paths, organisations


def rebuild_cases(
    case_numbers: Iterable[str], *, now: dt.datetime | None = None, keep: Loaded | None = None
) -> int:
    """Recompute and upsert the SupervisedCase of each case from all its stored events.

    ``keep``: filled with the events read, so that judging the same cases in
    the same transaction need not read them again.
    """
    numbers = sorted({n for n in case_numbers if n})
    calendar, moment, limits = get_working_calendar(), now or timezone.now(), thresholds()
    written = 0
    for chunk in chunks(numbers):
        events = stored_events(chunk, keep)
        views = [
            (project([p for p, _ in rows], calendar, now=moment, thresholds=limits), rows)
            for rows in events.values()
        ]
        paths, organisations = lookups([view for view, _ in views])
        cases = [case_row(view, case_source(rows), paths, organisations) for view, rows in views]
        with transaction.atomic():
            upsert_rows(
                SupervisedCase, cases, unique_field="case_number", update_fields=CASE_FIELDS
            )
        written += len(cases)
    return written


def all_case_numbers() -> list[str]:
    """Every case number with a stored event."""
    rows = CaseEvent.objects.exclude(case_number="").values_list("case_number", flat=True)
    return sorted(set(rows.distinct()))


def reference_values(payload: dict[str, Any]) -> dict[str, Any]:
    """The ReferenceItem fields of one ItemPublished event."""
    data = payload.get("data") or {}
    return {
        "name": str(data.get("name", ""))[:128],
        "kind": str(data.get("kind", ""))[:16],
        "department_code": str(data.get("department_code", ""))[:32],
        "region_code": str(data.get("region_code", ""))[:6],
        "legal_basis": str(data.get("legal_basis", "")),
        "statutory_limit_days": int(data.get("statutory_limit_days") or 0),
        "promised_limit_days": int(data.get("promised_limit_days") or 0),
        "fees": list(data.get("fees") or []),
        "materials": list(data.get("materials") or []),
        "snapshot": data,
        "published_at": parse_instant(payload.get("occurred_at")),
    }


def rebuild_reference_items(item_codes: Iterable[str] | None = None) -> int:
    """Upsert each item's reference copy from its latest stored ItemPublished event."""
    query = CaseEvent.objects.filter(type=ITEM_PUBLISHED)
    if item_codes is not None:
        query = query.filter(payload__item_code__in=list(item_codes))
    latest: dict[str, tuple[tuple[dt.datetime, str], dict[str, Any]]] = {}
    for payload in query.values_list("payload", flat=True).iterator(2_000):
        key = (when(payload), str(payload.get("event_id")))  # stored events have a time
        code = str((payload.get("data") or {}).get("code") or payload.get("item_code"))
        if code not in latest or key > latest[code][0]:
            latest[code] = (key, payload)
    items = [
        ReferenceItem(code=code, **reference_values(payload))
        for code, (_, payload) in latest.items()
    ]
    fields = [*reference_values({"data": {}}).keys(), "updated_at"]
    ReferenceItem.objects.bulk_create(
        items, update_conflicts=True, unique_fields=["code"], update_fields=fields
    )
    return len(items)
