"""The complaint form and list (效能投诉) for public accounts."""

from __future__ import annotations

import pytest
from django.test import Client

from egov.supervision.models import Complaint, Finding
from egov.supervision.tests.lit_cases import online_case_of

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_visitor_is_sent_to_the_public_login() -> None:
    answer = Client().get("/supervision/complaints/new/")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/account/login/")


def test_staff_are_refused(clerk_harbin_daoli) -> None:
    assert client_for(clerk_harbin_daoli).get("/supervision/complaints/new/").status_code == 403


def test_complain_and_see_it_listed(citizen) -> None:
    story = online_case_of(citizen.username)
    client = client_for(citizen)
    assert client.get("/supervision/complaints/new/").status_code == 200
    answer = client.post(
        "/supervision/complaints/new/",
        {"case_number": story.number, "category": "delay", "text": "一个月没有进展", "contact": ""},
    )
    assert answer.status_code == 302
    complaint = Complaint.objects.get()
    listing = client.get("/supervision/complaints/").content.decode()
    assert complaint.number in listing
    assert "待处理" in listing


def test_someone_elses_case_is_a_form_error_and_nothing_is_written(citizen) -> None:
    story = online_case_of("citizen_wang")
    answer = client_for(citizen).post(
        "/supervision/complaints/new/",
        {"case_number": story.number, "category": "delay", "text": "一个月没有进展"},
    )
    assert answer.status_code == 400
    assert "未找到您的这个办件" in answer.content.decode()
    assert not Complaint.objects.exists()
    assert not Finding.objects.exists()
