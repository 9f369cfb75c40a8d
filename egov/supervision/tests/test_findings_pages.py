"""The findings, notices and alerts pages: scoped lists, the steps as forms, refusals as 400."""

from __future__ import annotations

import pytest
from django.test import Client

from egov.core.testing import make_staff
from egov.supervision.findings import handling as findings
from egov.supervision.models import Alert, Finding, SupervisionNotice
from egov.supervision.tests.lit_cases import make_finding

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def market_leader(regions: None):
    return make_staff("leader_daoli_market", "230102-SCJG", roles=["leader"])


def test_the_list_shows_the_viewers_region_only(supervisor_harbin, regions) -> None:
    mine = make_finding(summary="道里区超期办件")
    make_finding(department_code="230200-SCJG", summary="齐齐哈尔超期办件")
    page = client_for(supervisor_harbin).get("/supervision/findings/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "道里区超期办件" in text
    assert "齐齐哈尔超期办件" not in text
    assert f"/supervision/findings/{mine.pk}/" in text


def test_filters_narrow_the_list(supervisor_province) -> None:
    make_finding(summary="红色时限", severity="red")
    make_finding(summary="黄色投诉", severity="yellow", category="complaint")
    client = client_for(supervisor_province)
    text = client.get("/supervision/findings/?category=complaint").content.decode()
    assert "黄色投诉" in text
    assert "红色时限" not in text
    text = client.get("/supervision/findings/?severity=red").content.decode()
    assert "红色时限" in text
    assert "黄色投诉" not in text


def test_clerks_and_citizens_may_not_see_findings(clerk_harbin_daoli, citizen) -> None:
    assert client_for(clerk_harbin_daoli).get("/supervision/findings/").status_code == 403


def test_issue_a_notice_from_the_finding_page(supervisor_harbin) -> None:
    finding = make_finding()
    client = client_for(supervisor_harbin)
    page = client.get(f"/supervision/findings/{finding.pk}/")
    assert page.status_code == 200
    assert f"/supervision/cases/{finding.case_number}/" in page.content.decode()
    answer = client.post(
        f"/supervision/findings/{finding.pk}/issue/", {"due_days": "5", "instructions": "限期说明"}
    )
    assert answer.status_code == 302
    notice = SupervisionNotice.objects.get()
    assert notice.instructions == "限期说明"


def test_a_refused_step_is_the_page_again_with_the_reason(supervisor_harbin) -> None:
    finding = make_finding()
    answer = client_for(supervisor_harbin).post(
        f"/supervision/findings/{finding.pk}/issue/", {"due_days": "0", "instructions": ""}
    )
    assert answer.status_code == 400
    assert "反馈期限（工作日）" in answer.content.decode()
    assert not SupervisionNotice.objects.exists()


def test_another_regions_finding_is_not_found(regions: None) -> None:
    finding = make_finding()
    qiqihar = make_staff("supervisor_qiqihar", "230200-GOV", roles=["supervisor"])
    client = client_for(qiqihar)
    assert client.get(f"/supervision/findings/{finding.pk}/").status_code == 404
    answer = client.post(
        f"/supervision/findings/{finding.pk}/issue/", {"due_days": "5", "instructions": "x"}
    )
    assert answer.status_code == 404
    assert Finding.objects.get().status == Finding.Status.OPEN


def test_the_department_answers_on_the_notice_page(supervisor_harbin, market_leader) -> None:
    finding = make_finding(summary="超期未办结")
    notice = findings.issue_notice(
        actor=supervisor_harbin, finding_id=finding.pk, due_days=5, instructions="请说明"
    )
    client = client_for(market_leader)
    listing = client.get("/supervision/notices/").content.decode()
    assert notice.number in listing
    page = client.get(f"/supervision/notices/{notice.number}/").content.decode()
    assert 'id="respond-form"' in page
    answer = client.post(
        f"/supervision/notices/{notice.number}/respond/",
        {"kind": "explanation", "text": "系统故障"},
    )
    assert answer.status_code == 302
    notice.refresh_from_db()
    assert notice.status == SupervisionNotice.Status.RESPONDED
    review = client_for(supervisor_harbin).post(
        f"/supervision/notices/{notice.number}/accept/", {"note": "认可"}
    )
    assert review.status_code == 302
    finding.refresh_from_db()
    assert finding.status == Finding.Status.CLOSED


def test_an_empty_answer_is_refused_on_the_page(supervisor_harbin, market_leader) -> None:
    notice = findings.issue_notice(
        actor=supervisor_harbin, finding_id=make_finding().pk, due_days=5, instructions="请说明"
    )
    answer = client_for(market_leader).post(
        f"/supervision/notices/{notice.number}/respond/", {"kind": "explanation", "text": ""}
    )
    assert answer.status_code == 400
    notice.refresh_from_db()
    assert notice.status == SupervisionNotice.Status.SENT


def test_my_alerts_with_unread_count_and_mark_read(market_leader, supervisor_harbin) -> None:
    for n in range(2):
        Alert.objects.create(
            recipient=market_leader,
            kind="case_light",
            level="yellow",
            case_number=f"C{n}",
            message=f"办件 C{n} 即将到期",
            fingerprint=f"t{n}",
            created_at="2026-10-12T02:00:00Z",
        )
    Alert.objects.create(
        recipient=supervisor_harbin,
        kind="case_light",
        level="red",
        message="别人的提醒",
        fingerprint="other",
        created_at="2026-10-12T02:00:00Z",
    )
    client = client_for(market_leader)
    page = client.get("/supervision/alerts/").content.decode()
    assert "2 条未读" in page
    assert "别人的提醒" not in page
    first = Alert.objects.filter(recipient=market_leader).first()
    client.post("/supervision/alerts/read/", {"alert": first.pk})
    assert "1 条未读" in client.get("/supervision/alerts/").content.decode()
    client.post("/supervision/alerts/read/")
    assert not Alert.objects.filter(recipient=market_leader, read_at__isnull=True).exists()
    assert Alert.objects.get(fingerprint="other").read_at is None
