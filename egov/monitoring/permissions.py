"""Monitoring's permission actions (监控权限), registered with core's policy table."""

from __future__ import annotations

from egov.core.policy import ADMINISTRATOR, AUDITOR

VIEW_INCIDENTS = "monitoring.incident_view"
HANDLE_INCIDENTS = "monitoring.incident_handle"

ACTION_ROLES = {
    VIEW_INCIDENTS: [AUDITOR, ADMINISTRATOR],
    HANDLE_INCIDENTS: [AUDITOR, ADMINISTRATOR],
}
