"""The service hall pages: catalogue, service guide, online application, my cases."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from egov.approvals.models import Case
from egov.approvals.tests.conftest import FORM, nothing_written


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.7\n", content_type="application/pdf")


def test_anyone_reads_the_catalogue_and_the_guide(food_item):
    listing = Client().get("/approvals/items/", {"q": "食品"}).content.decode()
    assert f"/approvals/items/{food_item.code}/" in listing
    guide = Client().get(f"/approvals/items/{food_item.code}/").content.decode()
    for text in (
        "《中华人民共和国食品安全法》",
        "食品经营许可申请书",
        "10.00",
        "道里区政务服务中心",
        "登录后申请",
    ):
        assert text in guide


def test_a_citizen_applies_on_the_page(citizen, food_item):
    client = signed_in(citizen)
    response = client.post(
        f"/approvals/items/{food_item.code}/apply/",
        {**FORM, "APP": pdf("a.pdf"), "PLAN": pdf("b.pdf")},
    )
    case = Case.objects.get(applicant=citizen)
    assert response.status_code == 302
    assert response["Location"] == f"/approvals/cases/{case.number}/"
    mine = client.get("/approvals/mine/").content.decode()
    assert case.number in mine
    page = client.get(response["Location"]).content.decode()
    assert "撤回申请" in page  # the applicant may withdraw
    assert "/accept/" not in page  # but sees no staff actions


def test_bad_input_comes_back_on_the_form_and_writes_nothing(citizen, food_item):
    client = signed_in(citizen)
    with nothing_written():
        response = client.post(
            f"/approvals/items/{food_item.code}/apply/",
            {**FORM, "phone": "12", "APP": SimpleUploadedFile("x.exe", b"MZ")},
        )
    assert response.status_code == 400
    page = response.content.decode()
    # In Chinese, each field named by the label the applicant saw (the API keeps the English).
    assert "食品经营许可申请书：文件类型不允许，仅限 PDF、JPG、PNG、OFD" in page
    assert "经营场所平面布局图：必备材料，未提交" in page
    assert "联系电话：应为 11 位手机号码" in page
    assert "form.phone" not in page
    assert "required material missing" not in page
    assert 'value="老道外小馆"' in page  # what was typed stays


def test_staff_may_not_apply_online(clerk_daoli, food_item):
    response = signed_in(clerk_daoli).post(f"/approvals/items/{food_item.code}/apply/", FORM)
    assert response.status_code == 403
