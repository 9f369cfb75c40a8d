"""The staff case page: irreversible steps need the server-checked confirm box (不予受理,
终止办理), and the page links to the next case in the clerk's queue order (下一件)."""

from __future__ import annotations

import pytest
from django.test import Client

from egov.approvals.models import Case
from egov.approvals.services import submit_application
from egov.approvals.tests.conftest import FORM, good_files, nothing_written
from egov.core.testing import shanghai


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def three_cases(time_machine, citizen, food_item) -> list[Case]:
    """Three applications, received Monday, Tuesday and Wednesday (most urgent first)."""
    cases = []
    for day in (23, 24, 25):
        time_machine.move_to(shanghai(2026, 11, day, 10))
        cases.append(
            submit_application(
                applicant=citizen, item_code=food_item.code, form=FORM, files=good_files()
            )
        )
    time_machine.move_to(shanghai(2026, 11, 26, 10))
    return cases


@pytest.mark.parametrize(
    ("action", "fields", "words"),
    [
        ("refuse", {"reasons": "不属于本机关职权范围"}, "确认不予受理"),
        ("terminate", {"reason": "申请人死亡"}, "确认终止办理"),
    ],
)
def test_an_irreversible_step_without_its_confirmation_is_refused(
    three_cases, clerk_daoli, leader_daoli, action, fields, words
):
    case = three_cases[0]
    actor = clerk_daoli if action == "refuse" else leader_daoli
    url = f"/approvals/cases/{case.number}/{action}/"
    with nothing_written():
        response = signed_in(actor).post(url, fields, follow=True)
        refused = signed_in(actor).post(url, {**fields, "confirm": "on"}, follow=True)
    assert f"操作未完成：请勾选“{words}”后再提交。" in response.content.decode()
    assert f"操作未完成：请勾选“{words}”后再提交。" in refused.content.decode()
    assert Case.objects.get(pk=case.pk).status == "submitted"


@pytest.mark.parametrize(
    ("action", "fields", "status"),
    [
        ("refuse", {"reasons": "不属于本机关职权范围"}, "refused"),
        ("terminate", {"reason": "申请人死亡"}, "terminated"),
    ],
)
def test_a_confirmed_irreversible_step_is_taken(
    three_cases, clerk_daoli, leader_daoli, action, fields, status
):
    case = three_cases[0]
    actor = clerk_daoli if action == "refuse" else leader_daoli
    url = f"/approvals/cases/{case.number}/{action}/"
    signed_in(actor).post(url, {**fields, "confirm": "yes"})
    assert Case.objects.get(pk=case.pk).status == status


def test_the_form_asks_for_the_confirmation(three_cases, clerk_daoli):
    page = signed_in(clerk_daoli).get(f"/approvals/cases/{three_cases[0].number}/").content
    text = page.decode()
    assert 'name="confirm" value="yes" required' in text
    assert "确认不予受理" in text
    assert "<script" not in text.split('id="actions"')[1]  # no inline script: the CSP forbids it


def test_the_case_page_links_to_the_next_case_in_queue_order(three_cases, clerk_daoli):
    first, second, third = three_cases
    client = signed_in(clerk_daoli)
    queue = client.get("/approvals/").content.decode()
    assert queue.index(first.number) < queue.index(second.number) < queue.index(third.number)
    page = client.get(f"/approvals/cases/{first.number}/").content.decode()
    assert f'href="/approvals/cases/{second.number}/" id="next-case"' in page
    page = client.get(f"/approvals/cases/{second.number}/").content.decode()
    assert f'href="/approvals/cases/{third.number}/" id="next-case"' in page
    last = client.get(f"/approvals/cases/{third.number}/").content.decode()
    assert 'id="next-case"' not in last


def test_the_applicant_gets_no_next_case_link(three_cases, citizen):
    page = signed_in(citizen).get(f"/approvals/cases/{three_cases[0].number}/").content.decode()
    assert 'id="next-case"' not in page


def test_the_light_and_deadline_stand_at_the_top(three_cases, clerk_daoli):
    page = signed_in(clerk_daoli).get(f"/approvals/cases/{three_cases[2].number}/").content
    head = page.decode().split('<div class="grid grid-sidebar">')[0]
    assert 'id="case-light"' in head
    assert 'id="head-deadline">受理期限 2026-12-02（剩余 4 个工作日）' in head


def test_the_actions_stand_by_stage_and_the_first_field_has_the_focus(three_cases, clerk_daoli):
    page = signed_in(clerk_daoli).get(f"/approvals/cases/{three_cases[0].number}/").content
    actions = page.decode().split('id="actions"')[1]
    assert actions.index("<h3>受理</h3>") < actions.index("不予受理")
    assert "<h3>决定</h3>" not in actions  # nothing to decide before acceptance
    assert actions.count("autofocus") == 1
    assert '<input name="note" autofocus>' in actions  # the acceptance note comes first
    assert "撤回申请" not in actions  # the applicant's action is not the clerk's


def test_only_the_actions_the_user_may_take_are_offered(three_cases, clerk_daoli, leader_daoli):
    url = f"/approvals/cases/{three_cases[0].number}/"
    clerk = signed_in(clerk_daoli).get(url).content.decode().split('id="actions"')[1]
    leader = signed_in(leader_daoli).get(url).content.decode().split('id="actions"')[1]
    assert "/terminate/" not in clerk  # 终止办理 is the leader's (the service refuses a clerk)
    assert "<h3>撤回与终止</h3>" not in clerk
    assert "/accept/" in clerk
    assert "/terminate/" in leader
    assert "/accept/" not in leader  # 受理 is the clerk's


def test_every_staff_action_names_the_permission_its_service_checks():
    from egov.approvals.permissions import ACTION_PERMISSIONS, ACTION_ROLES
    from egov.approvals.workflow import Action

    assert set(ACTION_PERMISSIONS) == {a.value for a in Action} - {"withdraw"}
    assert set(ACTION_PERMISSIONS.values()) <= set(ACTION_ROLES)
