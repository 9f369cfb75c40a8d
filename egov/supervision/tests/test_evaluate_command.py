"""``egov supervision evaluate``: the rules run again on stored cases after a setting changed."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from egov.supervision.models import Finding, RuleSetting
from egov.supervision.tests.test_evaluation_case import late_story, reference_item, store

pytestmark = pytest.mark.django_db


def test_a_rule_switched_on_again_finds_what_it_missed():
    reference_item()
    RuleSetting.objects.create(rule_code="time.promised_overdue", enabled=False)
    number = store(late_story())
    out = io.StringIO()
    call_command("supervision", "evaluate", stdout=out)
    assert "evaluated 1 cases" in out.getvalue()
    assert not Finding.objects.filter(rule_code="time.promised_overdue").exists()
    RuleSetting.objects.filter(rule_code="time.promised_overdue").update(enabled=True)
    call_command("supervision", "evaluate", "--case", number, stdout=io.StringIO())
    assert (
        Finding.objects.filter(rule_code="time.promised_overdue", case_number=number).count() == 1
    )
    call_command("supervision", "evaluate", stdout=io.StringIO())
    assert Finding.objects.filter(rule_code="time.promised_overdue").count() == 1
