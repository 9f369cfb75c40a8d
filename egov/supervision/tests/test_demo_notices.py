"""The demo notices: the scan over the demo cases, and notices waiting, answered and closed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from egov.core.testing import make_staff
from egov.supervision.demo.notices import load_demo_notices
from egov.supervision.models import Finding, Light, SupervisedCase, SupervisionNotice
from egov.supervision.tests.lit_cases import make_finding, open_case

pytestmark = pytest.mark.django_db


def test_notices_at_each_stage_once(supervisor_harbin, regions) -> None:
    make_staff("leader_daoli", "230102-GOV", roles=["leader"])
    for _ in range(3):
        make_finding()
    late = open_case(accepted_on=dt.date(2026, 9, 1), limit_days=5)
    with transaction.atomic():
        assert load_demo_notices() == 3
    statuses = sorted(SupervisionNotice.objects.values_list("status", flat=True))
    assert statuses == ["accepted", "responded", "sent"]
    assert Finding.objects.filter(status=Finding.Status.CLOSED).count() == 1
    assert SupervisedCase.objects.get(pk=late.pk).light == Light.RED
    with transaction.atomic():
        assert load_demo_notices() == 0
    assert SupervisionNotice.objects.count() == 3
