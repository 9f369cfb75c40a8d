"""Yellow and red cards for departments (黄牌、红牌) from repeated red findings.

A department whose red findings within one period (a calendar month, local
dates) reach the yellow count gets a yellow card for that period, and at the
red count a red card. The counts are 3 and 6 unless configured: the setting
``EGOV_SUPERVISION_CARDS = {"yellow": 3, "red": 6}`` for the province, or a
:class:`~egov.supervision.models.RuleSetting` with ``rule_code="cards.department"``
(province-wide with a blank department code, or for one department) whose
parameters hold ``yellow`` and ``red``. Dismissed findings do not count.

One card per department, colour and period (a unique constraint); the scan
task runs :func:`issue_department_cards` after each scan and a supervisor
may run it on demand for their region. Each new card is audited and
published (``DepartmentCardIssued``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from egov.core.events import publish
from egov.core.models import Organisation
from egov.core.permissions import scopes_for
from egov.core.services.audit import record_audit
from egov.supervision import permissions
from egov.supervision.errors import ErrorCode, SupervisionError
from egov.supervision.models import DepartmentCard, Finding, RuleSetting

CARD_RULE = "cards.department"
DEFAULT_COUNTS = {"yellow": 3, "red": 6}
SHANGHAI = ZoneInfo("Asia/Shanghai")
SYSTEM_ACTOR = "system"


def month_period(day: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar month holding ``day``: its first and last date."""
    start = day.replace(day=1)
    following = (start + dt.timedelta(days=32)).replace(day=1)
    return start, following - dt.timedelta(days=1)


def card_counts() -> dict[str, dict[str, int]]:
    """The yellow and red counts, by department code ("" is the province-wide default)."""
    base = DEFAULT_COUNTS | dict(getattr(settings, "EGOV_SUPERVISION_CARDS", {}) or {})
    counts: dict[str, dict[str, int]] = {"": {k: int(base[k]) for k in DEFAULT_COUNTS}}
    rows = RuleSetting.objects.filter(rule_code=CARD_RULE, item_code="", enabled=True)
    for row in rows.order_by("department_code"):
        layer = counts[""] if row.department_code else base
        merged = {k: int((row.parameters or {}).get(k, layer[k])) for k in DEFAULT_COUNTS}
        counts[row.department_code] = merged
    return counts


def red_counts(start: dt.date, end: dt.date, scope: Q) -> dict[str, int]:
    """Red findings per department found in [start, end] (local dates), within ``scope``."""
    since = dt.datetime.combine(start, dt.time(), tzinfo=SHANGHAI)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI)
    rows = (
        Finding.objects.filter(scope, severity="red", found_at__gte=since, found_at__lt=until)
        .exclude(status=Finding.Status.DISMISSED)
        .values("department_code")
        .annotate(n=Count("id"))
    )
    return {row["department_code"]: row["n"] for row in rows}


def actor_scope(actor: Any) -> Q:
    """Which findings the actor's cards may count: all for the system, else their regions."""
    if isinstance(actor, str):
        return Q()
    grants = scopes_for(actor, permissions.SUPERVISE)
    if not grants:
        raise SupervisionError(ErrorCode.PERMISSION_DENIED, "only supervisors issue cards")
    scope = Q(pk__in=[])
    for grant in grants:
        scope |= Q(region_path__startswith=grant.region_path)
    return scope


def issue_department_cards(
    *, actor: Any = SYSTEM_ACTOR, today: dt.date | None = None
) -> list[DepartmentCard]:
    """Give every department its due cards for the current month; the new cards."""
    start, end = month_period(today or timezone.localdate())
    with transaction.atomic(durable=True):
        reds = red_counts(start, end, actor_scope(actor))
        counts = card_counts()
        organisations = Organisation.objects.in_bulk(list(reds), field_name="code")
        issued = []
        for code, red in sorted(reds.items()):
            department = organisations.get(code)
            if department is None:
                continue
            limits = counts.get(code, counts[""])
            for colour in (DepartmentCard.Colour.YELLOW, DepartmentCard.Colour.RED):
                if red >= limits[colour]:
                    card = give_card(department, colour, start, end, red, actor)
                    if card is not None:
                        issued.append(card)
        return issued


def give_card(
    department: Organisation, colour: str, start: dt.date, end: dt.date, red: int, actor: Any
) -> DepartmentCard | None:
    """The new card, or None if the department already has this one for the period."""
    if DepartmentCard.objects.filter(
        department=department, colour=colour, period_start=start
    ).exists():
        return None
    card = DepartmentCard.objects.create(
        department=department,
        colour=colour,
        period_start=start,
        period_end=end,
        red_findings=red,
        issued_at=timezone.now(),
        issued_by=getattr(actor, "username", str(actor))[:150],
    )
    label = "红牌" if colour == DepartmentCard.Colour.RED else "黄牌"
    record_audit(
        actor=actor,
        action="supervision.DepartmentCardIssued",
        object_type="supervision.DepartmentCard",
        object_id=str(card.pk),
        summary=f"{department.name} {start:%Y年%m月} 红色发现 {red} 件，亮{label}",
        organisation=department.code,
    )
    publish(
        "DepartmentCardIssued",
        {
            "department_code": department.code,
            "colour": colour,
            "period_start": start.isoformat(),
            "period_end": end.isoformat(),
            "red_findings": red,
        },
        aggregate=f"department:{department.code}",
    )
    return card


def cards_for_organisations(paths: list[str]) -> QuerySet[DepartmentCard]:
    """Cards of the departments under these organisation paths, newest first."""
    if not paths:
        return DepartmentCard.objects.none()
    scope = Q(pk__in=[])
    for path in paths:
        scope |= Q(department__path__startswith=path)
    return (
        DepartmentCard.objects.filter(scope)
        .select_related("department")
        .order_by("-period_start", "colour")
    )


def cards_in_regions(region_paths: list[str]) -> QuerySet[DepartmentCard]:
    """Cards of the departments whose region lies under these region paths."""
    if not region_paths:
        return DepartmentCard.objects.none()
    scope = Q(pk__in=[])
    for path in region_paths:
        scope |= Q(department__region__path__startswith=path)
    return (
        DepartmentCard.objects.filter(scope)
        .select_related("department")
        .order_by("-period_start", "colour")
    )
