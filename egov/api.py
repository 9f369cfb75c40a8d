"""The platform's HTTP API (/api/v1), one django-ninja instance; apps add routers.

Every refusal is JSON ``{"code", "message", "field", "errors"}``
(:mod:`egov.core.api_errors`): the handlers here cover what ninja itself raises
(bad input, a body that is not JSON, unknown objects) and the bodies Django
refuses to read; Django's error handlers and
:class:`egov.core.middleware.ApiAnswersJsonMiddleware` cover the rest.
"""

from collections.abc import Sequence

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema

from egov.core.api_errors import CODE_OF_STATUS, problem, refused_body, status_problem
from egov.core.errors import ErrorCode
from egov.core.openapi_errors import declare_platform_errors


class PlatformAPI(NinjaAPI):
    """Ninja's API whose OpenAPI document also declares the platform's own refusals."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, object] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        declare_platform_errors(schema)
        return schema


api = PlatformAPI(
    title="egov API",
    version="1",
    description="省级电子政务平台接口 — provincial e-government platform API",
    docs_url="/docs",
    urls_namespace="api",
)


def field_named(location: Sequence[object]) -> str | None:
    """The field as the client sent it: ``("body", "body", "note")`` is ``note``.

    Ninja's location starts with where the value was (query, path, form, body);
    a JSON body adds the view's parameter name, which the client never sees.
    """
    parts = [str(part) for part in location]
    inside = parts[2:] if parts[:1] == ["body"] and len(parts) > 2 else parts[1:]
    return ".".join(inside) or None


@api.exception_handler(ValidationError)
def validation_failed(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """400 with each field and its reason; the first one also as ``message`` and ``field``."""
    errors = [
        {"field": field_named(err.get("loc", ())), "reason": err.get("msg", "invalid")}
        for err in exc.errors
    ]
    first = errors[0] if errors else {"field": None, "reason": "invalid input"}
    body = problem(ErrorCode.INVALID_INPUT, str(first["reason"]), first["field"], errors=errors)
    return api.create_response(request, body, status=400)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Ninja's refusals (401, a body that is not JSON, ...) with the code of their status."""
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        body = problem(ErrorCode.INVALID_INPUT, "not JSON", "body")
    else:
        code = CODE_OF_STATUS.get(exc.status_code, ErrorCode.BAD_REQUEST)
        body = problem(str(code), str(exc))
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    """404 in the error format (ninja's own is ``{"detail"}``)."""
    return status_problem(404)


@api.exception_handler(RequestDataTooBig)
@api.exception_handler(TooManyFieldsSent)
@api.exception_handler(TooManyFilesSent)
def body_refused(request: HttpRequest, exc: Exception) -> HttpResponse:
    """413 for a body over the limit, 400 for too many fields or files, not Django's HTML 400."""
    return refused_body(exc) or status_problem(400)


def register_routers() -> None:
    from egov.core.api import router as core_router

    api.add_router("/", core_router)
    api.add_router("/trust/", "egov.trust.api.router")
    api.add_router("/approvals/", "egov.approvals.api.router")
    api.add_router("/supervision/", "egov.supervision.api.router")
    api.add_router("/exchange/", "egov.exchange.api.router")


register_routers()
