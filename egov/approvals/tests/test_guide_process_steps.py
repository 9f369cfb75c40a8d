"""The guide's process steps (办理流程): a step without its own limit says 即时办理, not 0 days."""

from __future__ import annotations

import re

import pytest

from egov.approvals.services import save_service_item
from egov.approvals.tests.conftest import FOOD_ITEM
from egov.core.testing import shanghai

SAME_DAY_STEPS = [
    {"name": "受理", "role": "clerk", "limit_days": 0},
    {"name": "审查", "role": "clerk", "limit_days": 3},
    {"name": "决定", "role": "leader", "limit_days": 1},
    {"name": "办结", "role": "clerk", "limit_days": 0},
]


@pytest.fixture(autouse=True)
def moment(time_machine):
    time_machine.move_to(shanghai(2026, 11, 26, 10))


def test_steps_without_a_limit_of_their_own_are_done_at_once(client, daoli_market):
    spec = {**FOOD_ITEM, "process": SAME_DAY_STEPS}
    item = save_service_item(actor="system", department=daoli_market, spec=spec)
    page = client.get(f"/approvals/items/{item.code}/").content.decode()
    steps = re.findall(r"<li>(受理|审查|决定|办结)（(.*?)）</li>", page)
    assert steps == [
        ("受理", "办件人员，即时办理"),
        ("审查", "办件人员，3 个工作日"),
        ("决定", "领导，1 个工作日"),
        ("办结", "办件人员，即时办理"),
    ]
    assert "（办件人员，0 个工作日）" not in page
