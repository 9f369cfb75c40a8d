"""The case page's timeline in plain words (办理过程): steps and people, not event types."""

from __future__ import annotations

import re

import pytest

from egov.approvals.services import accept_case, request_supplement
from egov.core.testing import make_staff, shanghai


@pytest.fixture(autouse=True)
def moment(time_machine):
    time_machine.move_to(shanghai(2026, 11, 26, 10))


@pytest.fixture
def clerk_wang(daoli_market):
    return make_staff("clerk_wang", "230102-SCJG", ("clerk",), display_name="王敏")


def timeline_rows(page: str) -> list[list[str]]:
    table = page[page.index('id="timeline"') :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    return [re.findall(r"<td>(.*?)</td>", row)[1:] for row in re.findall(r"<tr>(.*?)</tr>", body)]


def test_steps_and_actors_are_named_as_people_know_them(
    client, submitted_case, clerk_wang, citizen
):
    request_supplement(
        actor=clerk_wang,
        number=submitted_case.number,
        missing=[{"code": "PLAN", "reason": "不清晰"}],
    )
    client.force_login(citizen)
    page = client.get(f"/approvals/cases/{submitted_case.number}/").content.decode()
    assert timeline_rows(page) == [
        ["提交申请", "张三（申请人）"],
        ["补正告知", "王敏（哈尔滨市道里区市场监督管理局）"],
    ]
    assert "SupplementRequested" not in page
    assert "clerk_wang" not in page


def test_a_second_notice_and_an_acceptance_say_so(client, submitted_case, clerk_wang):
    number = submitted_case.number
    accept_case(actor=clerk_wang, number=number)
    client.force_login(clerk_wang)
    page = client.get(f"/approvals/cases/{number}/").content.decode()
    assert [step for step, _ in timeline_rows(page)] == ["提交申请", "受理"]
