"""The rules page (监察规则): every rule with its legal basis, parameters and settings.

Anyone with the view right reads it; a supervisor switches a rule on or off,
or sets its parameters, province-wide or for a department or a catalogue
item (:func:`egov.supervision.judging.rule_settings.change_rule_setting`). A refused
change comes back as the same page with the reason beside the field (400).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.core.models import User
from egov.core.permissions import may
from egov.supervision import permissions
from egov.supervision.errors import SupervisionError
from egov.supervision.judging.rule_settings import change_rule_setting, rule_table
from egov.supervision.judging.rules import REGISTRY

CATEGORY_LABELS = {
    "time": gettext_lazy("时限判别"),
    "fee": gettext_lazy("收费监督"),
    "data": gettext_lazy("资料数据对比"),
    "irregular": gettext_lazy("异常处理监督"),
    "catalogue": gettext_lazy("事前：事项目录"),
    "review": gettext_lazy("事后：随机抽查"),
}
SEVERITY_LABELS = {
    "info": gettext_lazy("提示"),
    "yellow": gettext_lazy("黄色"),
    "red": gettext_lazy("红色"),
}


def viewer(request: HttpRequest) -> User:
    user = request.user
    if (
        not isinstance(user, User)
        or user.kind != User.Kind.STAFF
        or not may(user, permissions.VIEW)
    ):
        raise PermissionDenied
    return user


def translated(text: str) -> str:
    return _(text) if text else ""


def rows() -> list[dict[str, Any]]:
    """The rules as the page shows them, names and labels translated."""
    table = []
    for entry in rule_table():
        rule = entry["rule"]
        table.append(
            {
                "code": rule.code,
                "category": CATEGORY_LABELS.get(rule.category, rule.category),
                "name": translated(rule.name),
                "basis": rule.basis,
                "description": translated(rule.description),
                "severity": SEVERITY_LABELS.get(rule.severity, rule.severity),
                "severity_code": rule.severity,
                "scope": rule.scope.value,
                "params": [
                    {
                        "name": p.name,
                        "label": translated(p.label),
                        "default": ", ".join(p.default)
                        if isinstance(p.default, tuple)
                        else p.default,
                        "type": p.kind.__name__,
                    }
                    for p in rule.params
                ],
                "settings": entry["settings"],
            }
        )
    return table


def page(
    request: HttpRequest,
    user: User,
    errors: dict[str, str] | None = None,
    posted: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "rules": rows(),
        "may_supervise": may(user, permissions.SUPERVISE),
        "errors": errors or {},
        "posted": posted or {},
    }
    return render(request, "supervision/rules/list.html", context, status=status)


def parameters_from(request: HttpRequest, rule_code: str) -> dict[str, str]:
    rule = REGISTRY.get(rule_code)
    if rule is None:
        return {}
    values = {}
    for param in rule.params:
        raw = request.POST.get(f"param_{param.name}", "").strip()
        if raw:
            values[param.name] = raw
    return values


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    """监察规则: read by viewers; supervisors change a rule's setting by POST."""
    user = viewer(request)
    if request.method != "POST":
        return page(request, user)
    if not may(user, permissions.SUPERVISE):
        raise PermissionDenied
    post = request.POST
    rule_code = post.get("rule_code", "").strip()
    try:
        change_rule_setting(
            actor=user,
            rule_code=rule_code,
            department_code=post.get("department_code", "")[:32],
            item_code=post.get("item_code", "")[:48],
            enabled=post.get("enabled") == "on",
            parameters=parameters_from(request, rule_code),
        )
    except SupervisionError as error:
        if error.code == "permission_denied":
            raise PermissionDenied from error
        errors = dict(error.fields) or {"rule_code": error.message}
        return page(request, user, errors, post.dict(), status=400)
    messages.success(request, _("规则设置已保存。"))
    return redirect("supervision:rules")
