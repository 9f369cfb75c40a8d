"""补正 by checklist (一次性告知): the item's materials ticked with reasons, plus free items."""

from __future__ import annotations

import re

import pytest

from egov.approvals.errors import ApprovalError
from egov.approvals.models import Case, Suspension
from egov.approvals.services import receive_supplement, request_supplement
from egov.approvals.tests.conftest import nothing_written, pdf
from egov.core.testing import shanghai

CHECKLIST = {
    "missing": ["PLAN"],
    "reason-PLAN": "未标明食品处理区",
    "reason-APP": "",
    "free-name-1": "从业人员健康证明",
    "free-reason-1": "未提交",
    "note": "请于十五日内补正",
}


@pytest.fixture(autouse=True)
def moment(time_machine, settings, tmp_path):
    time_machine.move_to(shanghai(2026, 11, 26, 10))
    settings.MEDIA_ROOT = tmp_path / "media"


def send(client, case, data):
    return client.post(f"/approvals/cases/{case.number}/request_supplement/", data, follow=True)


def upload_fields(page: str) -> list[str]:
    form = page[page.index('id="supplement-upload"') :]
    form = form[: form.index("</form>")]
    return re.findall(r'type="file" name="([^"]+)"', form)


def test_the_clerk_sees_the_items_materials_as_a_checklist(client, submitted_case, clerk_daoli):
    client.force_login(clerk_daoli)
    page = client.get(f"/approvals/cases/{submitted_case.number}/").content.decode()
    ticks = re.findall(r'type="checkbox" name="missing" value="([^"]+)"', page)
    assert ticks == ["APP", "PLAN", "OTHER"]
    assert 'name="free-name-1"' in page


def test_the_notice_lists_ticked_materials_by_their_catalogue_name_and_the_free_items(
    client, submitted_case, clerk_daoli
):
    client.force_login(clerk_daoli)
    send(client, submitted_case, CHECKLIST)
    suspension = Suspension.objects.get(case=submitted_case)
    assert suspension.missing == [
        {"code": "PLAN", "name": "经营场所平面布局图", "reason": "未标明食品处理区"},
        {"code": "", "name": "从业人员健康证明", "reason": "未提交"},
    ]
    assert suspension.reason == "请于十五日内补正"


def test_a_reason_typed_without_the_tick_still_counts(client, submitted_case, clerk_daoli):
    client.force_login(clerk_daoli)
    send(client, submitted_case, {"reason-APP": "缺少签字"})
    assert [e["code"] for e in Suspension.objects.get(case=submitted_case).missing] == ["APP"]


def test_the_citizen_sees_one_notice_and_uploads_exactly_what_was_asked(
    client, submitted_case, clerk_daoli, citizen
):
    client.force_login(clerk_daoli)
    send(client, submitted_case, CHECKLIST)
    client.force_login(citizen)
    page = client.get(f"/approvals/cases/{submitted_case.number}/").content.decode()
    notice = page[page.index('id="supplement-notice"') :]
    notice = notice[: notice.index("</section>")]
    assert "经营场所平面布局图</strong>：未标明食品处理区" in notice
    assert "从业人员健康证明</strong>：未提交" in notice
    assert "请补正以下 2 项材料" in notice
    assert upload_fields(page) == ["PLAN", "extra-2"]
    response = client.post(
        f"/approvals/cases/{submitted_case.number}/receive_supplement/",
        {"PLAN": pdf("平面图.pdf"), "extra-2": pdf("健康证明.pdf")},
    )
    assert response.status_code == 302
    case = Case.objects.get(pk=submitted_case.pk)
    assert case.status == Case.Status.SUBMITTED
    assert sorted(case.case_materials.filter(round=1).values_list("name", flat=True)) == [
        "从业人员健康证明",
        "经营场所平面布局图",
    ]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"note": "无内容"}, id="no item"),
        pytest.param({"missing": ["PLAN"]}, id="no reason"),
        pytest.param({"free-name-1": "健康证明"}, id="free item without reason"),
        pytest.param({"free-reason-1": "未提交"}, id="free item without name"),
        pytest.param({"missing": ["FORGED"], "reason-FORGED": "伪造"}, id="forged code"),
    ],
)
def test_an_incomplete_or_forged_checklist_is_refused_and_nothing_written(
    client, submitted_case, clerk_daoli, data
):
    client.force_login(clerk_daoli)
    with nothing_written():
        response = send(client, submitted_case, data)
    assert response.status_code == 200
    assert "操作未完成" in response.content.decode()
    assert Case.objects.get(pk=submitted_case.pk).status == Case.Status.SUBMITTED


def test_a_material_listed_twice_is_refused(submitted_case, clerk_daoli):
    twice = [{"code": "PLAN", "reason": "不清晰"}, {"code": "PLAN", "reason": "缺页"}]
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        request_supplement(actor=clerk_daoli, number=submitted_case.number, missing=twice)
    assert caught.value.fields == {"missing[1].code": "listed twice"}


def test_the_citizen_may_not_upload_what_was_not_asked(submitted_case, clerk_daoli, citizen):
    missing = [{"code": "PLAN", "reason": "不清晰"}]
    request_supplement(actor=clerk_daoli, number=submitted_case.number, missing=missing)
    files = {"PLAN": [pdf("平面图.pdf")], "APP": [pdf("申请书.pdf")]}
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        receive_supplement(actor=citizen, number=submitted_case.number, files=files)
    assert list(caught.value.fields) == ["materials.APP"]
