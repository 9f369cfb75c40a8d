"""Opening a case's materials (查看申请材料): PDFs and images inline, audited, access-checked."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.approvals.models import CaseMaterial
from egov.approvals.services.common import store_files
from egov.approvals.tests.conftest import counts
from egov.core.models import AuditEntry, Event, SecurityEvent
from egov.core.testing import shanghai

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
OFD = b"PK\x03\x04" + b"\x00" * 16


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def moment(time_machine):
    time_machine.move_to(shanghai(2026, 11, 26, 10))


def material_url(case, material) -> str:
    return f"/approvals/cases/{case.number}/materials/{material.pk}/"


def add_material(case, code: str, name: str, content: bytes) -> CaseMaterial:
    upload = SimpleUploadedFile(name, content)
    store_files(case, {code: [upload]}, {code: "其他材料"}, 0)
    return case.case_materials.get(file_name=name)


def test_the_clerk_opens_a_pdf_inline_and_the_view_is_audited(
    moment, client, submitted_case, clerk_daoli
):
    material = submitted_case.case_materials.get(material_code="APP")
    client.force_login(clerk_daoli)
    response = client.get(material_url(submitted_case, material))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    assert "sandbox" in policy
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'self'" in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    entry = AuditEntry.objects.filter(action="approvals.material_viewed").get()
    assert entry.object_id == f"{submitted_case.number}/{material.pk}"
    assert entry.actor == clerk_daoli.username


def test_the_applicant_opens_an_image_inline(moment, client, submitted_case, citizen):
    material = add_material(submitted_case, "OTHER", "门头照.png", PNG)
    client.force_login(citizen)
    response = client.get(material_url(submitted_case, material))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")


def test_an_ofd_file_is_downloaded_and_the_page_says_why(
    moment, client, submitted_case, clerk_daoli
):
    material = add_material(submitted_case, "OTHER", "营业执照.ofd", OFD)
    client.force_login(clerk_daoli)
    response = client.get(material_url(submitted_case, material))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/ofd"
    page = client.get(f"/approvals/cases/{submitted_case.number}/").content.decode()
    assert "OFD 阅读器" in page
    assert material_url(submitted_case, material) in page


def test_the_case_page_shows_pdfs_in_a_frame(moment, client, submitted_case, clerk_daoli):
    material = submitted_case.case_materials.get(material_code="APP")
    client.force_login(clerk_daoli)
    page = client.get(f"/approvals/cases/{submitted_case.number}/").content.decode()
    assert f'<iframe src="{material_url(submitted_case, material)}"' in page


@pytest.mark.parametrize("who", ["clerk_qiqihar", "other_citizen"])
def test_someone_who_may_not_see_the_case_gets_404_and_a_security_event(
    moment, client, submitted_case, who, request
):
    material = submitted_case.case_materials.get(material_code="APP")
    outsider = request.getfixturevalue(who)
    client.force_login(outsider)
    before = counts()
    response = client.get(material_url(submitted_case, material))
    assert response.status_code == 404
    # Nothing of the case's is written: only the security event and its outbox event.
    assert counts() == before | {"Event": before["Event"] + 1}
    assert Event.objects.order_by("pk").last().event_type == "SecurityEventRecorded"
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.ACCESS_REFUSED)
    assert event.user == outsider
    assert event.detail["case"] == submitted_case.number


def test_a_material_of_another_case_is_not_reachable_through_this_one(
    moment, client, submitted_case, citizen, food_item, clerk_daoli
):
    from egov.approvals.services import submit_application
    from egov.approvals.tests.conftest import FORM, good_files

    other = submit_application(
        applicant=citizen, item_code=food_item.code, form=FORM, files=good_files()
    )
    foreign = other.case_materials.first()
    client.force_login(clerk_daoli)
    response = client.get(material_url(submitted_case, foreign))
    assert response.status_code == 404
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ACCESS_REFUSED).count() == 1


def test_signed_out_visitors_are_sent_to_log_in(moment, client, submitted_case):
    material = submitted_case.case_materials.first()
    response = client.get(material_url(submitted_case, material))
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="approvals.material_viewed").exists()
