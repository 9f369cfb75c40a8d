"""A small known set of supervised cases and findings for the statistics and dashboard tests.

Rows are written directly (the projection's output), so the figures can be
checked by hand:

=============  ==========  ========  =========  =======  ========  ==========
department     region      received  concluded  on time  overdue   open (light)
=============  ==========  ========  =========  =======  ========  ==========
230102-SCJG    道里区       4         3          2        1         1 red
230100-SCJG    哈尔滨本级    2         1          1        0         1 yellow
230200-SCJG    齐齐哈尔市    3         2          1        1         1 green
=============  ==========  ========  =========  =======  ========  ==========

Working days of the decided cases: 道里区 4, 6, 11; 哈尔滨本级 3; 齐齐哈尔 5, 9.
One more 道里区 case received in October is open (green): outside the period,
but in the open-case snapshot. Findings in November: 道里区 2 (one red time,
one fee), 齐齐哈尔 1 (data); a dismissed one in 道里区 that never counts; one in
October outside the period.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from egov.core.testing import make_organisation
from egov.supervision.models import Finding, Light, ReferenceItem, SupervisedCase
from egov.supervision.statistics.rollups import refresh_rollups_for

NOVEMBER = dt.date(2026, 11, 1)
PATHS = {
    "230102": "230000/230100/230102/",
    "230100": "230000/230100/",
    "230200": "230000/230200/",
}
_numbers = itertools.count(1)


def at(day: int, month: int = 11, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=timezone.get_current_timezone())


def make_case(
    department: str,
    *,
    received: dt.datetime,
    decided: dt.datetime | None = None,
    on_time: bool | None = None,
    days: int | None = None,
    light: str = Light.GREEN,
    item: str = "",
) -> SupervisedCase:
    """One supervised case of ``department`` (e.g. ``230102-SCJG``); open unless decided."""
    region = department.split("-")[0]
    organisation = make_organisation(department)
    number = f"{region}20261101{next(_numbers):06d}X"
    case = SupervisedCase.objects.create(
        case_number=number,
        item_code=item or f"{department}-ITEM",
        department_code=department,
        region_code=region,
        region_path=PATHS[region],
        organisation=organisation,
        source="internal",
        status="concluded" if decided else "accepted",
        is_open=decided is None,
        complete=True,
        received_at=received,
        accepted_at=received,
        decided_at=decided,
        closed_at=decided,
        working_days_used=days,
        on_time=on_time,
        light=Light.STOPPED if decided else light,
    )
    refresh_rollups_for([number])  # as ingest does at the end of a batch
    return case


def make_finding(
    department: str,
    *,
    found: dt.datetime,
    category: str,
    rule: str,
    severity: str = "yellow",
    status: str = Finding.Status.OPEN,
) -> Finding:
    region = department.split("-")[0]
    return Finding.objects.create(
        fingerprint=f"test-{next(_numbers)}",
        rule_code=rule,
        category=category,
        severity=severity,
        case_number="",
        department_code=department,
        region_path=PATHS[region],
        summary=f"{rule} {department}",
        found_at=found,
        status=status,
    )


def known_set() -> dict[str, Any]:
    """The rows of the table above; returns nothing worth keeping but the counts."""
    daoli, harbin, qiqihar = "230102-SCJG", "230100-SCJG", "230200-SCJG"
    ReferenceItem.objects.get_or_create(
        code=f"{daoli}-ITEM",
        defaults={
            "name": "食品经营许可",
            "department_code": daoli,
            "region_code": "230102",
            "statutory_limit_days": 20,
            "promised_limit_days": 10,
            "published_at": at(1, 10),
        },
    )
    make_case(daoli, received=at(2), decided=at(6), on_time=True, days=4)
    make_case(daoli, received=at(3), decided=at(12), on_time=True, days=6)
    make_case(daoli, received=at(4), decided=at(20), on_time=False, days=11)
    make_case(daoli, received=at(5), light=Light.RED)
    make_case(harbin, received=at(9), decided=at(12), on_time=True, days=3)
    make_case(harbin, received=at(10), light=Light.YELLOW)
    make_case(qiqihar, received=at(2), decided=at(6), on_time=True, days=5)
    make_case(qiqihar, received=at(3), decided=at(16), on_time=False, days=9)
    make_case(qiqihar, received=at(4))
    make_case(daoli, received=at(28, 10))  # received in October: outside the period
    make_finding(daoli, found=at(7), category="time", rule="time.promised_overdue", severity="red")
    make_finding(daoli, found=at(8), category="fee", rule="fee.above_standard")
    make_finding(qiqihar, found=at(9), category="data", rule="data.resident_id_invalid")
    make_finding(
        daoli,
        found=at(9),
        category="fee",
        rule="fee.above_standard",
        status=Finding.Status.DISMISSED,
    )
    make_finding(daoli, found=at(20, 10), category="time", rule="time.promised_overdue")
    return {"departments": (daoli, harbin, qiqihar)}


def decided_in_week(department: str, monday: dt.date, count: int, late: int, days: int = 5) -> None:
    """``count`` decisions of ``department`` in the week of ``monday``, the first ``late`` late."""
    zone = timezone.get_current_timezone()
    for n in range(count):
        moment = dt.datetime.combine(monday + dt.timedelta(days=n % 3), dt.time(12), tzinfo=zone)
        make_case(
            department,
            received=moment - dt.timedelta(days=10),
            decided=moment,
            on_time=n >= late,
            days=days,
        )


def rising_department(this_monday: dt.date) -> None:
    """道里区 market regulator: nine calm weeks (10 decisions, none late), then 10 of 25 late."""
    for back in range(1, 10):
        decided_in_week("230102-SCJG", this_monday - dt.timedelta(weeks=back), 10, 0)
    decided_in_week("230102-SCJG", this_monday, 25, 10)
