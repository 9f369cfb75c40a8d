"""The platform's HTTP API (/api/v1), one django-ninja instance; apps add routers."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from egov.core.api_errors import problem

api = NinjaAPI(
    title="egov API",
    version="1",
    description="省级电子政务平台接口 — provincial e-government platform API",
    docs_url="/docs",
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def validation_failed(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """400 with each field and its reason; the first one also as ``message`` and ``field``."""
    errors = [
        {
            "field": ".".join(str(part) for part in err.get("loc", [])[1:]) or None,
            "reason": err.get("msg", "invalid"),
        }
        for err in exc.errors
    ]
    first = errors[0] if errors else {"field": None, "reason": "invalid input"}
    body = problem("invalid_input", str(first["reason"]), first["field"], errors=errors)
    return api.create_response(request, body, status=400)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Ninja's ``{"detail"}``, plus code and errors for a body that is not JSON (400)."""
    body: dict[str, object] = {"detail": str(exc)}
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        body |= {"code": "invalid_input", "errors": [{"field": "body", "reason": "not JSON"}]}
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
def body_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    """413 with code too_large, not Django's HTML 400, for a body over the upload limit."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    errors = [{"field": "body", "reason": f"larger than {limit} bytes"}]
    return api.create_response(request, {"code": "too_large", "errors": errors}, status=413)


def register_routers() -> None:
    from egov.core.api import router as core_router

    api.add_router("/", core_router)
    api.add_router("/trust/", "egov.trust.api.router")
    api.add_router("/approvals/", "egov.approvals.api.router")
    api.add_router("/supervision/", "egov.supervision.api.router")


register_routers()
