"""Approvals writes (办件操作), one module per family of writes."""

from egov.approvals.services.acceptance import accept_case, accept_deemed_applications, refuse_case
from egov.approvals.services.applications import (
    register_walk_in,
    submit_application,
    terminate_case,
    withdraw_application,
)
from egov.approvals.services.catalogue import save_service_item
from egov.approvals.services.common import access_case
from egov.approvals.services.decisions import (
    approve_case,
    approve_extension,
    conclude_case,
    deliver_case,
    deny_case,
    record_fee_payment,
)
from egov.approvals.services.licences import cancel_licence, revoke_licence
from egov.approvals.services.materials import open_material, record_refused_material_request
from egov.approvals.services.supplements import (
    end_special_procedure,
    receive_supplement,
    request_supplement,
    start_special_procedure,
)

__all__ = [
    "accept_case",
    "accept_deemed_applications",
    "access_case",
    "approve_case",
    "approve_extension",
    "cancel_licence",
    "conclude_case",
    "deliver_case",
    "deny_case",
    "end_special_procedure",
    "open_material",
    "receive_supplement",
    "record_fee_payment",
    "record_refused_material_request",
    "refuse_case",
    "register_walk_in",
    "request_supplement",
    "revoke_licence",
    "save_service_item",
    "start_special_procedure",
    "submit_application",
    "terminate_case",
    "withdraw_application",
]
