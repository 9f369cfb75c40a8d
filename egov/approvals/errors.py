"""The approvals app's error codes (网上审批错误码): one enum, returned by the API.

A service refuses bad input or a forbidden action by raising :class:`ApprovalError`
with one code and, where a field is at fault, a mapping of field -> reason.
Nothing is written when it is raised: every service runs in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class ErrorCode(StrEnum):
    """Why an approvals action was refused."""

    INVALID_INPUT = "invalid_input"
    NOT_FOUND = "not_found"
    ITEM_NOT_FOUND = "item_not_found"
    ITEM_INACTIVE = "item_inactive"
    PERMISSION_DENIED = "permission_denied"
    WRONG_STATE = "wrong_state"
    ALREADY_ACCEPTED = "already_accepted"
    ACCEPTANCE_WINDOW_PASSED = "acceptance_window_passed"
    MISSING_MATERIALS = "missing_materials"
    BAD_FILE = "bad_file"
    NO_OPEN_SUPPLEMENT = "no_open_supplement"
    NO_OPEN_SPECIAL_PROCEDURE = "no_open_special_procedure"
    DUPLICATE_RECEIPT = "duplicate_receipt"
    DUPLICATE_LICENCE = "duplicate_licence"
    NOT_APPLICANT = "not_applicant"
    RATE_LIMITED = "rate_limited"
    LICENCE_ENDED = "licence_ended"


class ApprovalError(Exception):
    """A refused approvals action: a code, a message and the fields at fault."""

    def __init__(
        self,
        code: ErrorCode,
        message: str = "",
        fields: Mapping[str, str] | None = None,
        *,
        retry_after: int | None = None,
    ) -> None:
        self.code = code
        self.fields = dict(fields or {})
        self.message = message or code.value
        self.retry_after = retry_after  # seconds, for RATE_LIMITED
        super().__init__(f"{code.value}: {self.message}")

    def as_dict(self) -> dict[str, object]:
        """The API body: the code, the first field at fault and each field with its reason."""
        return {
            "code": self.code.value,
            "message": self.message,
            "field": next(iter(self.fields), None),
            "errors": [{"field": name, "reason": why} for name, why in self.fields.items()],
        } | ({"retry_after": self.retry_after} if self.retry_after is not None else {})
