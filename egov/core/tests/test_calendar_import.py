"""``egov calendar import`` replaces a year with its published schedule, or writes nothing."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from egov.core.calendar import parse_calendar_file
from egov.core.models import AuditEntry, CalendarDay, Event
from egov.core.models.calendar import CalendarRevision
from egov.core.services.calendar import import_calendar_year

pytestmark = pytest.mark.django_db
D = dt.date

# A made-up 2027 schedule in the State Council's shape: a make-up Saturday and Sunday.
OFFICIAL_2027 = [
    ("2027-01-01", "false", "元旦"),
    ("2027-02-05", "false", "春节"),
    ("2027-02-08", "false", "春节"),
    ("2027-02-09", "false", "春节"),
    ("2027-02-10", "false", "春节"),
    ("2027-02-11", "false", "春节"),
    ("2027-02-20", "true", "春节调休上班"),
    ("2027-02-21", "true", "春节调休上班"),
    ("2027-10-01", "false", "国庆节"),
]


def write_csv(path: Path, rows) -> Path:
    lines = ["date,is_working,name", *(",".join(row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def state() -> tuple:
    """Everything an import may write: calendar rows, revision, audit chain, outbox."""
    return (
        list(
            CalendarDay.objects.values_list("date", "is_working", "name", "provisional", "source")
        ),
        list(CalendarRevision.objects.values_list("token", flat=True)),
        AuditEntry.objects.count(),
        Event.objects.count(),
    )


def run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue()


def test_csv_import_replaces_the_provisional_year(tmp_path) -> None:
    provisional_rows = CalendarDay.objects.filter(date__year=2027).count()
    output = run("import", str(write_csv(tmp_path / "2027.csv", OFFICIAL_2027)))
    rows = CalendarDay.objects.filter(date__year=2027).order_by("date")
    assert [(r.date.isoformat(), r.is_working, r.name) for r in rows] == [
        (d, w == "true", n) for d, w, n in OFFICIAL_2027
    ]
    assert not any(row.provisional for row in rows)
    assert {row.source for row in rows} == {"import 2027.csv"}
    assert CalendarDay.objects.filter(date__year=2028, provisional=True).exists()
    assert f"replaced {provisional_rows} rows ({provisional_rows} provisional)" in output


def test_import_is_audited_and_published(tmp_path) -> None:
    run("import", str(write_csv(tmp_path / "2027.csv", OFFICIAL_2027)), "--actor", "egov_office")
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert (entry.actor, entry.action, entry.object_type, entry.object_id) == (
        "egov_office",
        "calendar.imported",
        "calendar_year",
        "2027",
    )
    assert "imported 9 exception days for 2027" in entry.summary
    event = Event.objects.get(event_type="CalendarYearImported")
    assert (event.payload, event.aggregate) == ({"year": 2027, "days": 9}, "calendar:2027")


def test_json_import_defaults_to_the_system_actor(tmp_path) -> None:
    items = [{"date": d, "is_working": w == "true", "name": n} for d, w, n in OFFICIAL_2027]
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    run("import", str(path))
    assert CalendarDay.objects.get(date=D(2027, 2, 21)).is_working
    assert AuditEntry.objects.order_by("-sequence").first().actor == "system"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([*OFFICIAL_2027, ("2027-02-31", "false", "春节")], "line 11: date: '2027-02-31'"),
        (
            [*OFFICIAL_2027, ("2028-01-03", "false", "元旦")],
            "line 11: date: 2028-01-03 is not in 2027",
        ),
        (
            [*OFFICIAL_2027, ("2027-01-01", "false", "元旦")],
            "line 11: date: 2027-01-01 is listed twice",
        ),
        ([*OFFICIAL_2027, ("2027-02-13", "false", "春节")], "line 11: date: 2027-02-13 (Saturday)"),
        ([*OFFICIAL_2027, ("2027-02-12", "true", "春节")], "line 11: date: 2027-02-12 (Friday)"),
    ],
)
def test_bad_csv_exits_2_naming_the_line_and_writes_nothing(tmp_path, rows, message) -> None:
    before = state()
    with pytest.raises(CommandError) as caught:
        run("import", str(write_csv(tmp_path / "2027.csv", rows)))
    assert caught.value.returncode == 2
    assert message in str(caught.value)
    assert "nothing imported" in str(caught.value)
    assert state() == before


def test_missing_column_exits_2_and_writes_nothing(tmp_path) -> None:
    path = tmp_path / "2027.csv"
    path.write_text("date,name\n2027-01-01,元旦\n", encoding="utf-8")
    before = state()
    with pytest.raises(CommandError, match="line 1: header lacks column is_working") as caught:
        run("import", str(path))
    assert caught.value.returncode == 2
    assert state() == before


@pytest.mark.parametrize(
    ("name", "message"), [("2027.xlsx", "unknown format"), ("none.csv", "cannot read")]
)
def test_unreadable_file_exits_2_and_writes_nothing(tmp_path, name, message) -> None:
    path = tmp_path / name
    if name.endswith(".xlsx"):
        path.write_bytes(b"PK")
    before = state()
    with pytest.raises(CommandError, match=message) as caught:
        run("import", str(path))
    assert caught.value.returncode == 2
    assert state() == before


def test_failure_after_the_delete_rolls_the_whole_import_back() -> None:
    imported = parse_calendar_file(
        "date,is_working,name\n" + "\n".join(",".join(row) for row in OFFICIAL_2027), "csv"
    )
    before = state()
    # An empty actor is refused by the audit chain after the rows were replaced.
    with pytest.raises(ValidationError, match="actor"):
        import_calendar_year(imported=imported, actor="")
    assert state() == before
