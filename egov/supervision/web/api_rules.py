"""The rules over the API (/api/v1/supervision/rules…): read them, change a setting.

The same service as the rules page (:mod:`egov.supervision.judging.rule_settings`),
with a signed-in session. Refusals answer ``{"code", "message", "errors":
[{"field", "reason"}]}``: 400 bad input (``parameters.min_count``), 403 no
right over the scope.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import django_auth

from egov.core.permissions import may
from egov.core.schema_text import CodeText
from egov.supervision import permissions
from egov.supervision.errors import ErrorCode, SupervisionError
from egov.supervision.judging.rule_settings import change_rule_setting, rule_table
from egov.supervision.web.api_findings import PROBLEMS, ErrorOut

router = Router(tags=["supervision"])


class ParamOut(Schema):
    name: str
    default: Any
    label: str
    type: str


class SettingOut(Schema):
    rule_code: str
    department_code: str
    item_code: str
    enabled: bool
    parameters: dict[str, Any]


class RuleOut(Schema):
    code: str
    category: str
    name: str
    basis: str
    severity: str
    scope: str
    description: str
    params: list[ParamOut]
    settings: list[SettingOut]


class SettingIn(Schema):
    department_code: CodeText = ""
    item_code: CodeText = ""
    enabled: bool = True
    parameters: dict[str, Any] = {}


def rule_out(entry: dict[str, Any]) -> dict[str, Any]:
    rule = entry["rule"]
    return {
        "code": rule.code,
        "category": rule.category,
        "name": rule.name,
        "basis": rule.basis,
        "severity": rule.severity,
        "scope": rule.scope.value,
        "description": rule.description,
        "params": [
            {
                "name": p.name,
                "default": list(p.default) if isinstance(p.default, tuple) else p.default,
                "label": p.label,
                "type": p.kind.__name__,
            }
            for p in rule.params
        ],
        "settings": entry["settings"],
    }


def forbidden(action: str) -> Status:
    return Status(403, {"code": ErrorCode.PERMISSION_DENIED, "message": f"not allowed: {action}"})


@router.get("/rules", response={200: list[RuleOut], 403: ErrorOut}, auth=django_auth)
def list_rules(request: HttpRequest) -> Any:
    """Every rule with its legal basis, parameters and settings (监察规则)."""
    if not may(request.user, permissions.VIEW):
        return forbidden(permissions.VIEW)
    return [rule_out(entry) for entry in rule_table()]


@router.put("/rules/{code}/settings", response={200: SettingOut} | PROBLEMS, auth=django_auth)
def put_rule_setting(request: HttpRequest, code: str, body: SettingIn) -> Any:
    """Switch a rule on or off and set its parameters, province-wide or for a department or item."""
    if not may(request.user, permissions.SUPERVISE):
        return forbidden(permissions.SUPERVISE)
    try:
        return change_rule_setting(
            actor=request.user,
            rule_code=code,
            department_code=body.department_code,
            item_code=body.item_code,
            enabled=body.enabled,
            parameters=body.parameters,
        )
    except SupervisionError as exc:
        return Status(403 if exc.code == ErrorCode.PERMISSION_DENIED else 400, exc.as_dict())
