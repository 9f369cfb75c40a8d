"""The action table: registration rules and the core actions (no database)."""

from __future__ import annotations

import pytest

from egov.core import policy


@pytest.fixture
def clean_table():
    saved = dict(policy.ACTIONS)
    yield
    policy.ACTIONS.clear()
    policy.ACTIONS.update(saved)


def test_core_actions_name_their_roles():
    assert policy.allowed_roles("audit.view") == {"auditor", "administrator"}
    assert policy.allowed_roles("outbox.manage") == {"administrator"}
    assert policy.allowed_roles("organisation.manage") == {"administrator", "egov_office"}
    assert policy.allowed_roles("region.view") == {policy.EVERYONE}
    assert policy.allowed_roles("workbench.view") == {policy.ANY_STAFF}
    assert policy.allowed_roles("no.such") == frozenset()


def test_a_module_registers_its_action(clean_table):
    policy.register_action("case.accept", ["clerk"])
    assert policy.allowed_roles("case.accept") == {"clerk"}
    policy.register_action("case.accept", ["clerk"])  # same again: harmless


@pytest.mark.parametrize(
    ("name", "roles", "message"),
    [
        ("case.accept", ["clerk", "janitor"], "unknown roles"),
        ("case.accept", [], "unknown roles"),
        ("caseaccept", ["clerk"], "area.verb"),
        ("case.read", [policy.EVERYONE, "clerk"], "stands alone"),
        ("audit.view", ["clerk"], "already registered"),
    ],
)
def test_bad_registrations_are_refused(clean_table, name, roles, message):
    before = dict(policy.ACTIONS)
    with pytest.raises(policy.PolicyError, match=message):
        policy.register_action(name, roles)
    assert before == policy.ACTIONS


def test_subtree_paths():
    assert policy.is_path_within("1/21/164/", "1/21/")
    assert policy.is_path_within("1/21/", "1/21/")
    assert not policy.is_path_within("1/211/", "1/21/")
    assert not policy.is_path_within("1/", "1/21/")
    assert not policy.is_path_within("1/", "")
