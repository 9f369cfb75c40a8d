"""Organisation writes (机构): create one, or a whole chart in bulk; audited."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from egov.core.errors import ErrorCode, InvalidInputError, typed_text
from egov.core.models import Organisation, Region
from egov.core.orgchart import OrganisationSpec
from egov.core.permissions import require
from egov.core.regions_data import is_region_code
from egov.core.services.audit import record_audit

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,31}$")
NAME_MAX, SHORT_NAME_MAX = 128, 32


def check_fields(*, code: Any, name: Any, kind: Any, short_name: Any) -> tuple[str, str]:
    """Refuse a malformed code, name, short name or kind, naming the field.

    Returns the name and short name stripped.
    """
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        raise InvalidInputError(
            ErrorCode.INVALID_ORGANISATION,
            "code",
            "1-32 letters, digits or '-', starting with a letter or digit",
        )
    invalid = ErrorCode.INVALID_ORGANISATION
    texts = (
        typed_text(name, field="name", code=invalid, max_length=NAME_MAX, required=True),
        typed_text(short_name, field="short_name", code=invalid, max_length=SHORT_NAME_MAX),
    )
    if not isinstance(kind, str) or kind not in Organisation.Kind.values:
        raise InvalidInputError(
            ErrorCode.INVALID_ORGANISATION,
            "kind",
            f"must be one of {', '.join(Organisation.Kind.values)}",
        )
    return texts


def find_region(region_code: str) -> Region:
    if not is_region_code(region_code):
        raise InvalidInputError(ErrorCode.INVALID_REGION_CODE, "region_code", "must be 6 digits")
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise InvalidInputError(ErrorCode.REGION_NOT_FOUND, "region_code", "no such region")
    if not region.is_current:
        raise InvalidInputError(
            ErrorCode.REGION_NOT_FOUND, "region_code", "historical code: no longer a division"
        )
    return region


def find_parent(parent_code: str | None, *, lock: bool) -> Organisation | None:
    if parent_code is None:
        return None
    query = Organisation.objects.select_for_update() if lock else Organisation.objects
    parent = query.filter(code=parent_code).first()
    if parent is None:
        raise InvalidInputError(ErrorCode.PARENT_NOT_FOUND, "parent_code", "no such organisation")
    return parent


def create_organisation(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    region_code: str,
    parent_code: str | None = None,
    short_name: str = "",
) -> Organisation:
    """Create an organisation (新建机构) under ``parent_code``, with its path; audited.

    The actor needs ``organisation.manage`` over the parent (or, for a root, over
    the region). Bad input raises :class:`InvalidInputError` naming the field, and
    nothing is written.
    """
    name, short_name = check_fields(code=code, name=name, kind=kind, short_name=short_name)
    with transaction.atomic():
        region = find_region(region_code)
        parent = find_parent(parent_code, lock=True)
        require(actor, "organisation.manage", parent if parent is not None else region)
        if Organisation.objects.filter(code=code).exists():
            raise InvalidInputError(
                ErrorCode.DUPLICATE_ORGANISATION_CODE, "code", "an organisation has this code"
            )
        organisation = Organisation.objects.create(
            code=code,
            name=name,
            short_name=short_name,
            kind=kind,
            region=region,
            parent=parent,
            path="",
        )
        organisation.path = f"{parent.path if parent else ''}{organisation.pk}/"
        organisation.save(update_fields=["path"])
        record_audit(
            actor=actor,
            action="organisation.create",
            object_type="organisation",
            object_id=code,
            summary=f"{name} ({kind}) under {parent_code or '-'} in {region_code}",
        )
    return organisation


def depth_groups(specs: list[OrganisationSpec]) -> list[list[OrganisationSpec]]:
    """Specs grouped by depth in the tree they form with the existing codes."""
    depth: dict[str, int] = {}
    groups: list[list[OrganisationSpec]] = []
    for spec in specs:
        level = depth.get(spec.parent_code, -1) + 1 if spec.parent_code else 0
        depth[spec.code] = level
        while len(groups) <= level:
            groups.append([])
        groups[level].append(spec)
    return groups


def insert_group(group: list[OrganisationSpec], known: dict[str, Organisation]) -> None:
    """Insert one depth's organisations, then set their paths from the returned ids."""
    rows = [
        Organisation(
            code=spec.code,
            name=spec.name,
            short_name=spec.short_name,
            kind=spec.kind,
            region_id=spec.region_code,
            parent=known[spec.parent_code] if spec.parent_code else None,
            path="",
        )
        for spec in group
    ]
    Organisation.objects.bulk_create(rows, batch_size=500)
    for row in rows:
        row.path = f"{row.parent.path if row.parent else ''}{row.pk}/"
        known[row.code] = row
    Organisation.objects.bulk_update(rows, ["path"], batch_size=500)


def ensure_organisations(*, actor: Any, specs: Iterable[OrganisationSpec]) -> int:
    """Create the organisations of a chart that do not exist yet (批量建立机构); audited.

    ``specs`` lists parents before children. Codes already present are left as
    they are (idempotent); a parent must be in ``specs`` or exist already. Runs
    as a few bulk inserts, one per depth. Returns how many were created.
    """
    specs = list(specs)
    with transaction.atomic():
        require(actor, "organisation.manage")
        known = {o.code: o for o in Organisation.objects.only("id", "code", "path")}
        missing = [spec for spec in specs if spec.code not in known]
        absent = {s.parent_code for s in missing if s.parent_code} - known.keys()
        absent -= {s.code for s in missing}
        if absent:
            raise InvalidInputError(
                ErrorCode.PARENT_NOT_FOUND, "parent_code", f"no such organisation: {sorted(absent)}"
            )
        for group in depth_groups(missing):
            insert_group(group, known)
        if missing:
            record_audit(
                actor=actor,
                action="organisation.create_bulk",
                object_type="organisation",
                object_id=missing[0].code,
                summary=f"{len(missing)} organisations created from the standard chart",
            )
    return len(missing)
