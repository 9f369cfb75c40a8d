"""The approvals actions and the roles that may take them (权限).

Checked through the one permission check, ``egov.core.permissions.may``. An
action's scope is the case's department: a role held at an organisation
covers its subtree, so a provincial clerk does not act on a county's case
unless the policy says so.
"""

from __future__ import annotations

VIEW_CASE = "approvals.view_case"
REGISTER_WALK_IN = "approvals.register_walk_in"
ACCEPT = "approvals.accept"
REFUSE = "approvals.refuse"
REQUEST_SUPPLEMENT = "approvals.request_supplement"
RECEIVE_SUPPLEMENT = "approvals.receive_supplement"
SPECIAL_PROCEDURE = "approvals.special_procedure"
APPROVE_EXTENSION = "approvals.approve_extension"
DECIDE = "approvals.decide"
CONCLUDE = "approvals.conclude"
DELIVER = "approvals.deliver"
TERMINATE = "approvals.terminate"
RECORD_FEE = "approvals.record_fee"
MANAGE_CATALOGUE = "approvals.manage_catalogue"
REVOKE_LICENCE = "approvals.revoke_licence"
CANCEL_LICENCE = "approvals.cancel_licence"

CLERK, LEADER, SUPERVISOR = "clerk", "leader", "supervisor"

ACTION_ROLES: dict[str, tuple[str, ...]] = {
    VIEW_CASE: (CLERK, LEADER, SUPERVISOR),
    REGISTER_WALK_IN: (CLERK,),
    ACCEPT: (CLERK,),
    REFUSE: (CLERK,),
    REQUEST_SUPPLEMENT: (CLERK,),
    RECEIVE_SUPPLEMENT: (CLERK,),
    SPECIAL_PROCEDURE: (CLERK,),
    APPROVE_EXTENSION: (LEADER,),
    DECIDE: (LEADER,),
    CONCLUDE: (CLERK,),
    DELIVER: (CLERK,),
    TERMINATE: (LEADER,),
    RECORD_FEE: (CLERK,),
    MANAGE_CATALOGUE: (LEADER,),
    # 撤销 undoes a decision, so it is a decision too: a leader's (ADR 0058).
    REVOKE_LICENCE: (LEADER,),
    # 注销 completes the formalities of a licence that has ended (办理注销手续).
    CANCEL_LICENCE: (CLERK, LEADER),
}

# The permission each workflow action's service checks (by the action's name in
# ``egov.approvals.workflow.Action``). The case page offers a member of staff
# only the actions it would allow; withdrawal is the applicant's own.
ACTION_PERMISSIONS: dict[str, str] = {
    "accept": ACCEPT,
    "refuse": REFUSE,
    "request_supplement": REQUEST_SUPPLEMENT,
    "receive_supplement": RECEIVE_SUPPLEMENT,
    "start_special_procedure": SPECIAL_PROCEDURE,
    "end_special_procedure": SPECIAL_PROCEDURE,
    "extend": APPROVE_EXTENSION,
    "approve": DECIDE,
    "deny": DECIDE,
    "conclude": CONCLUDE,
    "deliver": DELIVER,
    "terminate": TERMINATE,
    "record_fee": RECORD_FEE,
    "revoke_licence": REVOKE_LICENCE,
    "cancel_licence": CANCEL_LICENCE,
}
