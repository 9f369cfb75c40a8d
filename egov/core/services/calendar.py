"""Working-day calendar writes (工作日历): seeding and importing published years.

The table holds only the days that break the weekly rule (see
:mod:`egov.core.calendar`). Every change sets a fresh revision token in the
same transaction, so cached calendars in every process notice it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from egov.core.calendar import (
    NAME_MAX,
    ExceptionDay,
    ImportedYear,
    is_weekly_working_day,
    official_exception_days,
    official_years,
    provisional_exception_days,
)
from egov.core.events import publish
from egov.core.models.calendar import CalendarDay, CalendarRevision
from egov.core.services.audit import record_audit

# Provisional days are seeded up to this year; later years follow the weekly rule.
PROVISIONAL_UNTIL = 2030


@dataclass(frozen=True)
class ImportReport:
    """What an import changed: the year, its new days, the rows it replaced."""

    year: int
    days: int
    replaced: int
    replaced_provisional: int


def bump_revision(revision_model: type[CalendarRevision] = CalendarRevision) -> None:
    """Give the calendar a fresh revision token (in the caller's transaction)."""
    revision_model.objects.update_or_create(
        id=1, defaults={"token": uuid.uuid4(), "changed_at": timezone.now()}
    )


def seed_days(years_present: set[int]) -> list[ExceptionDay]:
    """Official days for the years chinesecalendar covers, provisional ones up to 2030.

    Years already in the table are left alone: a seeded or imported year is
    never overwritten by a later seeding.
    """
    official = [year for year in official_years() if year not in years_present]
    first_provisional = max(official_years()) + 1
    provisional = [
        year
        for year in range(first_provisional, PROVISIONAL_UNTIL + 1)
        if year not in years_present
    ]
    days = official_exception_days(official) if official else []
    return days + (provisional_exception_days(provisional) if provisional else [])


def write_days(day_model: type[CalendarDay], days: Iterable[ExceptionDay]) -> int:
    """Insert exception days as rows; the number written."""
    rows = [
        day_model(
            date=day.date,
            is_working=day.is_working,
            name=day.name,
            provisional=day.provisional,
            source=day.source[:64],
        )
        for day in days
    ]
    day_model.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def seed_rows(
    *,
    day_model: type[CalendarDay] = CalendarDay,
    revision_model: type[CalendarRevision] = CalendarRevision,
) -> int:
    """Seed the years missing from the table (no audit: migration 0002 calls this).

    Idempotent: a second run finds every year present and writes nothing.
    """
    with transaction.atomic():
        present = {day.year for day in day_model.objects.values_list("date", flat=True)}
        written = write_days(day_model, seed_days(present))
        if written or not revision_model.objects.exists():
            bump_revision(revision_model)
    return written


def seed_official_calendar(*, actor: Any = "system") -> int:
    """Seed missing years from the official schedules (初始化工作日历), audited.

    2004 through the last year ``chinesecalendar`` covers come from the State
    Council's notices; the following years up to 2030 come from
    ``holidays.China`` and are marked provisional. Returns the rows written.
    """
    with transaction.atomic():
        written = seed_rows()
        if written:
            record_audit(
                actor=actor,
                action="calendar.seeded",
                object_type="calendar",
                summary=f"seeded {written} exception days from the published schedules",
            )
    return written


def import_calendar_year(
    *, imported: ImportedYear, actor: Any = "system", source: str = "import"
) -> ImportReport:
    """Replace one year's exception days with a newly published schedule (导入年度日历).

    ``imported`` is a checked year (:func:`egov.core.calendar.parse_calendar_file`).
    In one transaction: the year's rows are replaced, none stays provisional,
    the revision token changes, the import is audited and
    ``CalendarYearImported`` is published so deadlines that crossed
    provisional days can be recomputed.
    """
    year = imported.year
    with transaction.atomic(durable=True):
        old = CalendarDay.objects.filter(date__year=year)
        replaced = old.count()
        replaced_provisional = old.filter(provisional=True).count()
        old.delete()
        written = write_days(CalendarDay, (day._replace(source=source) for day in imported.days))
        bump_revision()
        record_audit(
            actor=actor,
            action="calendar.imported",
            object_type="calendar_year",
            object_id=str(year),
            summary=(
                f"imported {written} exception days for {year} from {source}; "
                f"replaced {replaced} rows, {replaced_provisional} of them provisional"
            ),
        )
        publish(
            "CalendarYearImported", {"year": year, "days": written}, aggregate=f"calendar:{year}"
        )
    return ImportReport(year, written, replaced, replaced_provisional)


def set_calendar_day(*, actor: Any, day: dt.date, is_working: bool, name: str = "") -> bool:
    """Correct one day of the calendar by hand (修改工作日历), audited.

    A day whose status agrees with the weekly rule loses its row (it is no
    longer an exception); any other day gets a row, not provisional, named
    ``name`` (required then). Returns whether the day is now an exception.
    Bad input raises ``ValidationError`` naming the field, and nothing is written.
    """
    check_day_edit(day, is_working, name)
    exception = is_working != is_weekly_working_day(day)
    with transaction.atomic():
        if exception:
            CalendarDay.objects.update_or_create(
                date=day,
                defaults={
                    "is_working": is_working,
                    "name": name.strip(),
                    "provisional": False,
                    "source": "manual",
                },
            )
        else:
            CalendarDay.objects.filter(date=day).delete()
        bump_revision()
        record_audit(
            actor=actor,
            action="calendar.day_set",
            object_type="calendar_day",
            object_id=day.isoformat(),
            summary=f"{day} set to {'working day' if is_working else 'rest day'} {name}".strip(),
        )
        # Deadlines that count this day move: whoever stores them recomputes (approvals).
        publish(
            "CalendarDayChanged",
            {"day": day.isoformat(), "is_working": is_working},
            aggregate=f"calendar:{day.year}",
        )
    return exception


def check_day_edit(day: Any, is_working: Any, name: str) -> None:
    """Refuse a hand edit with a bad field, naming it."""
    errors: dict[str, str] = {}
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
        errors["day"] = "expected a date"
    if not isinstance(is_working, bool):
        errors["is_working"] = "expected true or false"
    if len(name.strip()) > NAME_MAX:
        errors["name"] = f"at most {NAME_MAX} characters"
    if not errors and is_working != is_weekly_working_day(day) and not name.strip():
        errors["name"] = "required for a holiday or a make-up working day"
    if errors:
        raise ValidationError(errors)
