"""``egov calendar``: working-day arithmetic, import of a published year, listing.

* ``egov calendar add 2026-09-30 3`` prints the date 3 working days later.
* ``egov calendar between 2026-09-30 2026-10-09`` prints the working days in
  (A, B]: A excluded, B included.
* ``egov calendar import 2027.csv`` replaces 2027 with the official schedule
  (CSV ``date,is_working,name`` or a JSON list of such objects).
* ``egov calendar show 2026`` lists a year's exception days.
* ``egov calendar set 2026-11-30 rest 特别假日`` corrects one day by hand.
* ``egov calendar seed`` seeds years missing from the table.

Bad input exits with code 2 and a message naming what is wrong.
"""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from egov.core.calendar import CalendarFileError, parse_calendar_file
from egov.core.management.commands.serve import unapplied_migrations
from egov.core.selectors.calendar import (
    add_working_days,
    calendar_year,
    provisional_years,
    working_days_between,
)
from egov.core.services.calendar import (
    import_calendar_year,
    seed_official_calendar,
    set_calendar_day,
)

USAGE_ERROR = 2
FORMATS = {".csv": "csv", ".json": "json"}


def parse_date(value: str, argument: str) -> dt.date:
    """A command-line date in YYYY-MM-DD form, or exit 2 naming the argument."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"{argument}: {value!r} is not a date in YYYY-MM-DD form", returncode=USAGE_ERROR
        ) from None


def refuse_unmigrated_database() -> None:
    """After a database error: exit 2 with advice, not a traceback, if migrations are missing."""
    missing = [name for name in unapplied_migrations() if name.startswith("core.")]
    if missing:
        raise CommandError(
            f"the database lacks {len(missing)} core migrations ({missing[0]} ...): "
            "run `egov migrate` first",
            returncode=USAGE_ERROR,
        )


def parse_count(value: str, argument: str) -> int:
    """A command-line working-day count (an integer >= 0), or exit 2."""
    try:
        count = int(value)
    except ValueError:
        count = -1
    if count < 0:
        raise CommandError(
            f"{argument}: {value!r} is not a whole number of working days (0 or more)",
            returncode=USAGE_ERROR,
        )
    return count


def parse_paused(values: list[str]) -> list[tuple[dt.date, dt.date]]:
    """``--paused FIRST:LAST`` intervals (both days included)."""
    intervals = []
    for value in values:
        first, sep, last = value.partition(":")
        if not sep:
            raise CommandError(
                f"--paused: {value!r} is not FIRST:LAST (two dates)", returncode=USAGE_ERROR
            )
        start, end = parse_date(first, "--paused first"), parse_date(last, "--paused last")
        if end < start:
            raise CommandError(
                f"--paused: last {end} is before first {start}", returncode=USAGE_ERROR
            )
        intervals.append((start, end))
    return intervals


def read_import_file(path: Path) -> tuple[str, str]:
    """The text and format of an import file, or exit 2."""
    file_format = FORMATS.get(path.suffix.lower())
    if file_format is None:
        raise CommandError(
            f"{path}: unknown format {path.suffix!r}; use .csv or .json", returncode=USAGE_ERROR
        )
    try:
        return path.read_text(encoding="utf-8-sig"), file_format
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"{path}: cannot read: {exc}", returncode=USAGE_ERROR) from None


class Command(BaseCommand):
    help = "Working-day calendar (工作日历): add, between, import, show, seed."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        add = sub.add_parser("add", help="the date N working days after DATE")
        add.add_argument("date")
        add.add_argument("n")
        add.add_argument("--paused", action="append", default=[], metavar="FIRST:LAST")
        between = sub.add_parser("between", help="working days in (A, B]")
        between.add_argument("a")
        between.add_argument("b")
        between.add_argument("--paused", action="append", default=[], metavar="FIRST:LAST")
        imp = sub.add_parser("import", help="replace a year with its published schedule")
        imp.add_argument("file", type=Path)
        imp.add_argument("--actor", default="system", help="who imports (audit chain)")
        show = sub.add_parser("show", help="list a year's exception days")
        show.add_argument("year")
        set_day = sub.add_parser("set", help="correct one day: work or rest")
        set_day.add_argument("date")
        set_day.add_argument("status", choices=["work", "rest"])
        set_day.add_argument("name", nargs="?", default="")
        set_day.add_argument("--actor", default="system", help="who edits (audit chain)")
        seed = sub.add_parser("seed", help="seed years missing from the table")
        seed.add_argument("--actor", default="system")

    def handle(self, *args: Any, **options: Any) -> None:
        handler = getattr(self, f"handle_{options['subcommand']}")
        try:
            handler(options)
        except DatabaseError:
            refuse_unmigrated_database()
            raise

    def handle_add(self, options: dict[str, Any]) -> None:
        start = parse_date(options["date"], "DATE")
        count = parse_count(options["n"], "N")
        paused = parse_paused(options["paused"])
        try:
            result = add_working_days(start, count, paused)
        except ValueError as exc:
            raise CommandError(str(exc), returncode=USAGE_ERROR) from None
        self.stdout.write(result.isoformat())

    def handle_between(self, options: dict[str, Any]) -> None:
        first = parse_date(options["a"], "A")
        last = parse_date(options["b"], "B")
        paused = parse_paused(options["paused"])
        self.stdout.write(str(working_days_between(first, last, paused)))

    def handle_import(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        text, file_format = read_import_file(path)
        try:
            imported = parse_calendar_file(text, file_format, source=f"import {path.name}")
        except CalendarFileError as exc:
            raise CommandError(f"{path}: {exc}; nothing imported", returncode=USAGE_ERROR) from None
        report = import_calendar_year(
            imported=imported, actor=options["actor"], source=f"import {path.name}"
        )
        self.stdout.write(
            f"imported {report.days} exception days for {report.year}; "
            f"replaced {report.replaced} rows ({report.replaced_provisional} provisional)"
        )

    def handle_show(self, options: dict[str, Any]) -> None:
        try:
            year = int(options["year"])
            dt.date(year, 1, 1)
        except ValueError:
            raise CommandError(
                f"YEAR: {options['year']!r} is not a year", returncode=USAGE_ERROR
            ) from None
        days = calendar_year(year)
        state = "provisional" if year in provisional_years() else "official"
        if not days:
            state = "not seeded: the weekly rule alone"
        self.stdout.write(f"{year}: {len(days)} exception days ({state})")
        for day in days:
            kind = "work" if day.is_working else "rest"
            mark = " provisional" if day.provisional else ""
            self.stdout.write(f"{day.date.isoformat()} {day.date:%a} {kind} {day.name}{mark}")

    def handle_set(self, options: dict[str, Any]) -> None:
        day = parse_date(options["date"], "DATE")
        try:
            exception = set_calendar_day(
                actor=options["actor"],
                day=day,
                is_working=options["status"] == "work",
                name=options["name"],
            )
        except ValidationError as exc:
            problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            raise CommandError(problems, returncode=USAGE_ERROR) from None
        rule = "an exception to the weekly rule" if exception else "back to the weekly rule"
        self.stdout.write(f"{day.isoformat()} {options['status']}: {rule}")

    def handle_seed(self, options: dict[str, Any]) -> None:
        written = seed_official_calendar(actor=options["actor"])
        self.stdout.write(f"seeded {written} exception days")
