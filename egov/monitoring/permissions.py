"""Monitoring's permission actions (监控权限), registered with core's policy table."""

from __future__ import annotations

from egov.core.policy import ADMINISTRATOR, AUDITOR, EGOV_OFFICE

VIEW_INCIDENTS = "monitoring.incident_view"
HANDLE_INCIDENTS = "monitoring.incident_handle"
VIEW_SYSTEMS = "monitoring.system_view"

ACTION_ROLES = {
    VIEW_INCIDENTS: [AUDITOR, ADMINISTRATOR],
    HANDLE_INCIDENTS: [AUDITOR, ADMINISTRATOR],
    VIEW_SYSTEMS: [ADMINISTRATOR, AUDITOR, EGOV_OFFICE],
}
