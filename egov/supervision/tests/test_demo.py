"""The demo month: findings of every rule for a provincial supervisor; idempotent; registered."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from egov.core import demo as core_demo
from egov.core.models import Event, RoleAssignment, User
from egov.supervision.demo.month import DEMO_SYSTEM, load_demo_supervision
from egov.supervision.judging.rules import REGISTRY
from egov.supervision.models import CaseEvent, Finding, ReferenceItem
from egov.supervision.tests.factories import item_published
from egov.supervision.tests.test_quality_small import reference_items

pytestmark = pytest.mark.django_db


def test_the_loader_runs_after_the_approvals_catalogue() -> None:
    names = list(core_demo._app_loaders)
    assert names.index("supervision.month") > names.index("approvals.catalogue")


def test_the_demo_month_has_findings_of_every_rule_and_loads_once(regions: Any) -> None:
    reference_items()
    loaded = load_demo_supervision(cases=60)
    assert loaded["cases"] > 60
    rules = set(Finding.objects.values_list("rule_code", flat=True))
    assert rules >= set(REGISTRY) - {"review.sampled"}
    events = CaseEvent.objects.count()
    findings = Finding.objects.count()
    assert load_demo_supervision(cases=60) == {}
    assert (CaseEvent.objects.count(), Finding.objects.count()) == (events, findings)
    leader = User.objects.get(username="leader_230102-SCJG")
    assert RoleAssignment.objects.filter(user=leader, role="leader").exists()
    assert not leader.has_usable_password()


def test_catalogue_events_waiting_in_the_outbox_are_taken_in_first(regions: Any) -> None:
    from egov.core.testing import make_organisation

    make_organisation("230102-SCJG")
    payload = item_published(
        "SCJG-001-230102",
        fees=(("工本费", 2000, "财政部核定"),),
        materials=(("M01", "申请书", True),),
    )
    Event.objects.create(
        event_type="ItemPublished",
        aggregate=payload["item_code"],
        payload=payload,
        occurred_at=payload["occurred_at"],
    )
    load_demo_supervision(cases=10)
    assert ReferenceItem.objects.filter(code="SCJG-001-230102").exists()
    assert CaseEvent.objects.filter(source_system=DEMO_SYSTEM).exists()


def test_a_provincial_supervisor_sees_the_demo_findings(regions: Any, supervisor_province) -> None:
    reference_items()
    load_demo_supervision(cases=30)
    client = Client()
    client.force_login(supervisor_province)
    page = client.get("/supervision/findings/?rule=irregular.night_closures")
    assert page.status_code == 200
    assert "irregular.night_closures" in page.content.decode()


def test_no_month_when_the_setting_says_zero(settings: Any) -> None:
    settings.EGOV_DEMO_SUPERVISION_CASES = 0
    assert load_demo_supervision() == {}
    assert not CaseEvent.objects.exists()
