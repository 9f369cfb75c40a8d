"""Region writes (行政区划): load the province's GB/T 2260 divisions, idempotently."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from egov.core.regions_data import HEILONGJIANG, DivisionRecord, path_of, province_divisions
from egov.core.services.audit import record_audit

SYNCED_FIELDS = ("name", "level", "parent_id", "path", "is_current")


@dataclass(frozen=True)
class RegionSync:
    """What a load changed: codes created and codes updated."""

    created: int
    updated: int


def wanted_rows(records: list[DivisionRecord]) -> dict[str, dict[str, Any]]:
    """Field values per code, with each code's materialised path."""
    parents = {record.code: record.parent for record in records}
    return {
        record.code: {
            "name": record.name,
            "level": record.level,
            "parent_id": record.parent,
            "path": path_of(record.code, parents),
            "is_current": record.is_current,
        }
        for record in records
    }


def sync_regions(region_model: Any, records: list[DivisionRecord]) -> RegionSync:
    """Make the region table hold exactly these records' values (no deletes).

    ``region_model`` is the Region model, or the historical one inside a data
    migration. Creates missing codes (parents first, in one bulk insert) and
    updates codes whose values differ; a second run changes nothing.
    """
    wanted = wanted_rows(records)
    existing = {row["code"]: row for row in region_model.objects.values("code", *SYNCED_FIELDS)}
    new = [
        region_model(code=code, **values) for code, values in wanted.items() if code not in existing
    ]
    changed = [
        region_model(code=code, **values)
        for code, values in wanted.items()
        if code in existing and any(existing[code][key] != values[key] for key in SYNCED_FIELDS)
    ]
    region_model.objects.bulk_create(new, batch_size=500)
    if changed:
        region_model.objects.bulk_update(changed, list(SYNCED_FIELDS), batch_size=500)
    return RegionSync(created=len(new), updated=len(changed))


def load_regions(*, actor: Any = "system", province: str = HEILONGJIANG) -> RegionSync:
    """Load the province's divisions from the installed datasets (载入行政区划), audited.

    Idempotent: codes already present with the same values are left alone. The
    audit entry is written only when something changed.
    """
    from egov.core.models import Region

    records = province_divisions(province)
    with transaction.atomic():
        result = sync_regions(Region, records)
        if result.created or result.updated:
            record_audit(
                actor=actor,
                action="region.load",
                object_type="region",
                object_id=province,
                summary=f"GB/T 2260 divisions: {result.created} created, {result.updated} updated",
            )
    return result
