"""``egov accept_deemed_applications`` settles overdue acceptance and reports the numbers."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command

from egov.approvals.clock import SHANGHAI
from egov.approvals.models import Case


def test_the_command_accepts_what_waited_too_long(submitted_case):
    long_ago = dt.datetime.now(tz=SHANGHAI) - dt.timedelta(days=20)
    Case.objects.filter(pk=submitted_case.pk).update(received_at=long_ago)
    out = io.StringIO()
    call_command("accept_deemed_applications", stdout=out)
    assert out.getvalue().splitlines() == [submitted_case.number, "deemed accepted: 1"]
    assert Case.objects.get(pk=submitted_case.pk).deemed_accepted
    again = io.StringIO()
    call_command("accept_deemed_applications", stdout=again)
    assert again.getvalue().strip() == "deemed accepted: 0"
