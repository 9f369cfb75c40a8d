"""Rule settings (规则设置): switch a rule on or off, or set its parameters, for a scope.

A setting applies province-wide (no department, no item), to one department,
or to one catalogue item; evaluation resolves item > department > province
(:func:`egov.supervision.judging.evaluation.resolve_rows`). Changing a province-wide
setting needs the supervise right over the whole province (a grant at the
root region); a department's or item's, the right over that department.
Parameters are checked against the rule's declared types; a refusal names
the field and writes nothing. Every change is audited and published
(``RuleSettingChanged``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from egov.core.events import publish
from egov.core.models import Organisation, Region
from egov.core.permissions import may
from egov.core.services.audit import record_audit
from egov.core.text_input import CODE_MAX, TextLimit, text_problems
from egov.supervision.errors import ErrorCode, SupervisionError
from egov.supervision.judging.rules import REGISTRY
from egov.supervision.judging.rules.base import check_parameters
from egov.supervision.models import ReferenceItem, RuleSetting
from egov.supervision.permissions import SUPERVISE

CODE = TextLimit(CODE_MAX)  # an organisation's or a catalogue item's code


def scope_object(department_code: str, item_code: str) -> tuple[Any, str]:
    """The object whose subtree the setting covers, and the department it names."""
    errors: dict[str, str] = {}
    if item_code:
        item = ReferenceItem.objects.filter(code=item_code).first()
        if item is None:
            errors["item_code"] = "unknown catalogue item"
        elif department_code and item.department_code != department_code:
            errors["item_code"] = f"the item belongs to {item.department_code}"
        else:
            department_code = item.department_code
    if errors:
        raise SupervisionError(ErrorCode.INVALID_INPUT, "bad scope", errors)
    if department_code:
        organisation = Organisation.objects.filter(code=department_code).first()
        if organisation is None:
            raise SupervisionError(
                ErrorCode.INVALID_INPUT, "bad scope", {"department_code": "unknown organisation"}
            )
        return organisation, department_code
    return Region.objects.filter(parent__isnull=True).order_by("code").first(), ""


def check_actor(actor: Any, target: Any) -> None:
    if isinstance(actor, str) and actor.strip():
        return
    if target is None or not may(actor, SUPERVISE, target):
        raise SupervisionError(ErrorCode.PERMISSION_DENIED, "not allowed: supervision.supervise")


def change_rule_setting(
    *,
    actor: Any,
    rule_code: str,
    department_code: str = "",
    item_code: str = "",
    enabled: bool = True,
    parameters: Mapping[str, Any] | None = None,
) -> RuleSetting:
    """Switch a rule on or off and set its parameters for a scope (设置规则); audited."""
    rule = REGISTRY.get(rule_code)
    if rule is None:
        raise SupervisionError(
            ErrorCode.INVALID_INPUT, "unknown rule", {"rule_code": "unknown rule"}
        )
    codes, errors = text_problems(
        {"department_code": (department_code, CODE), "item_code": (item_code, CODE)}
    )
    if errors:
        raise SupervisionError(ErrorCode.INVALID_INPUT, "bad scope", errors)
    department_code, item_code = codes["department_code"], codes["item_code"]
    try:
        values = check_parameters(rule, dict(parameters or {}))
    except ValueError as exc:
        fields = {f"parameters.{name}": why for name, why in exc.args[0].items()}
        raise SupervisionError(ErrorCode.INVALID_INPUT, "bad parameters", fields) from exc
    with transaction.atomic(durable=True):
        target, scope_department = scope_object(department_code, item_code)
        check_actor(actor, target)
        user = None if isinstance(actor, str) else actor
        setting, created = RuleSetting.objects.update_or_create(
            rule_code=rule_code,
            department_code=department_code,
            item_code=item_code,
            defaults={"enabled": enabled, "parameters": jsonable(values), "changed_by": user},
        )
        scope = item_code or department_code or "province"
        summary = f"{rule_code} @ {scope}: {'on' if enabled else 'off'} {jsonable(values)}"
        record_audit(
            actor=actor,
            action="supervision.RuleSettingChanged",
            object_type="supervision.RuleSetting",
            object_id=f"{rule_code}@{scope}"[:128],
            summary=summary[:500],
            organisation=scope_department[:32],
        )
        publish(
            "RuleSettingChanged",
            {
                "rule_code": rule_code,
                "department_code": department_code,
                "item_code": item_code,
                "enabled": enabled,
                "parameters": jsonable(values),
                "created": created,
            },
            aggregate=f"rule:{rule_code}",
        )
    return setting


def jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}


CATEGORY_ORDER = ("time", "fee", "data", "irregular", "catalogue", "review", "complaint")


def rule_table() -> list[dict[str, Any]]:
    """Every rule with its settings, for the rules page (selector)."""
    settings: dict[str, list[RuleSetting]] = {}
    for setting in RuleSetting.objects.order_by("rule_code", "department_code", "item_code"):
        settings.setdefault(setting.rule_code, []).append(setting)
    return [
        {"rule": rule, "settings": settings.get(code, [])}
        for code, rule in sorted(
            REGISTRY.items(), key=lambda pair: (CATEGORY_ORDER.index(pair[1].category), pair[0])
        )
    ]
