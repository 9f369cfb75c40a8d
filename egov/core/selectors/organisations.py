"""Organisation reads (机构查询) and the access function for organisations.

An organisation's ``path`` holds the ids from the root (``1/7/93/``): given an
Organisation, its subtree is one prefix query and its ancestors one
``id IN (...)`` query.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from egov.core.errors import ErrorCode, InvalidInputError, NotFoundError
from egov.core.models import Organisation
from egov.core.permissions import may
from egov.core.selectors.regions import check_region_code


def organisations(
    *, region: str | None = None, kind: str | None = None, parent: str | None = None
) -> QuerySet[Organisation]:
    """Active organisations, filtered by region code, kind and parent organisation code."""
    query = Organisation.objects.filter(is_active=True).select_related("region", "parent")
    if region is not None:
        query = query.filter(region_id=check_region_code(region, "region"))
    if kind is not None:
        if kind not in Organisation.Kind.values:
            raise InvalidInputError(
                ErrorCode.INVALID_INPUT,
                "kind",
                f"must be one of {', '.join(Organisation.Kind.values)}",
            )
        query = query.filter(kind=kind)
    if parent is not None:
        query = query.filter(parent__code=parent)
    return query.order_by("path")


def get_organisation(code: str) -> Organisation:
    """The active organisation with this code; 404 ``organisation_not_found`` if none."""
    organisation = (
        Organisation.objects.filter(code=code, is_active=True)
        .select_related("region", "parent")
        .first()
    )
    if organisation is None:
        raise NotFoundError(
            ErrorCode.ORGANISATION_NOT_FOUND, f"no organisation with code {code}", "code"
        )
    return organisation


def access_organisation(
    actor: Any, code: str, *, action: str = "organisation.view", lock: bool = False
) -> Organisation:
    """The organisation if ``actor`` may do ``action`` on it, else 404 alike for missing
    and forbidden (so a refusal tells nothing about what exists). ``lock`` takes a row
    lock (inside the caller's transaction)."""
    query = Organisation.objects.select_for_update() if lock else Organisation.objects
    organisation = query.filter(code=code, is_active=True).first()
    if organisation is None or not may(actor, action, organisation):
        raise NotFoundError(
            ErrorCode.ORGANISATION_NOT_FOUND, f"no organisation with code {code}", "code"
        )
    return organisation


def subtree(organisation: Organisation) -> QuerySet[Organisation]:
    """The organisation and everything under it (one prefix query on ``path``)."""
    return Organisation.objects.filter(path__startswith=organisation.path).order_by("path")


def ancestors(organisation: Organisation) -> QuerySet[Organisation]:
    """The chain from the root down to the organisation, itself included (one query)."""
    ids = [int(part) for part in organisation.path.split("/") if part]
    return Organisation.objects.filter(pk__in=ids).order_by("path")
