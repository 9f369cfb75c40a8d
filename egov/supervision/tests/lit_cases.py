"""Open supervised cases with given dates, for the scan, alert, finding and card tests.

``open_case`` writes a :class:`SupervisedCase` row directly, as the projection
would leave it: the dates the scan reads (``yellow_on``, ``deadline``) come
from the core working-day calendar, never from adding days by hand.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from egov.core.selectors.calendar import add_working_days
from egov.core.testing import make_organisation
from egov.supervision.models import Finding, Light, SupervisedCase
from egov.supervision.statistics.rollups import refresh_rollups_for

_sequence = itertools.count(1)


def case_number(region_code: str = "230102", day: str = "20260925") -> str:
    """A 21-character case number (region, date, sequence, check character)."""
    return f"{region_code}{day}{next(_sequence):06d}X"


def region_path_of(region_code: str) -> str:
    from egov.core.models import Region

    return Region.objects.get(code=region_code).path


def open_case(
    *,
    accepted_on: dt.date = dt.date(2026, 9, 25),
    limit_days: int = 5,
    yellow_before: int = 2,
    department_code: str = "230102-SCJG",
    handler: str = "",
    light: str = Light.GREEN,
    number: str | None = None,
    **fields: Any,
) -> SupervisedCase:
    """An open case accepted on ``accepted_on`` with a promised limit of ``limit_days``.

    ``deadline`` is ``limit_days`` working days after acceptance; the light
    turns yellow ``yellow_before`` working days before that.
    """
    organisation = make_organisation(department_code)
    region_code = organisation.region_id
    deadline = add_working_days(accepted_on, limit_days)
    values: dict[str, Any] = {
        "case_number": number or case_number(region_code),
        "item_code": f"ITEM-{department_code}",
        "department_code": department_code,
        "region_code": region_code,
        "region_path": organisation.region.path,
        "organisation": organisation,
        "source": "internal",
        "status": "accepted",
        "is_open": True,
        "complete": True,
        "promised_limit_days": limit_days,
        "statutory_limit_days": limit_days * 2,
        "deadline": deadline,
        "statutory_deadline": add_working_days(accepted_on, limit_days * 2),
        "yellow_on": add_working_days(accepted_on, max(limit_days - yellow_before, 0)),
        "handler": handler,
        "light": light,
    }
    values.update(fields)
    case = SupervisedCase.objects.create(**values)
    refresh_rollups_for([case.case_number])  # as ingest does at the end of a batch
    return case


def snapshot() -> list[tuple]:
    """Every case's judgement, finding and alert, to compare before and after."""
    from egov.supervision.models import Alert

    cases = list(
        SupervisedCase.objects.order_by("case_number").values_list(
            "case_number", "light", "light_judged_on", "deadline"
        )
    )
    findings = list(Finding.objects.order_by("fingerprint").values_list("fingerprint", "status"))
    alerts = list(Alert.objects.order_by("fingerprint").values_list("fingerprint", "read_at"))
    return [tuple(cases), tuple(findings), tuple(alerts)]


_finding_serial = itertools.count(1)


def make_finding(
    *,
    department_code: str = "230102-SCJG",
    severity: str = "red",
    rule_code: str = "time.promised_overdue",
    category: str = "time",
    found_at: dt.datetime | None = None,
    **fields: Any,
) -> Finding:
    """A finding about a case of ``department_code``'s region, open unless told otherwise."""
    from django.utils import timezone

    organisation = make_organisation(department_code)
    serial = next(_finding_serial)
    values: dict[str, Any] = {
        "fingerprint": f"test-finding-{serial:06d}",
        "rule_code": rule_code,
        "category": category,
        "severity": severity,
        "case_number": case_number(organisation.region_id),
        "department_code": department_code,
        "region_path": organisation.region.path,
        "organisation": organisation,
        "summary": f"测试发现 {serial}",
        "evidence": {"deadline": "2026-10-09"},
        # Clock read on purpose: an offset from the code's own now, true on any date.
        "found_at": found_at or timezone.now(),
    }
    values.update(fields)
    return Finding.objects.create(**values)


def store(story: Any) -> None:
    """A factories.CaseStory's events as the engine keeps them, and its case row."""
    from egov.supervision.models import CaseEvent
    from egov.supervision.tests.factories import supervised_case

    for event in story.events:
        CaseEvent.objects.create(
            event_id=event["event_id"],
            case_number=event["case_number"],
            type=event["type"],
            occurred_at=dt.datetime.fromisoformat(event["occurred_at"].replace("Z", "+00:00")),
            source="internal",
            department_code=event["department_code"],
            region_code=event["region_code"],
            payload=event,
        )
    supervised_case(case_number=story.number)


def online_case_of(username: str) -> Any:
    """A case submitted online from this account (the actor of its submission)."""
    from egov.supervision.tests.factories import CaseStory, at

    story = CaseStory(received=at(2026, 10, 12))
    story.events[0]["actor"]["id"] = username
    story.accept(at(2026, 10, 13))
    store(story)
    return story
