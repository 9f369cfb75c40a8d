"""Online applications are rate-limited per account and per address (issue 10, item 6).

Before the fix one citizen with 3 threads filed 827 applications in 12 s.
Now each account may file ``EGOV_SUBMISSION_RATE`` and each address
``EGOV_SUBMISSION_RATE_PER_ADDRESS`` applications per window, counted in the
database (so every web process shares the count); past that the service
refuses with RATE_LIMITED and the wait, the API answers 429 ``rate_limited``
with ``Retry-After``, the page says when to try again, and nothing is
written. The moments are stated with time-machine, never read from the clock.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import threading
from collections.abc import Iterator

import pytest
import time_machine
from django.db import OperationalError, connection
from django.test import Client

from egov.approvals.errors import ApprovalError, ErrorCode
from egov.approvals.models import Case
from egov.approvals.services import submit_application
from egov.approvals.tests.conftest import FORM, good_files, nothing_written, pdf
from egov.core.models import RateCounter
from egov.core.testing import make_citizen

# 10:25:30 in Shanghai: 34 min 30 s before the hour window (02:00-03:00 UTC) ends.
MOMENT = dt.datetime(2026, 12, 3, 2, 25, 30, tzinfo=dt.UTC)
WAIT = 34 * 60 + 30
BASE = "/api/v1/approvals"


@pytest.fixture(autouse=True)
def rates(settings):
    settings.EGOV_SUBMISSION_RATE = "3/h"
    settings.EGOV_SUBMISSION_RATE_PER_ADDRESS = "5/h"


@pytest.fixture
def at_moment() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(MOMENT, tick=False) as traveller:
        yield traveller


def apply(citizen, item, address: str | None = "203.0.113.7") -> Case:
    return submit_application(
        applicant=citizen, item_code=item.code, form=FORM, files=good_files(), address=address
    )


def counted() -> list[tuple[str, int]]:
    return list(RateCounter.objects.order_by("scope").values_list("scope", "count"))


def refused(citizen, item, address: str | None = "203.0.113.7") -> ApprovalError:
    before = counted()
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        apply(citizen, item, address)
    assert caught.value.code is ErrorCode.RATE_LIMITED
    assert counted() == before
    return caught.value


def test_an_account_past_its_rate_is_refused_until_the_window_ends(citizen, food_item, at_moment):
    for _ in range(3):
        apply(citizen, food_item)
    error = refused(citizen, food_item)
    assert error.retry_after == WAIT
    assert "at most 3 per hour" in error.message
    at_moment.move_to(MOMENT + dt.timedelta(seconds=WAIT))
    assert apply(citizen, food_item).status == Case.Status.SUBMITTED


def test_the_account_is_limited_from_any_address_and_without_one(citizen, food_item, at_moment):
    apply(citizen, food_item, "203.0.113.1")
    apply(citizen, food_item, "198.51.100.2")
    apply(citizen, food_item, None)
    refused(citizen, food_item, "192.0.2.3")
    refused(citizen, food_item, None)


def test_an_address_past_its_rate_is_refused_for_every_account(food_item, at_moment):
    citizens = [make_citizen(f"citizen_{n}") for n in range(3)]
    for applicant in (citizens[0], citizens[0], citizens[0], citizens[1], citizens[1]):
        apply(applicant, food_item)
    error = refused(citizens[2], food_item)
    assert "from this address" in error.message
    assert apply(citizens[2], food_item, "198.51.100.9").status == Case.Status.SUBMITTED


def test_refused_and_invalid_submissions_are_not_counted(citizen, food_item, at_moment):
    for _ in range(5):
        with pytest.raises(ApprovalError):
            submit_application(
                applicant=citizen,
                item_code=food_item.code,
                form={**FORM, "phone": "12"},
                files=good_files(),
                address="203.0.113.7",
            )
    for _ in range(3):
        apply(citizen, food_item)
    assert RateCounter.objects.get(scope__contains=":account:").count == 3


def test_off_lifts_a_limit(citizen, food_item, settings, at_moment):
    settings.EGOV_SUBMISSION_RATE = "off"
    settings.EGOV_SUBMISSION_RATE_PER_ADDRESS = "off"
    for _ in range(6):
        apply(citizen, food_item)
    assert Case.objects.count() == 6
    assert not RateCounter.objects.exists()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_api_answers_429_with_retry_after(citizen, food_item, at_moment):
    client = signed_in(citizen)
    for _ in range(3):
        apply(citizen, food_item)
    with nothing_written():
        response = client.post(
            f"{BASE}/cases",
            {"item_code": food_item.code, "form": json.dumps(FORM), "APP": pdf(), "PLAN": pdf()},
        )
    assert response.status_code == 429
    assert response["Retry-After"] == str(WAIT)
    body = response.json()
    assert body["code"] == "rate_limited"
    assert body["retry_after"] == WAIT
    assert "try again in" in body["message"]


def test_the_page_says_when_to_try_again(citizen, food_item, at_moment):
    for _ in range(3):
        apply(citizen, food_item)
    with nothing_written():
        response = signed_in(citizen).post(
            f"/approvals/items/{food_item.code}/apply/", {**FORM, "APP": pdf(), "PLAN": pdf()}
        )
    assert response.status_code == 429
    assert response["Retry-After"] == str(WAIT)
    assert "请于 35 分钟后再提交" in response.content.decode()


def test_the_openapi_document_describes_the_429(db):
    document = Client().get("/api/v1/openapi.json").json()
    answers = document["paths"][f"{BASE}/cases"]["post"]["responses"]
    assert "429" in answers
    assert "Retry-After" in answers["429"]["headers"]


trigger_migration = importlib.import_module("egov.core.migrations.0003_audit_append_only_trigger")


@pytest.fixture
def committed_db(transactional_db: None) -> Iterator[None]:
    """Real commits; afterwards the audit rows are removed as a DBA would, guard restored."""
    yield
    trigger_migration.remove_guard(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry")
    trigger_migration.install_guard(connection)


def test_a_burst_from_three_threads_files_only_the_rate(committed_db, citizen, food_item):
    """Three threads, four attempts each, at one moment: exactly 3 cases, 9 refusals."""
    barrier = threading.Barrier(3)
    outcomes: list[str] = []

    def attempt() -> str:
        for _ in range(200):
            try:
                apply(citizen, food_item)
            except ApprovalError as exc:
                return exc.code.value
            except OperationalError as exc:  # SQLite's shared in-memory test database
                if connection.vendor != "sqlite" or "locked" not in str(exc):
                    raise
                threading.Event().wait(0.01)
                continue
            return "filed"
        return "gave up"

    def burst() -> None:
        try:
            barrier.wait()
            outcomes.extend(attempt() for _ in range(4))
        finally:
            connection.close()

    with time_machine.travel(MOMENT, tick=False):
        threads = [threading.Thread(target=burst) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(outcomes) == ["filed"] * 3 + [ErrorCode.RATE_LIMITED.value] * 9
    assert Case.objects.count() == 3
