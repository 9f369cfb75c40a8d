"""``egov outbox deliver`` and ``egov outbox status`` for operators."""

from io import StringIO

import pytest
from django.core.management import call_command

from egov.core import subscribers
from egov.core.events import publish
from egov.core.models import Event

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("outbox", *args, stdout=out)
    return out.getvalue()


def test_status_then_deliver_then_status() -> None:
    for n in range(3):
        publish("CaseAccepted", {"n": n}, aggregate=f"HL-{n}")

    def fails_on_case_one(event: Event) -> None:
        if event.aggregate == "HL-1":
            raise RuntimeError("down")

    with subscribers.override({"warehouse": fails_on_case_one}):
        assert "warehouse 0 3 0 0 0" in run("status")
        delivered = run("deliver")
        assert "warehouse: delivered 2, failed 1, dead-lettered 0" in delivered
        assert "total: delivered 2, failed 1, dead-lettered 0" in delivered
        last = Event.objects.latest("id").pk
        assert f"warehouse {last} 0 1 0 0" in run("status")
    # Unregistered now, but its position is still there for the operator to see.
    assert f"warehouse (not registered) {last}" in run("status")
