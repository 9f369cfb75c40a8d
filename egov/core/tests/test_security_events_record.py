"""record_security_event (记录安全事件): one row and one SecurityEventRecorded event, or nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import RequestFactory

from egov.core.models import Event, SecurityEvent, User
from egov.core.services.security import record_security_event

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int]:
    return SecurityEvent.objects.count(), Event.objects.count()


def test_an_event_is_stored_and_published(clerk_harbin_daoli: User) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Browser/1.0")

    event = record_security_event(
        kind="login_failed", request=request, user=clerk_harbin_daoli, detail={"entrance": "/x/"}
    )

    assert (event.username, event.ip_address, event.user_agent) == (
        "clerk_harbin_daoli",
        "10.1.2.3",
        "Browser/1.0",
    )
    assert event.organisation.code == "230102-GOV"
    published = Event.objects.get(event_type="SecurityEventRecorded", payload__id=event.pk)
    assert published.payload["kind"] == "login_failed"
    assert published.payload["organisation"] == "230102-GOV"
    assert published.payload["detail"] == {"entrance": "/x/"}


def test_an_unknown_username_is_kept_without_a_user(db: None) -> None:
    event = record_security_event(kind="login_failed", username="nobody_at_all")

    assert (event.username, event.user, event.organisation, event.ip_address) == (
        "nobody_at_all",
        None,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("kind", "detail", "field"),
    [
        ("made_up", {}, "kind"),
        ("login_failed", {"password": "x"}, "detail"),
        ("login_failed", {"nested": {"private_key": "x"}}, "detail"),
        ("login_failed", {"when": object()}, "detail"),
        ("login_failed", {"x": float("nan")}, "detail"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(
    db: None, kind: str, detail: dict, field: str
) -> None:
    before = counts()

    with pytest.raises(ValidationError) as error:
        record_security_event(kind=kind, username="u", detail=detail)

    assert field in error.value.message_dict
    assert counts() == before


def test_it_rolls_back_with_the_callers_transaction(db: None) -> None:
    before = counts()

    def fail_after_recording() -> None:
        with transaction.atomic():
            record_security_event(kind="login_failed", username="u")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail_after_recording()

    assert counts() == before


def test_a_malformed_address_is_left_blank(db: None) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="not-an-address")

    assert record_security_event(kind="login_failed", request=request).ip_address is None
