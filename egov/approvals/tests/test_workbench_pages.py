"""The staff queue (我的待办) with clock lights and filters, and the case page with its actions."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from egov.approvals.clock import SHANGHAI
from egov.approvals.models import Case
from egov.approvals.services import accept_case, submit_application
from egov.approvals.services.clocks import recompute_case_clocks
from egov.approvals.tests.conftest import FORM, good_files, nothing_written


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def make_cases(citizen, item, count: int) -> list[Case]:
    return [
        submit_application(applicant=citizen, item_code=item.code, form=FORM, files=good_files())
        for _ in range(count)
    ]


def test_the_queue_lists_my_open_cases_most_urgent_first(
    citizen, food_item, clerk_daoli, time_machine
):
    time_machine.move_to(dt.datetime(2026, 11, 30, 9, tzinfo=SHANGHAI))
    fresh, old = make_cases(citizen, food_item, 2)
    long_ago = dt.datetime(2026, 10, 30, 9, tzinfo=SHANGHAI)  # 21 working days before
    Case.objects.filter(pk=old.pk).update(received_at=long_ago)  # deemed accepted, overdue
    recompute_case_clocks()  # a raw update behind the services' back: store its clock again
    response = signed_in(clerk_daoli).get("/approvals/")
    assert response.status_code == 200
    text = response.content.decode()
    assert text.index(old.number) < text.index(fresh.number)
    assert '<span class="status alarm" title="red">超期</span>' in text  # red, not greyed out
    red_only = signed_in(clerk_daoli).get("/approvals/", {"light": "red"}).content.decode()
    assert old.number in red_only
    assert fresh.number not in red_only


def test_filters_by_status_and_search(citizen, food_item, clerk_daoli):
    first, second = make_cases(citizen, food_item, 2)
    accept_case(actor=clerk_daoli, number=first.number)
    client = signed_in(clerk_daoli)
    accepted = client.get("/approvals/", {"status": "accepted"}).content.decode()
    assert first.number in accepted
    assert second.number not in accepted
    found = client.get("/approvals/", {"q": second.number}).content.decode()
    assert second.number in found
    assert first.number not in found
    partial = client.get("/approvals/", {"q": "x"}, headers={"HX-Request": "true"})
    assert b"<html" not in partial.content  # htmx gets only the rows


def test_a_clerk_of_another_city_sees_an_empty_queue_and_no_case(submitted_case, clerk_qiqihar):
    client = signed_in(clerk_qiqihar)
    assert submitted_case.number not in client.get("/approvals/").content.decode()
    assert client.get(f"/approvals/cases/{submitted_case.number}/").status_code == 404


def test_citizens_may_not_open_the_queue(citizen):
    assert signed_in(citizen).get("/approvals/").status_code == 403


def test_the_case_page_shows_timeline_and_next_actions_and_acts(submitted_case, clerk_daoli):
    client = signed_in(clerk_daoli)
    page = client.get(f"/approvals/cases/{submitted_case.number}/").content.decode()
    assert "<td>提交申请</td>" in page
    assert f"/approvals/cases/{submitted_case.number}/accept/" in page
    assert f"/approvals/cases/{submitted_case.number}/approve/" not in page
    response = client.post(f"/approvals/cases/{submitted_case.number}/accept/", {"note": "齐全"})
    assert response.status_code == 302
    assert Case.objects.get(pk=submitted_case.pk).status == "accepted"


def test_a_refused_action_comes_back_as_a_form_error(submitted_case, clerk_daoli):
    client = signed_in(clerk_daoli)
    with nothing_written():
        response = client.post(
            f"/approvals/cases/{submitted_case.number}/refuse/",
            {"reasons": "", "confirm": "yes"},
            follow=True,
        )
    text = response.content.decode()
    assert "操作未完成：填写内容有误。不予受理理由：必填" in text
    assert "invalid_input" not in text
