"""The action table (权限表): which roles may do which action, no Django.

:func:`egov.core.permissions.may` is the one check every view and endpoint uses;
this module is its table. Each action names the roles allowed, or one of three
audiences that need no role:

* ``EVERYONE``: anyone, anonymous visitors too (reading the region list);
* ``ANY_STAFF``: any active staff user holding any role, within that role's scope;
* ``PUBLIC_ACCOUNT``: an active citizen or enterprise account (their own business).

Later modules add their actions with :func:`register_action` when their app
loads (``AppConfig.ready``); registering the same action again with the same
roles is harmless, with other roles it is an error (two modules disagreeing).
"""

from __future__ import annotations

from collections.abc import Iterable

CLERK = "clerk"
DOCUMENT_CLERK = "document_clerk"
SUPERVISOR = "supervisor"
DUTY_OFFICER = "duty_officer"
EDITOR = "editor"
LEADER = "leader"
EGOV_OFFICE = "egov_office"
RA_OFFICER = "ra_officer"
AUDITOR = "auditor"
ADMINISTRATOR = "administrator"

ROLES = frozenset(
    {
        CLERK,
        DOCUMENT_CLERK,
        SUPERVISOR,
        DUTY_OFFICER,
        EDITOR,
        LEADER,
        EGOV_OFFICE,
        RA_OFFICER,
        AUDITOR,
        ADMINISTRATOR,
    }
)

EVERYONE = "@everyone"
ANY_STAFF = "@staff"
PUBLIC_ACCOUNT = "@public"
AUDIENCES = frozenset({EVERYONE, ANY_STAFF, PUBLIC_ACCOUNT})

ACTIONS: dict[str, frozenset[str]] = {}


class PolicyError(ValueError):
    """A malformed or conflicting action registration."""


def register_action(name: str, roles: Iterable[str]) -> None:
    """Add an action and the roles (or one audience) allowed to do it (登记权限)."""
    allowed = frozenset(roles)
    if not name or not isinstance(name, str) or "." not in name:
        raise PolicyError(f"action name must be 'area.verb', got {name!r}")
    unknown = allowed - ROLES - AUDIENCES
    if unknown or not allowed:
        raise PolicyError(f"{name}: unknown roles {sorted(unknown)} (known: {sorted(ROLES)})")
    if allowed & AUDIENCES and len(allowed) > 1:
        raise PolicyError(f"{name}: an audience ({sorted(allowed & AUDIENCES)}) stands alone")
    if name in ACTIONS and ACTIONS[name] != allowed:
        raise PolicyError(f"{name} is already registered with {sorted(ACTIONS[name])}")
    ACTIONS[name] = allowed


def allowed_roles(action: str) -> frozenset[str]:
    """The roles or audience allowed to do ``action``; empty for an unknown action."""
    return ACTIONS.get(action, frozenset())


def is_path_within(path: str, scope_path: str) -> bool:
    """Is the node at ``path`` in the subtree rooted at ``scope_path``? (``a/b/`` in ``a/``)."""
    return bool(scope_path) and path.startswith(scope_path)


CORE_ACTIONS: dict[str, Iterable[str]] = {
    "region.view": [EVERYONE],
    "organisation.view": [EVERYONE],
    "workbench.view": [ANY_STAFF],
    "account.view": [PUBLIC_ACCOUNT],
    "audit.view": [AUDITOR, ADMINISTRATOR],
    "outbox.manage": [ADMINISTRATOR],
    "admin.view": [ADMINISTRATOR],
    "organisation.manage": [ADMINISTRATOR, EGOV_OFFICE],
    "region.manage": [ADMINISTRATOR],
    "staff.manage": [ADMINISTRATOR],
    "role.grant": [ADMINISTRATOR],
    "apikey.manage": [ADMINISTRATOR],
    "calendar.manage": [ADMINISTRATOR, EGOV_OFFICE],
}

for _name, _roles in CORE_ACTIONS.items():
    register_action(_name, _roles)
