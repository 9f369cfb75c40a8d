"""Catalogue writes (事项清单维护): create or update an item, checked and audited."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from egov.approvals.catalogue import check_item
from egov.approvals.errors import ApprovalError, ErrorCode
from egov.approvals.events import ITEM_PUBLISHED, item_published
from egov.approvals.forms_spec import SpecError
from egov.approvals.models import ServiceItem
from egov.core.events import publish
from egov.core.models import Organisation
from egov.core.services.audit import record_audit

ITEM_FIELDS = (
    "base_code",
    "name",
    "kind",
    "legal_basis",
    "conditions",
    "statutory_limit_days",
    "promised_limit_days",
    "fees",
    "materials",
    "form_fields",
    "process",
    "place",
    "hours",
    "contact",
    "online",
)


def save_service_item(
    *, actor: Any, department: Organisation, spec: Mapping[str, Any]
) -> ServiceItem:
    """Create or update the item with ``spec['code']`` (事项发布); nests in a caller's transaction.

    The spec is checked by :func:`egov.approvals.catalogue.check_item`; a bad
    spec raises INVALID_INPUT naming every field and writes nothing.
    """
    try:
        check_item(spec)
    except SpecError as exc:
        raise ApprovalError(
            ErrorCode.INVALID_INPUT, "the catalogue item is invalid", exc.errors
        ) from None
    values = {name: spec[name] for name in ITEM_FIELDS if name in spec}
    values.setdefault("base_code", spec["code"])
    with transaction.atomic():
        item, created = ServiceItem.objects.update_or_create(
            code=spec["code"], defaults={**values, "department": department}
        )
        record_audit(
            actor=actor,
            action="approvals.ServiceItemCreated" if created else "approvals.ServiceItemUpdated",
            object_type="approvals.ServiceItem",
            object_id=item.code,
            summary=f"{item.name} @ {department.code}",
            organisation=department.code,
        )
        publish_item(item, department, actor)
    return item


def publish_item(item: ServiceItem, department: Organisation, actor: Any) -> None:
    """Publish ItemPublished for the supervision engine's reference copy (ADR 0021)."""
    name = actor if isinstance(actor, str) else actor.get_username()
    payload = item_published(
        item=item,
        department_code=department.code,
        region_code=department.region_id,
        occurred_at=timezone.now(),
        actor=name,
    )
    publish(ITEM_PUBLISHED, payload, aggregate=item.code)
