"""The supervision app's error codes (电子监察错误码): one enum, returned by the API.

A service refuses bad input or a forbidden action by raising
:class:`SupervisionError` with one code and, where a field is at fault, a
mapping of field -> reason. Nothing is written when it is raised: every
service runs in one transaction. Event intake does not raise per event: it
reports each rejected event with one of these codes, its field and reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class ErrorCode(StrEnum):
    """Why a supervision action, or one incoming event, was refused."""

    INVALID_INPUT = "invalid_input"
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
    WRONG_STATE = "wrong_state"
    # event intake (采集), one per rejected event
    SCHEMA_INVALID = "schema_invalid"
    MISSING_FIELD = "missing_field"
    UNKNOWN_TYPE = "unknown_type"
    BAD_CASE_NUMBER = "bad_case_number"
    UNKNOWN_REGION = "unknown_region"
    IMPOSSIBLE_TIME = "impossible_time"
    OUT_OF_RANGE = "out_of_range"
    CONFLICT = "conflict"
    BATCH_TOO_LARGE = "batch_too_large"
    # findings, notices, complaints (督办, 投诉)
    NO_DEPARTMENT = "no_department"
    CANNOT_ESCALATE = "cannot_escalate"


class SupervisionError(Exception):
    """A refused supervision action: a code, a message and the fields at fault."""

    def __init__(
        self, code: ErrorCode, message: str = "", fields: Mapping[str, str] | None = None
    ) -> None:
        self.code = code
        self.fields = dict(fields or {})
        self.message = message or code.value
        super().__init__(f"{code.value}: {self.message}")

    def as_dict(self) -> dict[str, object]:
        """The API body: the code, the first field at fault and each field with its reason."""
        return {
            "code": self.code.value,
            "message": self.message,
            "field": next(iter(self.fields), None),
            "errors": [{"field": name, "reason": why} for name, why in self.fields.items()],
        }
