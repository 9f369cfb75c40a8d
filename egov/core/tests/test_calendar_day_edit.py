"""set_calendar_day corrects one day by hand, audited; bad input writes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from egov.core.models import AuditEntry, CalendarDay
from egov.core.models.calendar import CalendarRevision
from egov.core.selectors.calendar import add_working_days, is_working_day
from egov.core.services.calendar import set_calendar_day

pytestmark = pytest.mark.django_db
D = dt.date


def state() -> tuple:
    return (
        list(CalendarDay.objects.values_list("date", "is_working", "name", "provisional")),
        list(CalendarRevision.objects.values_list("token", flat=True)),
        AuditEntry.objects.count(),
    )


def test_a_new_holiday_is_stored_audited_and_used_at_once() -> None:
    assert add_working_days(D(2026, 11, 27), 1) == D(2026, 11, 30)
    assert set_calendar_day(
        actor="egov_office", day=D(2026, 11, 30), is_working=False, name="特别假日"
    )
    row = CalendarDay.objects.get(date=D(2026, 11, 30))
    assert (row.is_working, row.name, row.provisional, row.source) == (
        False,
        "特别假日",
        False,
        "manual",
    )
    assert add_working_days(D(2026, 11, 27), 1) == D(2026, 12, 1)
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert (entry.actor, entry.action, entry.object_id) == (
        "egov_office",
        "calendar.day_set",
        "2026-11-30",
    )


def test_setting_a_day_back_to_the_weekly_rule_removes_its_row() -> None:
    assert not is_working_day(D(2026, 10, 1))
    assert not set_calendar_day(actor="egov_office", day=D(2026, 10, 1), is_working=True)
    assert not CalendarDay.objects.filter(date=D(2026, 10, 1)).exists()
    assert is_working_day(D(2026, 10, 1))


def test_editing_a_provisional_day_makes_it_official() -> None:
    assert CalendarDay.objects.get(date=D(2027, 1, 1)).provisional
    set_calendar_day(actor="egov_office", day=D(2027, 1, 1), is_working=False, name="元旦")
    assert not CalendarDay.objects.get(date=D(2027, 1, 1)).provisional


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"day": "2026-11-30", "is_working": False, "name": "假"}, "day"),
        ({"day": D(2026, 11, 30), "is_working": "no", "name": "假"}, "is_working"),
        ({"day": D(2026, 11, 30), "is_working": False, "name": ""}, "name"),
        ({"day": D(2026, 11, 28), "is_working": True, "name": "x" * 65}, "name"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(kwargs, field) -> None:
    before = state()
    with pytest.raises(ValidationError) as caught:
        set_calendar_day(actor="egov_office", **kwargs)
    assert field in caught.value.message_dict
    assert state() == before


def test_unaudited_edit_is_rolled_back() -> None:
    before = state()
    with pytest.raises(ValidationError, match="actor"):
        set_calendar_day(actor="", day=D(2026, 11, 30), is_working=False, name="特别假日")
    assert state() == before


def test_command_sets_a_day_and_refuses_a_nameless_holiday() -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = StringIO()
    call_command("calendar", "set", "2026-12-01", "rest", "特别假日", "--actor", "ops", stdout=out)
    assert out.getvalue().strip() == "2026-12-01 rest: an exception to the weekly rule"
    assert not is_working_day(D(2026, 12, 1))
    before = state()
    with pytest.raises(CommandError, match="name: required") as caught:
        call_command("calendar", "set", "2026-12-02", "rest")
    assert caught.value.returncode == 2
    assert state() == before
