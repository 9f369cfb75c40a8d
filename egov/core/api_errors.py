"""The API's error answers (接口错误格式), shared by every app and by the error handlers.

Every refusal under ``/api/`` is JSON ``{"code", "message", "field"}``; a 400 also
carries ``errors``, a list of ``{"field", "reason"}``. :func:`problem` builds that
body, :func:`problem_response` answers it outside django-ninja (middleware and
Django's error handlers), and :class:`ErrorOut` / :class:`BadInputOut` declare
it in the OpenAPI document.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from ninja import Schema

API_PREFIX = "/api/"


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


class BadInputOut(ErrorOut):
    errors: list[dict[str, str | None]]


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


def is_api_request(request: HttpRequest) -> bool:
    """Whether the request is for the HTTP API, which always answers JSON."""
    return request.path_info.startswith(API_PREFIX)
