"""The demo's cases (演示办件): 道里区's market regulator has work in every stage, filed once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from egov.approvals.demo import load_demo_catalogue
from egov.approvals.demo_cases import RECIPES, file_demo_cases, load_demo_cases
from egov.approvals.models import Case, TimelineEntry
from egov.approvals.selectors import QueueFilters, case_clock, workbench_queue
from egov.core import demo as core_demo
from egov.core.demo import demo_password, demo_public, demo_staff, load_demo_organisations
from egov.core.models import User
from egov.core.selectors.calendar import get_working_calendar
from egov.core.testing import kept_for_the_module, shanghai

pytestmark = pytest.mark.django_db


TUESDAY_MORNING = shanghai(2026, 11, 24, 9, 30)


@pytest.fixture(scope="module")
def demo_world_data(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo's organisations, accounts and catalogue, loaded on a Tuesday morning once for
    the module (the catalogue takes seconds), and rolled back after its last test."""
    with kept_for_the_module(django_db_blocker), time_machine.travel(TUESDAY_MORNING, tick=False):
        load_demo_organisations()
        demo_staff(demo_password())
        demo_public(demo_password())
        load_demo_catalogue()
        yield


@pytest.fixture
def demo_world(demo_world_data: None, time_machine: Any) -> None:
    """The demo's organisations, accounts and catalogue, on that Tuesday morning."""
    time_machine.move_to(TUESDAY_MORNING)


def test_the_loader_is_registered_after_the_catalogue() -> None:
    names = list(core_demo._app_loaders)
    assert names.index("approvals.catalogue") < names.index("approvals.cases")
    assert core_demo._app_loaders["approvals.cases"] is load_demo_cases


def test_the_cases_wait_until_the_demo_data_is_committed(
    demo_world: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        load_demo_cases()
    assert callbacks == [file_demo_cases]
    assert not Case.objects.exists()


def test_every_stage_is_there_and_a_second_load_adds_nothing(demo_world: None) -> None:
    filed = file_demo_cases()
    assert filed == len(RECIPES) == 10
    statuses = sorted(Case.objects.values_list("status", flat=True))
    assert statuses == sorted(
        [Case.Status.SUBMITTED] * 2
        + [Case.Status.SUPPLEMENT_REQUESTED] * 2
        + [Case.Status.ACCEPTED] * 3
        + [Case.Status.SPECIAL_PROCEDURE, Case.Status.CONCLUDED, Case.Status.DELIVERED]
    )
    assert set(Case.objects.values_list("item__department__code", flat=True)) == {"230102-SCJG"}
    assert Case.objects.filter(applicant__username="citizen_demo").exists()
    concluded = Case.objects.get(status=Case.Status.CONCLUDED)
    assert concluded.licence_number
    revoked = Case.objects.get(status=Case.Status.DELIVERED)
    assert revoked.licence_ending.kind == "revoked"
    page = Client().get(f"/approvals/verify/{revoked.verification_code}/").content.decode()
    assert "verify-revoked" in page
    assert file_demo_cases() == 0
    assert Case.objects.count() == 10


def test_the_cases_were_filed_in_the_past_through_the_services(demo_world: None) -> None:
    file_demo_cases()
    today = shanghai(2026, 11, 24, 9, 30).date()
    received = [
        timezone.localtime(at).date() for at in Case.objects.values_list("received_at", flat=True)
    ]
    assert all(day < today for day in received)  # built in the past, on working days
    assert all(get_working_calendar().is_working_day(day) for day in received)
    steps = TimelineEntry.objects.values_list("event_type", flat=True)
    assert {"CaseAccepted", "SupplementRequested", "SpecialProcedureStarted"} <= set(steps)


def test_every_demo_clerks_queue_shows_every_light_and_a_suspended_case(demo_world: None) -> None:
    file_demo_cases()
    for clerk in ("clerk_daoli", "clerk_harbin", "clerk_province"):
        rows = list(workbench_queue(User.objects.get(username=clerk), QueueFilters()))
        assert len(rows) == 8, clerk  # every open demo case
        assert {row.clock.light for row in rows} == {"green", "yellow", "red"}, clerk
        assert any(row.clock.suspended for row in rows), clerk
    for row in rows:  # the stored lights are the clock's own on the day of loading
        case = Case.objects.get(number=row.case.number)
        assert row.clock.light == case_clock(case).light.value
