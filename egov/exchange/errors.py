"""Reason codes of the exchange gateway (交换错误代码): the one enum its API returns.

No Django import: the envelope code and the client raise these too.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Why a message, a batch or a member change was refused."""

    INVALID_INPUT = "invalid_input"
    MALFORMED_JSON = "malformed_json"
    INVALID_ENVELOPE = "invalid_envelope"
    TOO_LARGE = "too_large"
    UNKNOWN_MEMBER = "unknown_member"
    MEMBER_SUSPENDED = "member_suspended"
    CERTIFICATE_MISMATCH = "certificate_mismatch"
    CERTIFICATE_UNTRUSTED = "certificate_untrusted"
    CERTIFICATE_EXPIRED = "certificate_expired"
    CERTIFICATE_REVOKED = "certificate_revoked"
    BAD_SIGNATURE = "bad_signature"
    DIGEST_MISMATCH = "digest_mismatch"
    STALE_MESSAGE = "stale_message"
    WRONG_RECIPIENT = "wrong_recipient"
    UNKNOWN_TYPE = "unknown_type"
    TYPE_NOT_ALLOWED = "type_not_allowed"
    INVALID_PAYLOAD = "invalid_payload"
    CONFLICT = "conflict"
    NODE_NOT_CONFIGURED = "node_not_configured"
    MEMBER_NOT_FOUND = "member_not_found"
    DUPLICATE_MEMBER_CODE = "duplicate_member_code"
    ORGANISATION_NOT_FOUND = "organisation_not_found"
    LOG_ENTRY_NOT_FOUND = "log_entry_not_found"
    NOT_TIME_STAMPED = "not_time_stamped"


class ExchangeError(ValueError):
    """A refusal naming the code, the input at fault (``field``) and why (``reason``)."""

    def __init__(self, code: ErrorCode, field: str, reason: str) -> None:
        super().__init__(f"{code}: {field}: {reason}")
        self.code = code
        self.field = field
        self.reason = reason

    def as_dict(self) -> dict[str, object]:
        """The API's error body in core's format (egov.core.api_errors; not imported: pure)."""
        return {
            "code": str(self.code),
            "message": self.reason,
            "field": self.field,
            "errors": [{"field": self.field, "reason": self.reason}],
        }
