"""Errors of the trust app (信任服务错误): one enum of codes the API returns.

No Django import: the pure ``egov.trust.pki`` package raises these too.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """What went wrong, as the API and the ``egov ca`` command report it."""

    INVALID_INPUT = "invalid_input"
    MALFORMED = "malformed"
    BAD_SIGNATURE = "bad_signature"
    UNKNOWN_ISSUER = "unknown_issuer"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    NOT_FOUND = "not_found"
    CA_EXISTS = "ca_exists"
    NO_CA = "no_ca"
    WRONG_PASSPHRASE = "wrong_passphrase"  # noqa: S105 - an error code, not a secret
    ALREADY_REVOKED = "already_revoked"
    NOT_PENDING = "not_pending"
    OWN_APPLICATION = "own_application"
    WRONG_PASSWORD = "wrong_password"  # noqa: S105 - an error code, not a secret
    ALREADY_DELIVERED = "already_delivered"
    TOO_LARGE = "too_large"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"


class TrustError(ValueError):
    """A refusal naming the input at fault (``field``) and why (``reason``)."""

    def __init__(self, code: ErrorCode, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.code = code
        self.field = field
        self.reason = reason

    def as_dict(self) -> dict[str, object]:
        """The API's error body in core's format (egov.core.api_errors, not imported: pure)."""
        errors = [{"field": self.field, "reason": self.reason}]
        return {
            "code": str(self.code),
            "message": self.reason,
            "field": self.field,
            "errors": errors,
        }


def invalid(field: str, reason: str) -> TrustError:
    """An :class:`TrustError` for malformed or out-of-range input."""
    return TrustError(ErrorCode.INVALID_INPUT, field, reason)


def malformed(field: str, reason: str) -> TrustError:
    """A :class:`TrustError` for data that is not the PEM/DER structure expected."""
    return TrustError(ErrorCode.MALFORMED, field, reason)


def too_large(field: str, limit: int) -> TrustError:
    """A :class:`TrustError` for an upload or body over ``limit`` bytes."""
    return TrustError(ErrorCode.TOO_LARGE, field, f"larger than {limit} bytes")
