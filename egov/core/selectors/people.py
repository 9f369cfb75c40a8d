"""People reads (人员查询): staff of an organisation subtree, a user's roles."""

from __future__ import annotations

from django.db.models import QuerySet

from egov.core.models import Organisation, RoleAssignment, User


def staff_in(organisation: Organisation) -> QuerySet[User]:
    """Active staff users whose organisation is in this organisation's subtree."""
    return (
        User.objects.filter(
            kind=User.Kind.STAFF,
            is_active=True,
            staff__organisation__path__startswith=organisation.path,
        )
        .select_related("staff__organisation")
        .order_by("username")
    )


def roles_of(user: User) -> QuerySet[RoleAssignment]:
    """The user's role assignments with their organisations, outermost first."""
    return (
        RoleAssignment.objects.filter(user=user)
        .select_related("organisation__region")
        .order_by("organisation__path", "role")
    )


def holders_of(role: str, organisation: Organisation) -> QuerySet[User]:
    """Active users holding ``role`` at this organisation or at one above it (who may act here)."""
    ids = [int(part) for part in organisation.path.split("/") if part]
    return (
        User.objects.filter(
            is_active=True,
            kind=User.Kind.STAFF,
            roles__role=role,
            roles__organisation_id__in=ids,
        )
        .distinct()
        .order_by("username")
    )
