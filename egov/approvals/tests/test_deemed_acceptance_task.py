"""The huey periodic task settles deemed acceptance (视为受理) like the command."""

from __future__ import annotations

import datetime as dt

from huey.contrib.djhuey import HUEY

from egov.approvals.clock import SHANGHAI
from egov.approvals.models import Case
from egov.approvals.tasks import accept_deemed_applications_periodically
from egov.core.models import AuditEntry


def test_the_task_accepts_what_waited_too_long(submitted_case, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 30, 9, tzinfo=SHANGHAI))
    long_ago = dt.datetime(2026, 11, 10, 9, tzinfo=SHANGHAI)  # 14 working days before
    Case.objects.filter(pk=submitted_case.pk).update(received_at=long_ago)
    assert accept_deemed_applications_periodically.call_local() == [submitted_case.number]
    case = Case.objects.get(pk=submitted_case.pk)
    assert case.deemed_accepted
    assert case.accepted_at is not None
    assert accept_deemed_applications_periodically.call_local() == []


def test_the_task_leaves_a_case_within_its_window(submitted_case):
    audits_before = AuditEntry.objects.count()
    assert accept_deemed_applications_periodically.call_local() == []
    case = Case.objects.get(pk=submitted_case.pk)
    assert not case.deemed_accepted
    assert case.accepted_at is None
    assert AuditEntry.objects.count() == audits_before


def test_the_consumer_runs_the_task_every_quarter_hour():
    task_class = accept_deemed_applications_periodically.task_class
    at = dt.datetime(2026, 11, 30, 9, 0)
    due = [
        minute
        for minute in range(60)
        if any(
            isinstance(task, task_class)
            for task in HUEY.read_periodic(at + dt.timedelta(minutes=minute))
        )
    ]
    assert due == [0, 15, 30, 45]
