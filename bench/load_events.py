"""``bench/load.py --check-events``: no case event lost or applied twice on its way to supervision.

Approvals publishes each step of a case to core's outbox (an event with a
``case_number`` in its payload); the task workers deliver it to supervision,
which keeps every case event it received (one row per event id) and a
projection row per case with the number of events it was built from. After a
run, once delivery has caught up, both sides must hold the same events:

* every outbox case event id is among supervision's case events, and no other;
* supervision's case events count each event once (rows = distinct ids);
* each case has as many internal events as the outbox published for it, and its
  projection was built from exactly the events supervision holds (event_count).

Models are reached by app label and name, so the check survives supervision's
modules moving into subpackages.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass

COLLECT_SUBSCRIBER = "supervision.collect"
POLL_SECONDS = 2
ENVELOPE = ["schema_version", "event_id", "case_number"]


@dataclass(frozen=True)
class Sides:
    """What each side holds."""

    outbox_events: int
    outbox_cases: int
    supervision_rows: int
    supervision_ids: int
    supervision_cases: int
    missing: int  # outbox case events supervision does not have
    unexpected: int  # supervision's internal events the outbox never published
    # cases whose internal events are not the outbox's, or whose projection was built
    # from another number of events than supervision holds for it
    miscounted_cases: int
    dead_letters: int

    @property
    def equal(self) -> bool:
        return (
            self.missing == 0
            and self.unexpected == 0
            and self.supervision_rows == self.supervision_ids
            and self.miscounted_cases == 0
            and self.dead_letters == 0
        )


def read_sides() -> Sides:
    from django.apps import apps

    event = apps.get_model("core", "Event")
    dead_letter = apps.get_model("core", "DeadLetter")
    case_event = apps.get_model("supervision", "CaseEvent")
    supervised = apps.get_model("supervision", "SupervisedCase")

    # Case events carry the envelope of docs/case-events.schema.json (other events that
    # name a case, such as supervision's own FindingRaised, do not); the aggregate is the
    # case number.
    published = list(
        event.objects.filter(payload__has_keys=ENVELOPE).values_list(
            "payload__event_id", "aggregate"
        )
    )
    outbox_ids = {str(event_id) for event_id, _number in published}
    per_case = Counter(number for _event_id, number in published)
    # Supervision's own demo data holds events of other cases, and of these cases from other
    # sources (an import): its internal events of these cases must be the outbox's.
    stored = list(
        case_event.objects.filter(case_number__in=list(per_case)).values_list(
            "event_id", "case_number", "source"
        )
    )
    received = [(str(i), n) for i, n, source in stored if source == "internal"]
    received_ids = {event_id for event_id, _number in received}
    internal_per_case = Counter(number for _event_id, number in received)
    all_per_case = Counter(number for _i, number, _source in stored)
    counted = dict(
        supervised.objects.filter(case_number__in=list(per_case)).values_list(
            "case_number", "event_count"
        )
    )
    miscounted = [
        number
        for number, count in per_case.items()
        if internal_per_case[number] != count or counted.get(number) != all_per_case[number]
    ]
    return Sides(
        outbox_events=len(published),
        outbox_cases=len(per_case),
        supervision_rows=len(received),
        supervision_ids=len(received_ids),
        supervision_cases=len(counted),
        missing=len(outbox_ids - received_ids),
        unexpected=len(received_ids - outbox_ids),
        miscounted_cases=len(miscounted),
        dead_letters=dead_letter.objects.filter(subscriber=COLLECT_SUBSCRIBER).count(),
    )


def print_sides(sides: Sides) -> None:
    print(
        f"approvals' outbox: {sides.outbox_events:,} case events of {sides.outbox_cases:,} cases\n"
        f"supervision's copy: {sides.supervision_rows:,} case events "
        f"({sides.supervision_ids:,} distinct ids) of {sides.supervision_cases:,} cases\n"
        f"missing in supervision: {sides.missing}; not from the outbox: {sides.unexpected}; "
        f"cases whose event counts differ: {sides.miscounted_cases}; "
        f"dead letters: {sides.dead_letters}"
    )


def check_events(timeout_seconds: float) -> int:
    """Wait (up to ``timeout_seconds``) for delivery to catch up; 0 if both sides agree."""
    deadline = time.monotonic() + timeout_seconds
    started = time.monotonic()
    sides = read_sides()
    while not sides.equal and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        sides = read_sides()
    print(f"event check after {time.monotonic() - started:.0f} s of waiting for delivery:")
    print_sides(sides)
    if not sides.equal:
        print("EVENT CHECK FAILED: approvals and supervision disagree")
        return 1
    print("event check passed: every case event delivered once, none lost, none doubled")
    return 0
