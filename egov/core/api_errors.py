"""The API's error answers (接口错误格式), shared by every app and by the error handlers.

Every refusal under ``/api/`` is JSON ``{"code", "message", "field", "errors"}``,
``errors`` being a list of ``{"field", "reason"}``. :func:`problem` builds that
body; :func:`problem_response` answers it outside django-ninja (Django's error
handlers in :mod:`egov.core.error_views`, the middleware in :mod:`egov.core.middleware`);
:class:`ErrorOut` / :class:`BadInputOut` declare it in the OpenAPI document.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Field, Schema

from egov.core.errors import ErrorCode

API_PREFIX = "/api/"

CODE_OF_STATUS: dict[int, ErrorCode] = {
    400: ErrorCode.BAD_REQUEST,
    401: ErrorCode.NOT_AUTHENTICATED,
    403: ErrorCode.PERMISSION_DENIED,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    413: ErrorCode.TOO_LARGE,
}
MESSAGE_OF_STATUS: dict[int, str] = {
    400: "bad request",
    401: "not authenticated",
    403: "not allowed",
    404: "no such resource",
    405: "method not allowed",
    413: "request body too large",
    500: "server error",
}


class FieldErrorOut(Schema):
    """One field at fault and why (``field`` is null when the request as a whole is)."""

    field: str | None
    reason: str


class ErrorOut(Schema):
    """Every error answer of the API, whatever the app (接口错误格式).

    ``code`` comes from the answering app's error enum; ``field`` is the first
    field at fault; ``errors`` lists each field with its reason.
    """

    code: str
    message: str
    field: str | None = None
    errors: list[FieldErrorOut] = []


# The same body for a 400: one component in the OpenAPI document, not two.
BadInputOut = ErrorOut


class RateLimitedOut(ErrorOut):
    """A 429: too many submissions; try again after ``retry_after`` seconds."""

    retry_after: int = Field(description="seconds until a new submission is counted")


def error_responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """``{status: ErrorOut}`` for a route's ``response=``, e.g. ``error_responses(400, 404)``."""
    return dict.fromkeys(statuses, ErrorOut)


def problem(
    code: str, message: str, field: str | None = None, *, errors: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The error body; ``errors`` defaults to the one field and its reason."""
    body: dict[str, Any] = {"code": code, "message": message, "field": field}
    body["errors"] = errors if errors is not None else [{"field": field, "reason": message}]
    return body


def problem_response(
    status: int, code: str, message: str, field: str | None = None
) -> JsonResponse:
    """A JSON error answer for code outside django-ninja (middleware, handler404, ...)."""
    return JsonResponse(problem(code, message, field), status=status)


def status_problem(status: int) -> JsonResponse:
    """The JSON answer for a bare status (404, 405, 500, ...)."""
    code = CODE_OF_STATUS.get(status, ErrorCode.SERVER_ERROR if status >= 500 else None)
    message = MESSAGE_OF_STATUS.get(status, "server error" if status >= 500 else "refused")
    return problem_response(status, str(code or ErrorCode.BAD_REQUEST), message)


def is_api_request(request: HttpRequest) -> bool:
    """Whether the request is for the HTTP API, which always answers JSON."""
    return request.path_info.startswith(API_PREFIX)


def is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


def body_too_large(limit: int | None = None) -> JsonResponse:
    """413 for a body over ``limit`` bytes (the whole request's cap unless told)."""
    limit = settings.EGOV_MAX_REQUEST_BYTES if limit is None else limit
    return problem_response(413, ErrorCode.TOO_LARGE, f"larger than {limit} bytes", "body")


def form_data_too_large() -> JsonResponse:
    """413 for form fields or a JSON body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``."""
    return body_too_large(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def too_many_fields() -> JsonResponse:
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    return problem_response(400, ErrorCode.TOO_MANY_FIELDS, f"more than {limit} fields", "body")


def too_many_files() -> JsonResponse:
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
    return problem_response(400, ErrorCode.TOO_MANY_FILES, f"more than {limit} files", "body")


REFUSED_BODIES: dict[type[Exception], Callable[[], JsonResponse]] = {
    RequestDataTooBig: form_data_too_large,
    TooManyFieldsSent: too_many_fields,
    TooManyFilesSent: too_many_files,
}


def refused_body(exception: Exception | None) -> JsonResponse | None:
    """The answer to a body Django refused to read (too big, too many fields or files)."""
    answer = REFUSED_BODIES.get(type(exception)) if exception is not None else None
    return answer() if answer else None
