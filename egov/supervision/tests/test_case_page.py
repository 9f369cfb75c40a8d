"""The case page /supervision/cases/<number>/: the engine's view beside the department's claims."""

from __future__ import annotations

import pytest
from django.test import Client

from egov.core.testing import make_organisation, make_staff, shanghai
from egov.supervision.collection.ingest import ingest_events
from egov.supervision.models import Finding
from egov.supervision.tests.factories import CaseStory, at

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def late_case(regions, time_machine):
    time_machine.move_to(shanghai(2026, 11, 2))  # after the story: events are never in the future
    make_organisation("230102-SCJG")
    story = CaseStory(received=at(2026, 9, 25), promised=5)
    story.accept(at(2026, 9, 28)).request_supplement(at(2026, 9, 29))
    story.receive_supplement(at(2026, 10, 8, 9))
    story.decide(at(2026, 10, 16), on_time=True, working_days_used=5)
    ingest_events(events=story.events, source="api", source_system="daoli", actor="t")
    return story


def test_the_page_shows_our_deadline_against_the_claim(supervisor_harbin, late_case):
    page = client_for(supervisor_harbin).get(f"/supervision/cases/{late_case.number}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert late_case.number in text
    assert '<dd id="deadline">2026-10-13</dd>' in text
    comparison = text.split('id="comparison"')[1].split("</table>")[0]
    assert "2026-10-13" in comparison  # ours
    assert "2026-10-05" in comparison  # the claim counts neither the holiday nor the 补正
    assert comparison.count("不一致") == 3
    timeline = text.split('id="timeline"')[1].split("</table>")[0]
    assert [part.split('"')[0] for part in timeline.split('data-type="')[1:]] == [
        "ApplicationSubmitted",
        "CaseAccepted",
        "SupplementRequested",
        "SupplementReceived",
        "CaseDecided",
    ]


def test_the_findings_of_the_case_are_listed(supervisor_harbin, late_case):
    findings = Finding.objects.filter(case_number=late_case.number)
    page = client_for(supervisor_harbin).get(f"/supervision/cases/{late_case.number}/")
    text = page.content.decode().split('id="case-findings"')[1].split("</table>")[0]
    for finding in findings:
        assert f"/supervision/findings/{finding.pk}/" in text


def test_another_region_or_a_bad_number_is_404(regions, late_case):
    qiqihar = make_staff("supervisor_qiqihar", "230200-GOV", roles=["supervisor"])
    assert client_for(qiqihar).get(f"/supervision/cases/{late_case.number}/").status_code == 404
    province = make_staff("supervisor_p", "230000-GOV", roles=["supervisor"])
    assert client_for(province).get("/supervision/cases/23010220260925000001X/").status_code == 404
    assert client_for(province).get(f"/supervision/cases/{late_case.number}/").status_code == 200


def test_clerks_and_citizens_may_not_see_it(clerk_harbin_daoli, citizen, late_case):
    url = f"/supervision/cases/{late_case.number}/"
    assert client_for(clerk_harbin_daoli).get(url).status_code == 403
    assert client_for(citizen).get(url).status_code == 403
    assert Client().get(url).status_code == 302


def test_the_list_finds_a_number_and_filters_by_light(supervisor_harbin, late_case):
    client = client_for(supervisor_harbin)
    found = client.get("/supervision/cases/", {"number": late_case.number})
    assert found.status_code == 302
    assert found.url == f"/supervision/cases/{late_case.number}/"
    listed = client.get("/supervision/cases/", {"light": "stopped"}).content.decode()
    assert late_case.number in listed
    assert late_case.number not in client.get("/supervision/cases/?light=red").content.decode()
    missing = client.get("/supervision/cases/", {"number": "230102202609250000999"})
    assert 'id="not-found"' in missing.content.decode()
