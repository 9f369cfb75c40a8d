"""The benchmark's case-history generator (also the supervision engine's test data).

Every event it makes must be a valid case event, in order, with a clock that
agrees with the one the services use; the same seed gives the same histories.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema

from bench import approvals as approvals_bench
from egov.core.calendar import WorkingCalendar, official_exception_days

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[3] / "docs" / "case-events.schema.json").read_text("utf-8")
)
CALENDAR = WorkingCalendar(
    (day.date, day.is_working) for day in official_exception_days([2025, 2026])
)
NOW = dt.datetime(2026, 11, 27, 12, tzinfo=approvals_bench.SHANGHAI)
ITEMS = [
    approvals_bench.ItemFacts(
        "SCJG-001-230102",
        "230102-SCJG",
        "230102",
        20,
        10,
        (("M01", "申请书"), ("M02", "平面图")),
        (("工本费", 1000),),
    ),
    approvals_bench.ItemFacts(
        "GA-009-230102", "230102-GA", "230102", 60, 30, (("M01", "户口簿"),), ()
    ),
]


def test_generated_events_are_valid_ordered_and_reproducible():
    validator = jsonschema.Draft202012Validator(SCHEMA)
    histories = list(approvals_bench.iter_case_events(400, ITEMS, CALENDAR, NOW, seed=11))
    again = list(approvals_bench.iter_case_events(400, ITEMS, CALENDAR, NOW, seed=11))
    assert [h.events for h in histories] == [h.events for h in again]
    types = set()
    for history in histories:
        times = [event["occurred_at"] for event in history.events]
        assert times == sorted(times)
        assert history.events[0]["type"] == "ApplicationSubmitted"
        assert history.events[-1]["status"] == history.status
        for event in history.events:
            errors = [e.message for e in validator.iter_errors(event)]
            assert errors == [], (event["type"], errors)
            types.add(event["type"])
    assert {
        "SupplementRequested",
        "SupplementReceived",
        "CaseDecided",
        "CaseDelivered",
        "CaseRefused",
        "FeePaid",
    } <= types
    statuses = {history.status for history in histories}
    assert "delivered" in statuses
    assert statuses & {"submitted", "accepted", "supplement_requested"}  # some still open
