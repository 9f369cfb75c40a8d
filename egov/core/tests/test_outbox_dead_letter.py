"""After the maximum attempts an event becomes a dead letter: visible, retryable.

Later events of the same aggregate move on once it is dead-lettered.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from egov.core import subscribers
from egov.core.events import publish
from egov.core.models import AuditEntry, DeadLetter, Delivery, Event
from egov.core.outbox import deliver_pending
from egov.core.selectors.outbox import dead_letters, outbox_status
from egov.core.services.outbox import retry_dead_letter

pytestmark = pytest.mark.django_db


class BrokenUntilFixed:
    def __init__(self) -> None:
        self.fixed = False
        self.handled: list[str] = []

    def __call__(self, event: Event) -> None:
        label = event.payload["label"]
        if label == "A1" and not self.fixed:
            raise ValueError("payload field 'case' missing")
        self.handled.append(label)


def run_until_dead(attempts: int) -> None:
    # Clock read on purpose: an offset from the code's own now, true on any date.
    moment = timezone.now()
    for _ in range(attempts):
        deliver_pending(now=moment)
        moment += timedelta(hours=2)


@pytest.fixture
def dead_letter(settings) -> tuple[BrokenUntilFixed, DeadLetter]:
    settings.OUTBOX_MAX_ATTEMPTS = 3
    handler = BrokenUntilFixed()
    for label in ["A1", "A2", "B1"]:
        publish("CaseUpdated", {"label": label}, aggregate=f"HL-{label[0]}")
    with subscribers.override({"supervision": handler}):
        run_until_dead(attempts=3)
    return handler, DeadLetter.objects.get()


def test_the_event_is_dead_lettered_after_max_attempts(dead_letter) -> None:
    handler, letter = dead_letter
    assert (letter.subscriber, letter.event.payload["label"]) == ("supervision", "A1")
    assert letter.attempts == 3
    assert "payload field 'case' missing" in letter.last_error
    assert letter.resolved_at is None
    assert Delivery.objects.count() == 0
    # The case's later event went on once A1 was given up; B1 never waited.
    assert handler.handled == ["B1", "A2"]


def test_dead_letters_are_visible_to_operators(dead_letter) -> None:
    _, letter = dead_letter
    assert list(dead_letters()) == [letter]
    assert list(dead_letters(subscriber="warehouse")) == []
    with subscribers.override({"supervision": lambda e: None}):
        status = {row.name: row for row in outbox_status()}
    assert (status["supervision"].dead_letters, status["supervision"].pending) == (1, 0)


def test_a_retried_dead_letter_is_delivered_and_audited(dead_letter) -> None:
    handler, letter = dead_letter
    handler.fixed = True
    retry_dead_letter(actor="admin_ops", dead_letter=letter)
    letter.refresh_from_db()
    assert letter.resolved_at is not None
    assert list(dead_letters()) == []
    entry = AuditEntry.objects.get(action="outbox.dead_letter_retried")
    assert (entry.actor, entry.object_id) == ("admin_ops", str(letter.pk))
    with subscribers.override({"supervision": handler}):
        report = deliver_pending()
    assert report.delivered == 1
    assert handler.handled == ["B1", "A2", "A1"]
    assert Delivery.objects.count() == 0


def test_retrying_a_resolved_dead_letter_is_refused_and_writes_nothing(dead_letter) -> None:
    _, letter = dead_letter
    retry_dead_letter(actor="admin_ops", dead_letter=letter)
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        retry_dead_letter(actor="admin_ops", dead_letter=letter)
    assert "dead_letter" in refused.value.message_dict
    assert Delivery.objects.count() == 1
    assert AuditEntry.objects.count() == audit_before


def test_the_admin_lists_dead_letters_and_its_retry_action_requeues(
    dead_letter, admin_client
) -> None:
    _, letter = dead_letter
    listing = admin_client.get("/admin/core/deadletter/")
    assert listing.status_code == 200
    assert "supervision" in listing.content.decode()
    response = admin_client.post(
        "/admin/core/deadletter/",
        {"action": "retry", "_selected_action": [letter.pk]},
        follow=True,
    )
    assert response.status_code == 200
    letter.refresh_from_db()
    assert letter.resolved_at is not None
    assert Delivery.objects.filter(event=letter.event, subscriber="supervision").exists()
