"""Deadline labels that match the case's stage (期限): 受理期限 first, then 承诺 and 法定."""

from __future__ import annotations

import re

import pytest

from egov.approvals.services import accept_case, request_supplement, submit_application
from egov.approvals.tests.conftest import FORM, good_files
from egov.core.testing import shanghai


@pytest.fixture
def case_received_thursday(time_machine, citizen, food_item):
    time_machine.move_to(shanghai(2026, 11, 26, 10))  # a Thursday
    return submit_application(
        applicant=citizen, item_code=food_item.code, form=FORM, files=good_files()
    )


def facts(client, case) -> dict[str, str]:
    page = client.get(f"/approvals/cases/{case.number}/").content.decode()
    found = re.findall(r'<dd id="(deadline-[a-z]+|clock-suspended)">(.*?)</dd>', page)
    return dict(found)


def test_before_acceptance_only_the_acceptance_window_is_a_deadline(
    client, case_received_thursday, clerk_daoli, time_machine
):
    time_machine.move_to(shanghai(2026, 11, 27, 10))
    client.force_login(clerk_daoli)
    shown = facts(client, case_received_thursday)
    assert set(shown) == {"deadline-acceptance", "deadline-pending"}
    assert shown["deadline-acceptance"] == "2026-12-03（已用 1 个工作日，剩余 4 个）"
    assert shown["deadline-pending"] == "受理后起算：承诺 5 个工作日，法定 10 个工作日"


def test_after_acceptance_promised_and_statutory_deadlines_count_from_it(
    client, case_received_thursday, clerk_daoli, time_machine
):
    accept_case(actor=clerk_daoli, number=case_received_thursday.number)
    time_machine.move_to(shanghai(2026, 11, 30, 10))  # Friday and Monday worked since
    client.force_login(clerk_daoli)
    shown = facts(client, case_received_thursday)
    assert set(shown) == {"deadline-promised", "deadline-statutory"}
    assert shown["deadline-promised"] == "2026-12-03（已用 2 个工作日，剩余 3 个）"
    assert shown["deadline-statutory"] == "2026-12-10（已用 2 个工作日，剩余 8 个）"


def test_a_suspended_clock_is_shown_as_such(client, case_received_thursday, clerk_daoli):
    request_supplement(
        actor=clerk_daoli,
        number=case_received_thursday.number,
        missing=[{"code": "PLAN", "reason": "不清晰"}],
    )
    client.force_login(clerk_daoli)
    assert facts(client, case_received_thursday)["clock-suspended"].startswith("暂停中")
