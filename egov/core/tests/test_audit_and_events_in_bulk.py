"""record_audits and publish_many: several entries or events at once, as if one by one."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from egov.core.events import publish, publish_many
from egov.core.models import AuditEntry, Event
from egov.core.selectors.audit import verify_audit_chain
from egov.core.services.audit import record_audit, record_audits

pytestmark = pytest.mark.django_db


def entry(n: int) -> dict[str, str]:
    return {
        "actor": "supervision-engine",
        "action": "supervision.FindingRaised",
        "object_type": "supervision.Finding",
        "object_id": f"f{n}",
        "summary": f"发现 {n}",
        "organisation": "230102-SCJG",
    }


def test_entries_appended_in_bulk_continue_one_unbroken_chain():
    record_audit(**entry(0))
    made = record_audits(entries=[entry(n) for n in range(1, 6)])
    record_audit(**entry(6))
    rows = list(AuditEntry.objects.order_by("sequence"))
    assert [row.object_id for row in rows] == [f"f{n}" for n in range(7)]
    assert [row.sequence for row in rows] == list(range(1, 8))
    assert [m.entry_hash for m in made] == [row.entry_hash for row in rows[1:6]]
    assert all(row.previous_hash == rows[i].entry_hash for i, row in enumerate(rows[1:]))
    assert verify_audit_chain().intact


def test_a_bad_entry_refuses_the_whole_bulk_and_writes_nothing():
    bad = entry(2) | {"action": ""}
    with pytest.raises(ValidationError):
        record_audits(entries=[entry(1), bad, entry(3)])
    assert not AuditEntry.objects.exists()


def test_events_published_in_bulk_keep_their_order_after_earlier_events():
    first = publish("CaseAccepted", {"n": 0}, aggregate="A")
    made = publish_many([("FindingRaised", {"n": n}, f"A{n % 2}") for n in range(1, 5)])
    ids = [event.pk for event in made]
    assert ids == sorted(ids)
    assert ids[0] > first.pk
    rows = list(Event.objects.order_by("id").values_list("event_type", "aggregate", "payload"))
    assert rows[1:] == [("FindingRaised", f"A{n % 2}", {"n": n}) for n in range(1, 5)]


def test_a_bad_event_refuses_the_whole_bulk_and_writes_nothing():
    with pytest.raises(ValidationError):
        publish_many([("FindingRaised", {"n": 1}, "A"), ("not past tense", {"n": 2}, "A")])
    assert not Event.objects.exists()
