"""The supervision actions and the roles that may take them (电子监察权限).

Supervision objects (cases, findings, notices) sit in a region: a role held at
an organisation covers the cases of its region's subtree, so a city's
supervisor sees that city's cities and counties, the province's sees all.
A department answers a notice through the roles held at that department.
"""

from __future__ import annotations

VIEW = "supervision.view"  # dashboards, cases, findings, statistics, exports
SUPERVISE = "supervision.supervise"  # issue notices, accept, close, escalate, cards, rules
RESPOND = "supervision.respond"  # a department explains or rectifies (整改) a notice
INGEST = "supervision.ingest"  # an operator imports legacy exports
COMPLAIN = "supervision.complain"  # a citizen or enterprise complains about handling (效能投诉)

SUPERVISOR, LEADER, CLERK = "supervisor", "leader", "clerk"

ACTION_ROLES: dict[str, tuple[str, ...]] = {
    VIEW: (SUPERVISOR, LEADER),
    SUPERVISE: (SUPERVISOR,),
    RESPOND: (LEADER, CLERK),
    INGEST: (SUPERVISOR,),
    COMPLAIN: ("@public",),
}
