"""The core's error codes (错误代码) and the exceptions that carry them.

Each exception is also the Django exception a view already knows how to answer,
so a page gets its 400/403/404 and the API (``egov.core.api``) turns it into
JSON ``{"code", "message", "field"}``:

* :class:`InvalidInputError` is a ``ValidationError`` naming the field and the reason;
* :class:`NotFoundError` is an ``Http404`` (also used for objects the actor may not
  see: missing and forbidden look alike);
* :class:`ForbiddenError` is a ``PermissionDenied``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from egov.core.text_input import TextInputError, check_text


class ErrorCode(StrEnum):
    """Codes the core API returns (one enum per app)."""

    INVALID_INPUT = "invalid_input"
    INVALID_REGION_CODE = "invalid_region_code"
    REGION_NOT_FOUND = "region_not_found"
    ORGANISATION_NOT_FOUND = "organisation_not_found"
    INVALID_ORGANISATION = "invalid_organisation"
    DUPLICATE_ORGANISATION_CODE = "duplicate_organisation_code"
    PARENT_NOT_FOUND = "parent_not_found"
    INVALID_USER = "invalid_user"
    USERNAME_TAKEN = "username_taken"
    USER_NOT_FOUND = "user_not_found"
    NOT_STAFF = "not_staff"
    UNKNOWN_ROLE = "unknown_role"
    ROLE_NOT_HELD = "role_not_held"
    INVALID_RESIDENT_ID = "invalid_resident_id"
    INVALID_CREDIT_CODE = "invalid_credit_code"
    SYSTEM_NOT_FOUND = "system_not_found"
    DUPLICATE_SYSTEM_CODE = "duplicate_system_code"
    API_KEY_NOT_FOUND = "api_key_not_found"
    NOT_AUTHENTICATED = "not_authenticated"
    PERMISSION_DENIED = "permission_denied"
    # Refusals of the HTTP layer itself, before or around any endpoint (egov.core.api_errors).
    BAD_REQUEST = "bad_request"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    TOO_LARGE = "too_large"
    TOO_MANY_FIELDS = "too_many_fields"
    TOO_MANY_FILES = "too_many_files"
    SERVER_ERROR = "server_error"


class CoreErrorMixin:
    """What the API needs of a core error: status, code, message, field."""

    status: int = 400
    error_code: StrEnum  # core's ErrorCode, or another app's enum carried by core's errors
    message: str
    field: str | None

    def as_dict(self) -> dict[str, str | None]:
        return {"code": str(self.error_code), "message": self.message, "field": self.field}


class InvalidInputError(CoreErrorMixin, ValidationError):
    """Bad input (400): which field and why. Nothing has been written."""

    status = 400
    message: str  # ValidationError's may be lazy; this one is always the reason text

    def __init__(self, code: StrEnum, field: str, reason: str) -> None:
        super().__init__({field: [reason]})
        self.error_code, self.field, self.message = code, field, reason


class NotFoundError(CoreErrorMixin, Http404):
    """No such object, or one the actor may not see (404)."""

    status = 404

    def __init__(self, code: StrEnum, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.error_code, self.field, self.message = code, field, message


class ForbiddenError(CoreErrorMixin, PermissionDenied):
    """The actor may not do this (403)."""

    status = 403

    def __init__(self, message: str, code: ErrorCode = ErrorCode.PERMISSION_DENIED) -> None:
        super().__init__(message)
        self.error_code, self.field, self.message = code, None, message


CoreError = InvalidInputError | NotFoundError | ForbiddenError


def typed_text(
    value: Any,
    *,
    field: str,
    max_length: int,
    code: ErrorCode = ErrorCode.INVALID_INPUT,
    multiline: bool = False,
    required: bool = False,
) -> str:
    """The text stripped, or :class:`InvalidInputError` naming the field and why.

    The check is :func:`egov.core.text_input.check_text`'s: type, control
    characters, length.
    """
    try:
        return check_text(value, max_length=max_length, multiline=multiline, required=required)
    except TextInputError as exc:
        raise InvalidInputError(code, field, str(exc)) from None
