"""The grounds for ending a licence and the workflow's licence actions: pure, no database."""

from __future__ import annotations

import pytest

from egov.approvals.licence import GROUNDS, Ending, ground_problem, grounds_for, legal_basis
from egov.approvals.workflow import Action, Status, allowed_actions

LICENCE_ACTIONS = {Action.REVOKE_LICENCE, Action.CANCEL_LICENCE}


def test_each_act_cites_its_own_article():
    for ground in grounds_for(Ending.REVOKED):
        assert ground.article.startswith("第六十九条"), ground
    for ground in grounds_for(Ending.CANCELLED):
        assert ground.article.startswith("第七十条"), ground
    assert len(GROUNDS) == len(grounds_for(Ending.REVOKED)) + len(grounds_for(Ending.CANCELLED))


def test_a_ground_belongs_to_one_act():
    assert ground_problem(Ending.REVOKED, "improper_means") == ""
    assert ground_problem(Ending.CANCELLED, "improper_means").startswith("must be one of: expired")
    assert ground_problem(Ending.REVOKED, "nonsense").startswith("must be one of: abuse_of_power")


def test_the_provision_named_follows_the_article():
    other = GROUNDS["other_revocation"]
    assert other.needs_provision
    assert legal_basis(other, "《某条例》第十条") == (
        "《中华人民共和国行政许可法》第六十九条第一款第（五）项；《某条例》第十条"
    )
    assert legal_basis(GROUNDS["expired"], "") == "《中华人民共和国行政许可法》第七十条第（一）项"


@pytest.mark.parametrize("status", [Status.APPROVED, Status.CONCLUDED, Status.DELIVERED])
def test_the_licence_actions_need_a_licence_in_force(status):
    assert set(allowed_actions(status, licence_in_force=True)) >= LICENCE_ACTIONS
    assert not LICENCE_ACTIONS & set(allowed_actions(status))


@pytest.mark.parametrize("status", [Status.ACCEPTED, Status.DENIED, Status.REFUSED])
def test_no_licence_action_before_or_without_a_grant(status):
    assert not LICENCE_ACTIONS & set(allowed_actions(status, licence_in_force=True))
