"""Department statistics (部门统计): received, accepted, concluded, on-time rate, working days."""

from __future__ import annotations

import datetime as dt
import re

import plotly
from django.test import Client

from egov.approvals.clock import SHANGHAI
from egov.approvals.selectors import department_statistics
from egov.approvals.services import accept_case, approve_case, conclude_case, submit_application
from egov.approvals.tests.conftest import FORM, good_files


def test_figures_count_what_happened(
    citizen, food_item, clerk_daoli, leader_daoli, clerk_qiqihar, time_machine
):
    time_machine.move_to(dt.datetime(2026, 11, 30, 11, tzinfo=SHANGHAI))  # a Monday
    numbers = [
        submit_application(
            applicant=citizen, item_code=food_item.code, form=FORM, files=good_files()
        ).number
        for _ in range(3)
    ]
    for number in numbers[:2]:
        accept_case(actor=clerk_daoli, number=number)
    approve_case(actor=leader_daoli, number=numbers[0])
    conclude_case(actor=clerk_daoli, number=numbers[0])
    today = dt.date(2026, 11, 30)
    [figures] = department_statistics(clerk_daoli, today - dt.timedelta(days=1), today)
    assert (figures.code, figures.received, figures.accepted, figures.concluded) == (
        "230102-SCJG",
        3,
        2,
        1,
    )
    assert (figures.decided, figures.on_time, figures.on_time_rate) == (1, 1, 1.0)
    assert figures.average_working_days == 0
    assert department_statistics(clerk_qiqihar, today, today) == []  # another city sees none
    earlier = department_statistics(
        clerk_daoli, today - dt.timedelta(days=9), today - dt.timedelta(days=2)
    )
    assert earlier == []


def test_the_page_shows_the_table(submitted_case, clerk_daoli):
    client = Client()
    client.force_login(clerk_daoli)
    page = client.get("/approvals/statistics/").content.decode()
    assert "哈尔滨市道里区市场监督管理局" in page
    assert 'id="statistics"' in page


def test_the_page_draws_charts_with_local_plotly(submitted_case, clerk_daoli):
    client = Client()
    client.force_login(clerk_daoli)
    page = client.get("/approvals/statistics/").content.decode()
    assert 'id="chart-counts"' in page
    assert 'id="chart-on-time"' in page
    assert 'id="statistics"' in page  # the numbers table stays
    sources = re.findall(r'<script src="([^"]+)"', page)
    plotly_url = f"/plotly-{plotly.__version__}.min.js"
    assert plotly_url in sources
    assert all(source.startswith("/") and not source.startswith("//") for source in sources)
    script = client.get(plotly_url)
    assert script.status_code == 200
    assert script["Content-Type"].startswith("text/javascript")
    assert "max-age=31536000" in script["Cache-Control"]
    assert b"* plotly.js v" in script.content[:200]


def test_plotly_of_another_version_is_not_found(clerk_daoli):
    client = Client()
    assert client.get("/plotly-0.0.1.min.js").status_code == 404
