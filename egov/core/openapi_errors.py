"""The error answers every operation can give, declared in the OpenAPI document.

Some refusals come from the platform around an operation, not from the
operation's own code: a path or query string with control characters (400,
:class:`~egov.core.middleware.QueryTextMiddleware`), a missing session or API
key (401), a failed CSRF check (403), a body over the size cap (413,
:class:`~egov.core.middleware.RequestSizeLimitMiddleware`), and any server
error (500). :func:`declare_platform_errors` adds each one an operation can
meet to its ``responses``, in the one error format (``ErrorOut``), so the
document describes every answer the API gives.
"""

from __future__ import annotations

from typing import Any

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
BODY_METHODS = frozenset({"post", "put", "patch"})
DESCRIPTIONS = {
    400: "Bad input: the field and the reason",
    401: "Not signed in (no session, or no valid API key)",
    403: "Not allowed, or the CSRF check failed",
    413: "Request body over the size limit",
    500: "Server error",
}


def platform_statuses(method: str, operation: dict[str, Any]) -> list[int]:
    """The platform-wide statuses ``operation`` can answer besides its own."""
    statuses = [400, 500]
    if operation.get("security"):
        statuses += [401, 403]
    if method in BODY_METHODS:
        statuses.append(413)
    return statuses


def error_response(status: int) -> dict[str, Any]:
    return {
        "description": DESCRIPTIONS[status],
        "content": {"application/json": {"schema": ERROR_REF}},
    }


def declare_platform_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the platform's error answers to every operation that does not declare them."""
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in platform_statuses(method, operation):
                responses.setdefault(status, error_response(status))
    return schema
