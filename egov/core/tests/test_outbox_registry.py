"""The explicit subscriber registry: register, decorate, refuse bad entries, override in tests."""

import pytest

from egov.core import subscribers
from egov.core.models import Event
from egov.core.subscribers import SubscriberRegistrationError


def handler(event: Event) -> None:
    pass


def other_handler(event: Event) -> None:
    pass


def test_register_and_decorator_add_named_subscribers() -> None:
    with subscribers.override({}):
        subscribers.register("warehouse", handler)

        @subscribers.subscriber("supervision", event_types={"CaseAccepted"})
        def watch(event: Event) -> None:
            pass

        names = [entry.name for entry in subscribers.registered()]
        supervision = subscribers.get("supervision")
    assert names == ["supervision", "warehouse"]
    assert supervision is not None
    assert supervision.handler is watch
    assert supervision.wants("CaseAccepted")
    assert not supervision.wants("ArticlePublished")


def test_registering_the_same_subscriber_twice_is_harmless() -> None:
    with subscribers.override({}):
        subscribers.register("warehouse", handler, {"CaseAccepted"})
        subscribers.register("warehouse", handler, {"CaseAccepted"})
        assert len(subscribers.registered()) == 1


@pytest.mark.parametrize(
    ("name", "function", "event_types", "reason"),
    [
        ("Warehouse", handler, None, "lower-case"),
        ("", handler, None, "lower-case"),
        ("w" * 65, handler, None, "64"),
        ("warehouse", "not callable", None, "callable"),
        ("warehouse", handler, "CaseAccepted", "set of names"),
    ],
)
def test_bad_registrations_are_refused(name, function, event_types, reason) -> None:
    with subscribers.override({}):
        with pytest.raises(SubscriberRegistrationError, match=reason):
            subscribers.register(name, function, event_types)
        assert subscribers.registered() == []


def test_a_name_cannot_be_taken_by_another_handler() -> None:
    with subscribers.override({"warehouse": handler}):
        with pytest.raises(SubscriberRegistrationError, match="already registered"):
            subscribers.register("warehouse", other_handler)
        assert subscribers.get("warehouse").handler is handler


def test_override_restores_the_registry_afterwards() -> None:
    before = subscribers.registered()
    with subscribers.override({"temporary": handler}):
        assert [entry.name for entry in subscribers.registered()] == ["temporary"]
    assert subscribers.registered() == before
