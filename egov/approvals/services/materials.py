"""Opening a case's materials (查看申请材料): audited, behind the case's access check.

A material is reached only through :func:`access_case`: the applicant and the
staff who may see the case open it; anyone else, like a request for a case or
material that does not exist, gets not found and a security event.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from egov.approvals.errors import ApprovalError, ErrorCode
from egov.approvals.models import CaseMaterial
from egov.approvals.services.common import access_case, actor_of
from egov.core.models import SecurityEvent
from egov.core.services.audit import record_audit
from egov.core.services.security import record_security_event


def open_material(*, actor: Any, number: str, material_id: int) -> CaseMaterial:
    """The material if the actor may see its case (查看材料); the view is audited."""
    with transaction.atomic(durable=True):
        case = access_case(actor, number, lock=False)
        material = case.case_materials.filter(pk=material_id).first()
        if material is None:
            raise ApprovalError(
                ErrorCode.NOT_FOUND, f"no material {material_id} in case {case.number}"
            )
        record_audit(
            actor=actor,
            action="approvals.material_viewed",
            object_type="approvals.CaseMaterial",
            object_id=f"{case.number}/{material.pk}",
            summary=f"查看材料：{material.name}（{material.file_name}）",
            organisation=actor_of(actor, case)["organisation"] or case.department.code,
        )
        return material


def record_refused_material_request(*, request: Any, number: str, material_id: int) -> None:
    """A material asked for that the requester may not see, or that does not exist (越权访问)."""
    user = getattr(request, "user", None)
    record_security_event(
        kind=SecurityEvent.Kind.ACCESS_REFUSED,
        request=request,
        user=user if getattr(user, "is_authenticated", False) else None,
        detail={"object": "approvals.CaseMaterial", "case": str(number)[:32], "id": material_id},
    )
