"""The core API router (mounted at /api/v1/): regions, organisations, who am I.

Errors are JSON ``{"code", "message", "field"}`` with the code from
:class:`egov.core.errors.ErrorCode`; a 400 also carries ``errors`` as the
platform's validation errors do (``[{"field", "reason"}]``).

:class:`ApiKeyAuth` (header ``X-API-Key``) authenticates registered external
systems; other apps use it for their machine endpoints (``auth=ApiKeyAuth()``),
and ``request.auth`` is then the :class:`~egov.core.models.ExternalSystem`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import APIKeyHeader
from pydantic import WithJsonSchema

from egov.core.api_errors import BadInputOut, ErrorOut
from egov.core.errors import ErrorCode, ForbiddenError, InvalidInputError, NotFoundError
from egov.core.models import ExternalSystem, Organisation, Region
from egov.core.pagination import paginated
from egov.core.permissions import may
from egov.core.selectors import organisations as organisation_selectors
from egov.core.selectors import regions as region_selectors
from egov.core.selectors.people import roles_of
from egov.core.services.apikeys import authenticate_api_key

router = Router(tags=["core"])

# What the document says of codes the selectors check themselves (with their own error
# codes, so these are declared in the schema only, not validated twice).
REGION_CODE = {"type": "string", "pattern": "^[0-9]{6}$", "description": "GB/T 2260 code"}
RegionCode = Annotated[str, WithJsonSchema(REGION_CODE)]
OrganisationKind = Annotated[str, WithJsonSchema({"enum": list(Organisation.Kind.values)})]


class ApiKeyAuth(APIKeyHeader):
    """An external system's API key in the ``X-API-Key`` header (接口密钥认证)."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> ExternalSystem | None:
        return authenticate_api_key(key)


class RegionOut(Schema):
    code: str
    name: str
    level: int
    parent: str | None = Field(None, alias="parent_id")
    path: str
    is_current: bool


class RegionDetailOut(RegionOut):
    ancestors: list[RegionOut]

    @staticmethod
    def resolve_ancestors(obj: Region) -> list[Region]:
        return [r for r in region_selectors.ancestors(obj) if r.code != obj.code]


class OrganisationOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    region: str = Field(..., alias="region_id")
    region_name: str = Field(..., alias="region.name")
    parent: str | None = None

    @staticmethod
    def resolve_parent(obj: Organisation) -> str | None:
        return obj.parent.code if obj.parent is not None else None


class RoleOut(Schema):
    role: str
    organisation: str


class WhoAmIOut(Schema):
    kind: str
    name: str
    display_name: str
    organisation: str | None = None
    roles: list[RoleOut] = []


ERRORS = {400: BadInputOut, 403: ErrorOut, 404: ErrorOut}
CoreErrors = InvalidInputError | NotFoundError | ForbiddenError


def error_body(exc: CoreErrors) -> dict[str, Any]:
    body: dict[str, Any] = exc.as_dict()
    if exc.status == 400:
        body["errors"] = [{"field": exc.field, "reason": exc.message}]
    return body


def answers_core_errors(view: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the core's errors into their status and JSON body."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return view(request, *args, **kwargs)
        except (InvalidInputError, NotFoundError, ForbiddenError) as exc:
            return Status(exc.status, error_body(exc))

    return wrapper


def require_view(request: HttpRequest, action: str, obj: Any = None) -> None:
    if not may(request.user, action, obj):
        raise ForbiddenError(f"not allowed: {action}")


@router.get("/regions", response={200: list[RegionOut], **ERRORS})
@answers_core_errors
def list_regions(request: HttpRequest, parent: RegionCode | None = None) -> Any:
    """The province and its prefecture-level divisions, or the children of ``parent``."""
    require_view(request, "region.view")
    if parent is None:
        return list(region_selectors.top_regions())
    return list(region_selectors.children(region_selectors.get_region(parent, field="parent")))


@router.get("/regions/{code}", response={200: RegionDetailOut, **ERRORS})
@answers_core_errors
def get_region(request: HttpRequest, code: RegionCode) -> Any:
    """One division (current or historical) with its chain of ancestors."""
    region = region_selectors.get_region(code)
    require_view(request, "region.view", region)
    return region


@router.get("/regions/{code}/children", response={200: list[RegionOut], **ERRORS})
@answers_core_errors
def region_children(request: HttpRequest, code: RegionCode, historical: bool = False) -> Any:
    """The divisions directly under ``code``; ``historical=true`` adds former codes."""
    region = region_selectors.get_region(code)
    require_view(request, "region.view", region)
    return list(region_selectors.children(region, current_only=not historical))


@router.get("/organisations", response={200: list[OrganisationOut], **ERRORS})
@answers_core_errors
@paginated
def list_organisations(
    request: HttpRequest,
    region: RegionCode | None = None,
    kind: OrganisationKind | None = None,
    parent: str | None = None,
) -> Any:
    """Organisations, filtered by region code, kind and parent organisation code."""
    require_view(request, "organisation.view")
    return organisation_selectors.organisations(region=region, kind=kind, parent=parent)


@router.get("/organisations/{code}", response={200: OrganisationOut, **ERRORS})
@answers_core_errors
def get_organisation(request: HttpRequest, code: str) -> Any:
    """One organisation by its code."""
    return organisation_selectors.access_organisation(request.user, code)


def whoami_of_system(system: ExternalSystem) -> dict[str, Any]:
    return {
        "kind": "system",
        "name": system.code,
        "display_name": system.name,
        "organisation": system.organisation.code,
        "roles": [],
    }


def whoami_of_user(user: Any) -> dict[str, Any]:
    profile = getattr(user, "staff", None) if user.kind == "staff" else None
    return {
        "kind": user.kind,
        "name": user.get_username(),
        "display_name": user.display_name,
        "organisation": profile.organisation.code if profile else None,
        "roles": [{"role": a.role, "organisation": a.organisation.code} for a in roles_of(user)],
    }


@router.get("/whoami", response={200: WhoAmIOut, 401: ErrorOut})
def whoami(request: HttpRequest) -> Any:
    """Who is calling: the external system of the ``X-API-Key``, or the signed-in user."""
    key = request.headers.get(ApiKeyAuth.param_name)
    if key is not None:
        system = authenticate_api_key(key)
        if system is None:
            return Status(
                401, {"code": ErrorCode.NOT_AUTHENTICATED, "message": "unknown or revoked key"}
            )
        return whoami_of_system(system)
    user = request.user
    if not (user.is_authenticated and user.is_active):
        return Status(
            401,
            {"code": ErrorCode.NOT_AUTHENTICATED, "message": "sign in or send an X-API-Key header"},
        )
    return whoami_of_user(user)
