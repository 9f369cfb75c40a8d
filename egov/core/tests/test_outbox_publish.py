"""publish() writes an event in the caller's transaction and kicks the worker after commit."""

import math
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from egov.core import subscribers
from egov.core.events import publish
from egov.core.models import Event, SubscriberPosition

pytestmark = pytest.mark.django_db


class AbandonedError(Exception):
    pass


def test_publish_stores_the_event_and_schedules_one_kick(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        event = publish("CaseAccepted", {"case": "HL-1", "limit_days": 20}, aggregate="HL-1")
    stored = Event.objects.get()
    assert stored.pk == event.pk
    assert (stored.event_type, stored.aggregate) == ("CaseAccepted", "HL-1")
    assert stored.payload == {"case": "HL-1", "limit_days": 20}
    assert stored.occurred_at is not None
    assert len(callbacks) == 1


def test_after_commit_the_worker_delivers_to_subscribers(
    django_capture_on_commit_callbacks,
) -> None:
    seen: list[Event] = []
    with (
        subscribers.override({"spy": seen.append}),
        django_capture_on_commit_callbacks(execute=True),
    ):
        event = publish("CaseAccepted", {"case": "HL-1"}, aggregate="HL-1")
    assert [(e.pk, e.event_type) for e in seen] == [(event.pk, "CaseAccepted")]
    assert SubscriberPosition.objects.get(subscriber="spy").last_event_id == event.pk


def test_one_kick_per_transaction_however_many_events(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for n in range(5):
            publish("DocumentSent", {"recipient": n}, aggregate=f"DOC-{n}")
    assert Event.objects.count() == 5
    assert len(callbacks) == 1


def test_a_kick_lost_with_a_rolled_back_savepoint_is_scheduled_again(
    django_capture_on_commit_callbacks,
) -> None:
    def publish_then_fail() -> None:
        with transaction.atomic():
            publish("CaseAccepted", {"case": "HL-1"}, aggregate="HL-1")
            raise AbandonedError

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        with pytest.raises(AbandonedError):
            publish_then_fail()
        publish("CaseAccepted", {"case": "HL-2"}, aggregate="HL-2")
    assert list(Event.objects.values_list("aggregate", flat=True)) == ["HL-2"]
    assert len(callbacks) == 1


def test_a_rolled_back_transaction_publishes_nothing_and_enqueues_nothing(
    django_capture_on_commit_callbacks,
) -> None:
    seen: list[Event] = []

    def service_that_fails_after_publishing() -> None:
        with transaction.atomic():
            publish("CaseAccepted", {"case": "HL-1"}, aggregate="HL-1")
            raise AbandonedError

    with (
        subscribers.override({"spy": seen.append}),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(AbandonedError),
    ):
        service_that_fails_after_publishing()
    assert Event.objects.count() == 0
    assert callbacks == []
    assert seen == []


@pytest.mark.parametrize(
    ("event_type", "payload", "aggregate", "field"),
    [
        ("caseAccepted", {}, "HL-1", "event_type"),
        ("Case_Accepted", {}, "HL-1", "event_type"),
        ("CaseAccepted2", {}, "HL-1", "event_type"),
        ("Accepted", {}, "HL-1", "event_type"),
        ("", {}, "HL-1", "event_type"),
        ("C" + "a" * 63 + "Done", {}, "HL-1", "event_type"),
        ("CaseAccepted", {"at": datetime(2025, 1, 1, tzinfo=UTC)}, "HL-1", "payload"),
        ("CaseAccepted", {"tags": {"a", "b"}}, "HL-1", "payload"),
        ("CaseAccepted", {"ratio": math.nan}, "HL-1", "payload"),
        ("CaseAccepted", {1: "numeric key"}, "HL-1", "payload"),
        ("CaseAccepted", ["not", "a", "dict"], "HL-1", "payload"),
        ("CaseAccepted", {}, "", "aggregate"),
        ("CaseAccepted", {}, "H" * 129, "aggregate"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    django_capture_on_commit_callbacks, event_type, payload, aggregate, field
) -> None:
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError) as err:
        publish(event_type, payload, aggregate=aggregate)
    assert list(err.value.message_dict) == [field]
    assert err.value.message_dict[field][0]
    assert Event.objects.count() == 0
    assert callbacks == []


def test_acronyms_and_irregular_past_tenses_are_accepted() -> None:
    publish("CAPAlertIssued", {"level": "红色"}, aggregate="ALERT-1")
    publish("DocumentSent", {"number": "黑政发〔2025〕1号"}, aggregate="DOC-1")
    assert list(Event.objects.values_list("event_type", flat=True)) == [
        "CAPAlertIssued",
        "DocumentSent",
    ]
