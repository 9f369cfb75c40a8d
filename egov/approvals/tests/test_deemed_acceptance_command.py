"""``egov accept_deemed_applications`` settles overdue acceptance and reports the numbers."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command

from egov.approvals.clock import SHANGHAI
from egov.approvals.models import Case


def test_the_command_accepts_what_waited_too_long(submitted_case, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 30, 9, tzinfo=SHANGHAI))
    long_ago = dt.datetime(2026, 11, 10, 9, tzinfo=SHANGHAI)  # 14 working days before
    Case.objects.filter(pk=submitted_case.pk).update(received_at=long_ago)
    out = io.StringIO()
    call_command("accept_deemed_applications", stdout=out)
    assert out.getvalue().splitlines() == [submitted_case.number, "deemed accepted: 1"]
    assert Case.objects.get(pk=submitted_case.pk).deemed_accepted
    again = io.StringIO()
    call_command("accept_deemed_applications", stdout=again)
    assert again.getvalue().strip() == "deemed accepted: 0"
