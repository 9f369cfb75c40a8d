"""Monitoring's error codes (错误代码), carried by core's error exceptions."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    INCIDENT_NOT_FOUND = "incident_not_found"
    INCIDENT_ALREADY_ACKNOWLEDGED = "incident_already_acknowledged"
    INCIDENT_CLOSED = "incident_closed"
    NOTE_REQUIRED = "note_required"
    NOTE_TOO_LONG = "note_too_long"
