"""load_regions is idempotent, repairs drifted rows, and audits only real changes."""

from __future__ import annotations

import pytest

from egov.core.models import AuditEntry, Region
from egov.core.services.regions import load_regions

pytestmark = pytest.mark.django_db


def test_a_second_load_changes_nothing_and_writes_no_audit_entry():
    before = (Region.objects.count(), AuditEntry.objects.count())
    result = load_regions(actor="operator")
    assert (result.created, result.updated) == (0, 0)
    assert (Region.objects.count(), AuditEntry.objects.count()) == before


def test_a_drifted_name_is_repaired_and_audited():
    Region.objects.filter(code="230102").update(name="wrong", is_current=False)
    result = load_regions(actor="operator")
    assert (result.created, result.updated) == (0, 1)
    daoli = Region.objects.get(code="230102")
    assert (daoli.name, daoli.is_current) == ("道里区", True)
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert (entry.actor, entry.action) == ("operator", "region.load")


def test_an_empty_table_is_filled():
    for level in (Region.Level.COUNTY, Region.Level.PREFECTURE, Region.Level.PROVINCE):
        Region.objects.filter(level=level).delete()
    assert not Region.objects.exists()
    result = load_regions()
    assert result.created == Region.objects.count() > 135
    assert Region.objects.get(code="230102").path == "230000/230100/230102/"
