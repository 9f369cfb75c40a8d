"""Two batches of the same case at the same moment: the projection ends with all the events.

On PostgreSQL each batch takes the case's advisory lock before reading what is
stored, so the second waits and rebuilds from both batches' events. On SQLite
the IMMEDIATE transactions serialise the two (the in-memory test database
answers "locked" at once, so the loser retries, as a file's busy timeout would).
"""

from __future__ import annotations

import threading

import pytest
from django.db import OperationalError, connection

from egov.core.testing import make_organisation
from egov.supervision.collection.ingest import ingest_events
from egov.supervision.models import CaseEvent, SupervisedCase
from egov.supervision.tests.factories import CaseStory, at


@pytest.fixture
def committed_db(emptied_audit_chain_afterwards: None) -> None:
    """Real commits (each thread its own connection); the audit rows removed afterwards."""
    make_organisation("230102-SCJG")


def run_batch(events: list[dict], barrier: threading.Barrier, outcomes: list[str]) -> None:
    try:
        barrier.wait()
        for _ in range(300):
            try:
                report = ingest_events(events=events, source="api", actor="t")
            except OperationalError as exc:
                if connection.vendor != "sqlite" or "locked" not in str(exc):
                    raise
                threading.Event().wait(0.01)
                continue
            outcomes.append(f"{report.accepted}/{report.duplicate}")
            return
        outcomes.append("gave up")
    finally:
        connection.close()


@pytest.mark.parametrize("split", [1, 3])
def test_two_concurrent_batches_of_one_case(committed_db, split):
    story = CaseStory(received=at(2026, 3, 2)).accept(at(2026, 3, 3))
    story.decide(at(2026, 3, 9)).conclude(at(2026, 3, 9, 15))
    halves = [story.events[:split], story.events[split:]]
    barrier, outcomes = threading.Barrier(2), []
    threads = [threading.Thread(target=run_batch, args=(h, barrier, outcomes)) for h in halves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == sorted(f"{len(h)}/0" for h in halves)
    assert CaseEvent.objects.filter(case_number=story.number).count() == 4
    case = SupervisedCase.objects.get(case_number=story.number)
    assert case.event_count == 4
    assert case.status == "concluded"
    assert case.complete


def test_the_same_batch_twice_at_once_is_stored_once(committed_db):
    story = CaseStory(received=at(2026, 3, 2)).accept(at(2026, 3, 3))
    barrier, outcomes = threading.Barrier(2), []
    threads = [
        threading.Thread(target=run_batch, args=(story.events, barrier, outcomes)) for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["0/2", "2/0"]
    assert CaseEvent.objects.count() == 2
