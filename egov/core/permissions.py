"""The one permission check (权限): ``may(user, action, obj=None) -> bool``.

Every view and endpoint asks :func:`may`. The action table is
:mod:`egov.core.policy`; a role held at an organisation applies to that
organisation's whole subtree (ADR 0009):

* ``obj`` is ``None``: does the user hold an allowed role anywhere?
* ``obj`` is an Organisation, or has ``organisation`` / ``organisation_code``:
  does the user hold an allowed role at an organisation whose subtree holds it?
* ``obj`` is a Region, or has ``region_code``: does the user hold an allowed role
  at an organisation whose *region's* subtree holds that region?

Inactive users never pass; citizen and enterprise accounts never pass staff
actions. A Django superuser has no implicit rights here: rights come from roles.
The user's grants are read in one query and kept on the user object (a request
has its own user object), so later calls in the request need no query; an
object given by code costs one lookup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from egov.core import policy

GRANTS_ATTRIBUTE = "_egov_grants"
STAFF, CITIZEN, ENTERPRISE = "staff", "citizen", "enterprise"


@dataclass(frozen=True)
class Grant:
    """A role held at an organisation, with the paths that bound its scope."""

    role: str
    organisation_path: str
    region_path: str


@dataclass(frozen=True)
class Scope:
    """Where an object sits: its organisation path or its region path."""

    organisation_path: str | None = None
    region_path: str | None = None


def grants_of(user: Any) -> tuple[Grant, ...]:
    """The user's grants at active organisations: one query, then cached on the user."""
    cached = getattr(user, GRANTS_ATTRIBUTE, None)
    if cached is not None:
        return cached
    from egov.core.models import RoleAssignment

    rows = RoleAssignment.objects.filter(user_id=user.pk, organisation__is_active=True).values_list(
        "role", "organisation__path", "organisation__region__path"
    )
    grants = tuple(Grant(*row) for row in rows)
    setattr(user, GRANTS_ATTRIBUTE, grants)
    return grants


def forget_grants(user: Any) -> None:
    """Drop the cached grants (after a grant or revoke on this user object)."""
    if getattr(user, GRANTS_ATTRIBUTE, None) is not None:
        setattr(user, GRANTS_ATTRIBUTE, None)


def organisation_scope(organisation: Any) -> Scope:
    return Scope(organisation_path=organisation.path if organisation is not None else None)


def scope_by_code(model_name: str, code: Any) -> Scope:
    """Look an organisation or region up by code (one query); unknown codes scope nowhere."""
    from egov.core.models import Organisation, Region

    model = Organisation if model_name == "organisation" else Region
    path = model.objects.filter(code=str(code)).values_list("path", flat=True).first()
    if model is Organisation:
        return Scope(organisation_path=path)
    return Scope(region_path=path)


def scope_of(obj: Any) -> Scope:
    """Where ``obj`` sits; a TypeError for an object with no organisation or region."""
    from egov.core.models import Organisation, Region

    if isinstance(obj, Organisation):
        return organisation_scope(obj)
    if isinstance(obj, Region):
        return Scope(region_path=obj.path)
    if isinstance(getattr(obj, "organisation", None), Organisation):
        return organisation_scope(obj.organisation)
    if getattr(obj, "organisation_code", None):
        return scope_by_code("organisation", obj.organisation_code)
    if getattr(obj, "region_code", None):
        return scope_by_code("region", obj.region_code)
    raise TypeError(
        f"may(): cannot tell where a {type(obj).__name__} sits; give an Organisation, a Region, "
        "or an object with organisation / organisation_code / region_code"
    )


def covers(grant: Grant, scope: Scope) -> bool:
    """Does the grant's subtree hold the object?"""
    if scope.organisation_path:
        return policy.is_path_within(scope.organisation_path, grant.organisation_path)
    if scope.region_path:
        return policy.is_path_within(scope.region_path, grant.region_path)
    return False


def is_signed_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def may(user: Any, action: str, obj: Any = None) -> bool:
    """May this user do this action (on this object)? Unknown actions are refused."""
    allowed = policy.allowed_roles(action)
    if policy.EVERYONE in allowed:
        return True
    if not allowed or not is_signed_in(user):
        return False
    kind = getattr(user, "kind", None)
    if policy.PUBLIC_ACCOUNT in allowed:
        return kind in (CITIZEN, ENTERPRISE)
    if kind != STAFF:
        return False
    any_role = policy.ANY_STAFF in allowed
    grants = [grant for grant in grants_of(user) if any_role or grant.role in allowed]
    if obj is None or not grants:
        return bool(grants)
    scope = scope_of(obj)
    return any(covers(grant, scope) for grant in grants)


def scopes_for(user: Any, action: str) -> list[Grant]:
    """The user's grants that allow ``action`` (for filtering lists by scope)."""
    allowed = policy.allowed_roles(action)
    if not allowed or not is_signed_in(user) or getattr(user, "kind", None) != STAFF:
        return []
    any_role = policy.ANY_STAFF in allowed
    return [grant for grant in grants_of(user) if any_role or grant.role in allowed]


def require(actor: Any, action: str, obj: Any = None) -> None:
    """Refuse (403) unless the actor may; a string actor is a trusted system caller.

    Services take ``actor`` as a User (checked here) or a string naming an
    internal caller (``"system"``, a migration, a management command run by an
    operator on the server), which is trusted and recorded in the audit chain.
    """
    from egov.core.errors import ForbiddenError

    if isinstance(actor, str) and actor.strip():
        return
    if not may(actor, action, obj):
        raise ForbiddenError(f"not allowed: {action}")
