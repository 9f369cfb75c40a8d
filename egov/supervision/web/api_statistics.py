"""Statistics and early warnings over the API (/api/v1/supervision/statistics, /early-warnings).

Same selectors, scope and period parameters as the pages: a signed-in
session that may ``supervision.view``; 403 otherwise, 404 for a region
outside the viewer's scope, 400 naming the field for a bad period or dimension.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import django_auth

from egov.core.api_errors import ErrorOut
from egov.core.permissions import may
from egov.supervision import permissions
from egov.supervision.statistics import aggregates as stats
from egov.supervision.statistics.warning_alerts import department_warnings

router = Router(tags=["supervision"])


class FiguresOut(Schema):
    key: str
    code: str
    name: str
    received: int
    concluded: int
    judged: int
    on_time: int
    on_time_rate: float | None
    average_working_days: float | None
    open_cases: int
    yellow: int
    red: int
    findings: int
    red_findings: int
    findings_per_100: float | None


class StatisticsOut(Schema):
    start: str
    end: str
    by: str
    rows: list[FiguresOut]
    total: FiguresOut


class WarningOut(Schema):
    department_code: str
    department_name: str
    kind: str
    week: str
    observed: float
    baseline: float
    limit: float
    cases: int
    baseline_cases: int
    p_value: float | None
    z: float | None
    message: str


PROBLEMS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def figures_body(row: stats.Figures) -> dict[str, Any]:
    names = FiguresOut.model_fields
    return {name: getattr(row, name) for name in names}


def problem(status: int, code: str, message: str, fields: dict[str, str] | None = None) -> Any:
    errors = [{"field": name, "reason": why} for name, why in (fields or {}).items()]
    return Status(status, {"code": code, "message": message, "errors": errors})


def scope_or_problem(request: HttpRequest, region: str) -> Any:
    if not may(request.user, permissions.VIEW):
        return problem(403, "permission_denied", "supervision.view is needed")
    scope = stats.viewer_scope(request.user, region.strip())
    if scope is None:
        return problem(404, "not_found", "no such region in your scope", {"region": "not found"})
    return scope


@router.get("/statistics", response={200: StatisticsOut, **PROBLEMS}, auth=django_auth)
def statistics(
    request: HttpRequest,
    by: str = stats.REGION,
    month: str = "",
    start: str = "",
    end: str = "",
    region: str = "",
) -> Any:
    """Figures by region, department or item for a ``month`` or a range ``start``…``end``."""
    scope = scope_or_problem(request, region)
    if isinstance(scope, Status):
        return scope
    if by not in stats.DIMENSIONS:
        return problem(400, "invalid_input", "unknown dimension", {"by": "region|department|item"})
    try:
        period = stats.parse_period(month=month, start=start, end=end)
    except stats.PeriodError as exc:
        fields = {{"from": "start", "to": "end"}.get(k, k): v for k, v in exc.fields.items()}
        return problem(400, "invalid_input", "bad period", fields)
    rows = stats.grouped_figures(scope, by, period)
    return {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "by": by,
        "rows": [figures_body(row) for row in rows],
        "total": figures_body(stats.total_figures(scope, period)),
    }


@router.get("/early-warnings", response={200: list[WarningOut], **PROBLEMS}, auth=django_auth)
def early_warnings(request: HttpRequest, region: str = "") -> Any:
    """The departments in scope whose overdue rate or duration rose above their baseline."""
    scope = scope_or_problem(request, region)
    if isinstance(scope, Status):
        return scope
    return [
        {
            "department_code": item.department_code,
            "department_name": item.department_name,
            "kind": item.warning.kind,
            "week": str(item.warning.week),
            "observed": item.warning.observed,
            "baseline": item.warning.baseline,
            "limit": item.warning.limit,
            "cases": item.warning.cases,
            "baseline_cases": item.warning.baseline_cases,
            "p_value": item.warning.p_value,
            "z": item.warning.z,
            "message": item.message,
        }
        for item in department_warnings(scope)
    ]
