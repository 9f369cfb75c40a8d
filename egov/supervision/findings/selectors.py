"""Reads of findings and notices (监察发现查询), scoped by the reader's region.

A supervisor or leader (VIEW) sees the findings whose region lies within one
of their grants' regions; ``escalated_to_me`` narrows to findings escalated
to a region the user supervises. A department user (RESPOND) sees the notices
sent to their departments (:func:`egov.supervision.findings.handling.department_notices`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from egov.core.permissions import scopes_for
from egov.supervision import permissions
from egov.supervision.findings.handling import AWAITING_RESPONSE, acting_path, covers_path
from egov.supervision.models import Finding, SupervisionNotice


@dataclass(frozen=True)
class FindingFilters:
    """The findings list's filters; blank means any."""

    rule: str = ""
    category: str = ""
    severity: str = ""
    status: str = ""
    department: str = ""
    case_number: str = ""
    escalated_to_me: bool = False


def region_scope(user: Any, action: str) -> Q:
    """Rows whose region path lies under one of the user's grants for ``action``."""
    scope = Q(pk__in=[])
    for grant in scopes_for(user, action):
        scope |= Q(region_path__startswith=grant.region_path)
    return scope


def visible_findings(user: Any) -> QuerySet[Finding]:
    """The findings the user may view (VIEW), newest first."""
    return (
        Finding.objects.filter(region_scope(user, permissions.VIEW))
        .select_related("organisation", "escalated_to")
        .order_by("-found_at", "-pk")
    )


def escalated_to(user: Any) -> Q:
    """Findings escalated to a region one of the user's SUPERVISE grants covers."""
    scope = Q(pk__in=[])
    for grant in scopes_for(user, permissions.SUPERVISE):
        scope |= Q(escalated_to__path__startswith=grant.region_path)
    return Q(status=Finding.Status.ESCALATED) & scope


def findings_list(user: Any, filters: FindingFilters) -> QuerySet[Finding]:
    """The visible findings matching the filters."""
    rows = visible_findings(user)
    exact = {
        "rule_code": filters.rule,
        "category": filters.category,
        "severity": filters.severity,
        "status": filters.status,
        "department_code": filters.department,
        "case_number": filters.case_number.upper(),
    }
    rows = rows.filter(**{field: value for field, value in exact.items() if value})
    if filters.escalated_to_me:
        rows = rows.filter(escalated_to(user))
    return rows


def may_supervise(user: Any, finding: Finding) -> bool:
    """May the user act on this finding (notice, review, escalate, dismiss)?"""
    return covers_path(user, permissions.SUPERVISE, acting_path(finding))


def finding_notices(finding: Finding) -> list[SupervisionNotice]:
    """The finding's notices, oldest first."""
    return list(
        SupervisionNotice.objects.filter(finding=finding)
        .select_related("department", "issued_by", "responded_by", "reviewed_by")
        .order_by("issued_at")
    )


def supervised_notices(user: Any) -> QuerySet[SupervisionNotice]:
    """The notices about findings the user may view, newest first."""
    scope = Q(pk__in=[])
    for grant in scopes_for(user, permissions.VIEW):
        scope |= Q(finding__region_path__startswith=grant.region_path)
    return (
        SupervisionNotice.objects.filter(scope)
        .select_related("finding", "department")
        .order_by("-issued_at")
    )


def overdue(notices: QuerySet[SupervisionNotice], today: dt.date | None = None) -> QuerySet:
    """The notices past their due date without a response (逾期未反馈)."""
    return notices.filter(status__in=AWAITING_RESPONSE, due_on__lt=today or timezone.localdate())
