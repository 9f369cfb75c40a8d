"""Early warnings of departments (部门预警): computed for a scope, and sent to supervisors.

:func:`department_warnings` runs the pure tests of :mod:`egov.supervision.statistics.warning`
on each department's weekly figures
(:func:`egov.supervision.statistics.aggregates.department_weeks`):
both the week in progress and the last complete week are tested against the
eight weeks before each. :func:`send_early_warning_alerts` writes one Alert
(kind ``early_warning``) per warning and supervisor whose region covers the
department, once (the fingerprint names the person, department, test and week).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.events import publish
from egov.core.models import Organisation, RoleAssignment
from egov.core.services.audit import record_audit
from egov.supervision import permissions
from egov.supervision.models import Alert, Severity
from egov.supervision.statistics.aggregates import DepartmentWeeks, ViewScope, department_weeks
from egov.supervision.statistics.warning import (
    OVERDUE_RATE,
    EarlyWarning,
    WarningSettings,
    early_warnings,
)

KIND_EARLY_WARNING = "early_warning"
PROVINCE = ViewScope(("",))  # every region path starts with ""


@dataclass(frozen=True)
class DepartmentWarning:
    """An early warning about one department."""

    department_code: str
    department_name: str
    region_path: str
    warning: EarlyWarning

    @property
    def title(self) -> str:
        if self.warning.kind == OVERDUE_RATE:
            return _("超期率异常上升")
        return _("平均用时异常上升")

    @property
    def message(self) -> str:
        """One line for a person: who, what, how far from the baseline."""
        return f"{self.department_name}{self.title}：{self.figures}"

    @property
    def figures(self) -> str:
        """The week's figure against the baseline, in words."""
        w = self.warning
        if w.kind == OVERDUE_RATE:
            return _("%(week)s 当周超期率 %(rate).1f%%，基线 %(base).1f%%（%(n)d 件）") % {
                "week": w.week,
                "rate": 100 * w.observed,
                "base": 100 * w.baseline,
                "n": w.cases,
            }
        return _("%(week)s 当周平均用时 %(mean).1f 个工作日，基线 %(base).1f（%(n)d 件）") % {
            "week": w.week,
            "mean": w.observed,
            "base": w.baseline,
            "n": w.cases,
        }


def weeks_needed(settings: WarningSettings | None = None) -> int:
    """Weeks of figures the tests need: the baseline, the last complete week, this week."""
    return (settings or WarningSettings()).baseline_weeks + 2


def department_warnings(
    scope: ViewScope,
    today: dt.date | None = None,
    settings: WarningSettings | None = None,
    series: list[DepartmentWeeks] | None = None,
) -> list[DepartmentWarning]:
    """Warnings of the scope's departments, the latest week's first if both weeks are flagged.

    ``series`` are the departments' weekly figures if the caller has them already.
    """
    settings = settings or WarningSettings()
    today = today or timezone.localdate()
    if series is None:
        series = department_weeks(scope, today, weeks_needed(settings))
    names = dict(
        Organisation.objects.filter(code__in=[s.department_code for s in series]).values_list(
            "code", "name"
        )
    )
    found = []
    for department in series:
        kinds: set[str] = set()
        for weeks in (department.weeks, department.weeks[:-1]):  # this week, then the last
            for warning in early_warnings(weeks, settings):
                if warning.kind not in kinds:
                    kinds.add(warning.kind)
                    name = names.get(department.department_code, department.department_code)
                    found.append(
                        DepartmentWarning(
                            department.department_code, name, department.region_path, warning
                        )
                    )
    return found


def supervisors() -> list[tuple[int, str]]:
    """(user id, region path) of every active supervisor's grant at an active organisation."""
    return list(
        RoleAssignment.objects.filter(
            role__in=[permissions.SUPERVISOR],
            user__is_active=True,
            organisation__is_active=True,
        ).values_list("user_id", "organisation__region__path")
    )


def fingerprint(user_id: int, item: DepartmentWarning) -> str:
    text = f"{KIND_EARLY_WARNING}:{user_id}:{item.department_code}:{item.warning.kind}:"
    return hashlib.sha256(f"{text}{item.warning.week}".encode()).hexdigest()


def send_early_warning_alerts(*, actor: Any = "system", today: dt.date | None = None) -> int:
    """Alert every supervisor covering a warned department, once per warning; how many new.

    One transaction: the alerts, an ``EarlyWarningRaised`` event per new
    warning and supervisor set, and one audit entry.
    """
    with transaction.atomic(durable=True):
        now = timezone.now()
        warnings = department_warnings(PROVINCE, today)
        grants = supervisors()
        created = 0
        for item in warnings:
            recipients = {uid for uid, path in grants if item.region_path.startswith(path)}
            new = [
                Alert(
                    recipient_id=uid,
                    kind=KIND_EARLY_WARNING,
                    level=Severity.YELLOW,
                    message=item.message[:300],
                    fingerprint=fingerprint(uid, item),
                    created_at=now,
                )
                for uid in sorted(recipients)
                if not Alert.objects.filter(fingerprint=fingerprint(uid, item)).exists()
            ]
            if new:
                Alert.objects.bulk_create(new, ignore_conflicts=True)  # a parallel run: no error
                created += len(new)
                publish(
                    "EarlyWarningRaised",
                    warning_payload(item, len(new)),
                    aggregate=item.department_code,
                )
        record_audit(
            actor=actor,
            action="supervision.early_warning_alerts",
            object_type="supervision.alert",
            summary=f"early warnings {len(warnings)}, alerts sent {created}",
        )
    return created


def warning_payload(item: DepartmentWarning, recipients: int) -> dict[str, Any]:
    w = item.warning
    return {
        "department_code": item.department_code,
        "kind": w.kind,
        "week": str(w.week),
        "observed": w.observed,
        "baseline": w.baseline,
        "cases": w.cases,
        "baseline_cases": w.baseline_cases,
        "p_value": w.p_value,
        "z": w.z,
        "recipients": recipients,
    }
