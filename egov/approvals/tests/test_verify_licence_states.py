"""The public verification page in each state (ADR 0046, 0058): valid, revoked, cancelled,
not found; the case page offers the licence's acts to the roles that may take them; the API
answers the licence's state."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from egov.approvals.models import LicenceEnding
from egov.approvals.services import cancel_licence, revoke_licence
from egov.approvals.tests.conftest import nothing_written_nor_ended as nothing_written
from egov.core.testing import shanghai

FRAUD = "申请人提交的房屋租赁合同系伪造"


def verify(code: str, language: str = "zh-hans"):
    client = Client()  # nobody signed in
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    return client.get(f"/approvals/verify/{code}/")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_licence_in_force_is_valid(delivered_case):
    response = verify(delivered_case.verification_code)
    page = response.content.decode()
    assert response.status_code == 200
    assert "verify-valid" in page
    assert "真实有效" in page
    assert "已撤销" not in page
    assert "已注销" not in page


def test_a_revoked_licence_says_so_with_the_date_and_ground(
    time_machine, delivered_case, leader_daoli
):
    time_machine.move_to(shanghai(2026, 12, 3, 23, 30))  # already 4 December in the UTC+8 day
    revoke_licence(
        actor=leader_daoli, number=delivered_case.number, ground="improper_means", reason=FRAUD
    )
    response = verify(delivered_case.verification_code.lower())
    page = response.content.decode()
    assert response.status_code == 200
    assert "verify-revoked" in page
    assert "verify-valid" not in page
    assert "已撤销" in page
    assert "2026-12-03 被作出机关撤销" in page
    assert "被许可人以欺骗、贿赂等不正当手段取得行政许可" in page
    assert "第六十九条第二款" in page
    assert FRAUD not in page  # the category is public, the facts are not
    assert delivered_case.licence_number in page


def test_a_cancelled_licence_says_so_in_english_too(time_machine, licensed_case, clerk_daoli):
    time_machine.move_to(shanghai(2026, 12, 10, 9))
    cancel_licence(
        actor=clerk_daoli, number=licensed_case.number, ground="holder_died", reason="持证人死亡"
    )
    page = verify(licensed_case.verification_code).content.decode()
    assert "verify-cancelled" in page
    assert "已注销" in page
    assert "2026-12-10" in page
    assert "被许可的公民死亡或者丧失行为能力" in page
    english = verify(licensed_case.verification_code, "en").content.decode()
    assert "Cancelled" in english
    assert "2026-12-10" in english
    assert "The licensee (a person) died or lost legal capacity" in english


def test_an_unknown_code_is_not_found(delivered_case):
    response = verify("0" * 20)
    assert response.status_code == 404
    assert "verify-not-found" in response.content.decode()


def test_the_case_page_offers_each_role_its_acts(licensed_case, leader_daoli, clerk_daoli):
    leader_page = signed_in(leader_daoli).get(f"/approvals/cases/{licensed_case.number}/")
    assert 'id="revoke-licence"' in leader_page.content.decode()
    assert 'id="cancel-licence"' in leader_page.content.decode()
    clerk_page = signed_in(clerk_daoli).get(f"/approvals/cases/{licensed_case.number}/").content
    assert b'id="revoke-licence"' not in clerk_page
    assert b'id="cancel-licence"' in clerk_page


def test_the_page_needs_the_confirmation_then_shows_the_ending(licensed_case, leader_daoli):
    client = signed_in(leader_daoli)
    url = f"/approvals/cases/{licensed_case.number}/revoke_licence/"
    form = {"ground": "improper_means", "reason": FRAUD}
    with nothing_written():
        unconfirmed = client.post(url, form, follow=True)
    assert "确认撤销行政许可" in unconfirmed.content.decode()
    with nothing_written():
        no_reason = client.post(url, {"ground": "improper_means", "confirm": "yes"}, follow=True)
    assert "撤销理由：必填" in no_reason.content.decode()
    page = client.post(url, {**form, "confirm": "yes"}, follow=True).content.decode()
    assert LicenceEnding.objects.filter(case=licensed_case, kind="revoked").exists()
    assert 'id="licence-ending"' in page
    assert FRAUD in page
    assert 'id="revoke-licence"' not in page
    assert "撤销行政许可" in page  # the timeline's step


def test_the_api_revokes_and_answers_the_state(licensed_case, leader_daoli, clerk_daoli):
    url = f"/api/v1/approvals/cases/{licensed_case.number}/licence/revoke"
    body = {"ground": "unqualified_applicant", "reason": "经营场所不符合条件"}
    with nothing_written():
        forbidden = signed_in(clerk_daoli).post(url, body, content_type="application/json")
    assert (forbidden.status_code, forbidden.json()["code"]) == (403, "permission_denied")
    client = signed_in(leader_daoli)
    done = client.post(url, body, content_type="application/json")
    assert done.status_code == 200, done.content
    assert done.json()["licence_status"] == "revoked"
    assert done.json()["status"] == "approved"
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["errors"][0]["field"] == "licence_number"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_ground_label_is_in_the_catalogues(language):
    from egov.approvals.licence import ENDING_LABELS, GROUNDS

    with translation.override(language):
        for text in [g.label for g in GROUNDS.values()] + list(ENDING_LABELS.values()):
            shown = translation.gettext(text)
            assert shown.strip()
            assert (shown == text) == (language == "zh-hans"), text
