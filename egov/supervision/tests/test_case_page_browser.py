"""The case page in a real browser: a supervisor looks a late case up by its number.

Headless Debian chromium driven by Playwright against pytest-django's live server.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from egov.core.services.calendar import seed_official_calendar
from egov.core.testing import TEST_PASSWORD, make_organisation, shanghai
from egov.supervision.collection.ingest import ingest_events
from egov.supervision.tests.factories import CaseStory, at, citizen_applicant

SCREENSHOT = Path(tempfile.gettempdir()) / "s1-case.png"  # to look at by hand


@pytest.fixture
def late_case(emptied_audit_chain_afterwards, supervisor_province, time_machine):
    """Stored before the browser starts (Playwright keeps an event loop).

    A transactional test starts from a flushed database: the calendar's
    holidays (seeded by a migration) are put back first. The test runs after
    the story (events are never in the future), the live server included.
    """
    time_machine.move_to(shanghai(2026, 11, 2))
    seed_official_calendar(actor="test-setup")
    make_organisation("230102-SCJG")
    story = CaseStory(received=at(2026, 9, 25), promised=5, applicant=citizen_applicant())
    story.accept(at(2026, 9, 28)).request_supplement(at(2026, 9, 29))
    story.receive_supplement(at(2026, 10, 8, 9))
    story.decide(at(2026, 10, 16), on_time=True, working_days_used=5)
    story.conclude(at(2026, 10, 16, 15), on_time=True, working_days_used=5)
    ingest_events(events=story.events, source="api", source_system="daoli-legacy", actor="t")
    return story


def test_a_supervisor_finds_a_late_case_and_sees_the_claim_differ(
    late_case, live_server, browser: Browser
):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1100})
    page = context.new_page()
    page.goto(f"{live_server.url}/login/?next=/supervision/cases/")
    page.get_by_label("用户名").fill("supervisor_province")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/supervision/cases/")
    page.get_by_label("办件编号").fill(late_case.number)
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(f"**/supervision/cases/{late_case.number}/")
    assert page.locator("#deadline").inner_text() == "2026-10-13"
    comparison = page.locator("#comparison").inner_text()
    assert "超期" in comparison
    assert "按时" in comparison
    assert "不一致" in comparison
    assert page.locator("#timeline tbody tr").count() == 6
    page.screenshot(path=SCREENSHOT, full_page=True)
    context.close()
