"""Submitting an application online (网上申请) and registering a walk-in one."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.approvals.errors import ApprovalError, ErrorCode
from egov.approvals.models import Case
from egov.approvals.numbering import parse_case_number
from egov.approvals.services import register_walk_in, submit_application
from egov.approvals.tests.conftest import FORM, RESIDENT_ID, good_files, nothing_written, pdf
from egov.core.models import AuditEntry, Event


def test_a_citizen_applies_and_gets_a_case_number(citizen, food_item):
    case = submit_application(
        applicant=citizen, item_code=food_item.code, form=FORM, files=good_files()
    )
    region, _day, sequence = parse_case_number(case.number)
    assert (region, sequence) == ("230102", 1)
    assert case.status == Case.Status.SUBMITTED
    assert case.applicant_identifier == citizen.public_account.resident_id
    assert sorted(case.case_materials.values_list("material_code", flat=True)) == ["APP", "PLAN"]
    event = Event.objects.get(aggregate=case.number)
    assert event.event_type == "ApplicationSubmitted"
    assert event.payload["data"]["fees"] == [{"name": "许可证工本费", "amount_fen": 1000}]
    assert AuditEntry.objects.filter(object_id=case.number).count() == 1
    second = submit_application(
        applicant=citizen, item_code=food_item.code, form=FORM, files=good_files()
    )
    assert parse_case_number(second.number)[2] == 2


def test_a_clerk_registers_a_walk_in_enterprise_application(clerk_daoli, food_item):
    from egov.approvals.tests.conftest import ENTERPRISE_CODE

    case = register_walk_in(
        actor=clerk_daoli,
        item_code=food_item.code,
        applicant_kind="enterprise",
        applicant_name="哈尔滨老道外餐饮有限公司",
        applicant_identifier=ENTERPRISE_CODE,
        form=FORM,
        files=good_files(),
    )
    assert case.channel == Case.Channel.WALK_IN
    assert case.applicant is None
    assert Event.objects.get(aggregate=case.number).payload["actor"]["kind"] == "staff"


def test_a_clerk_of_another_city_may_not_register(clerk_qiqihar, food_item):
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        register_walk_in(
            actor=clerk_qiqihar,
            item_code=food_item.code,
            applicant_kind="citizen",
            applicant_name="张三",
            applicant_identifier=RESIDENT_ID,
            form=FORM,
            files=good_files(),
        )
    assert caught.value.code is ErrorCode.PERMISSION_DENIED


def test_a_bad_credit_code_is_refused_with_its_field(clerk_daoli, food_item):
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        register_walk_in(
            actor=clerk_daoli,
            item_code=food_item.code,
            applicant_kind="enterprise",
            applicant_name="某公司",
            applicant_identifier="91230102MA1B2C3D4X",
            form=FORM,
            files=good_files(),
        )
    assert caught.value.fields == {
        "applicant_identifier": "the check character (GB 32100) does not match"
    }


def test_a_bad_resident_id_is_refused(clerk_daoli, food_item):
    wrong = RESIDENT_ID[:17] + ("1" if RESIDENT_ID[17] == "0" else "0")
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        register_walk_in(
            actor=clerk_daoli,
            item_code=food_item.code,
            applicant_kind="citizen",
            applicant_name="张三",
            applicant_identifier=wrong,
            form=FORM,
            files=good_files(),
        )
    assert (
        caught.value.fields["applicant_identifier"] == "the check digit (GB 11643) does not match"
    )


def test_missing_materials_and_bad_form_fields_are_all_named(citizen, food_item):
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        submit_application(
            applicant=citizen,
            item_code=food_item.code,
            form={**FORM, "phone": "123", "district": "990000"},
            files={"APP": [pdf()]},
        )
    assert caught.value.code is ErrorCode.INVALID_INPUT
    assert set(caught.value.fields) == {"form.phone", "form.district", "materials.PLAN"}
    assert caught.value.fields["materials.PLAN"] == "required material missing"


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (SimpleUploadedFile("virus.exe", b"MZ\x90\x00"), "file type not allowed"),
        (SimpleUploadedFile("fake.pdf", b"MZ\x90\x00rest"), "is not a PDF file"),
        (SimpleUploadedFile("huge.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024)), "at most"),
    ],
)
def test_files_of_the_wrong_type_or_size_are_refused(citizen, food_item, upload, reason):
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        submit_application(
            applicant=citizen,
            item_code=food_item.code,
            form=FORM,
            files={**good_files(), "APP": [upload]},
        )
    assert reason in caught.value.fields["materials.APP"]


def test_staff_may_not_apply_online_and_unknown_items_are_named(clerk_daoli, citizen, food_item):
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        submit_application(applicant=clerk_daoli, item_code=food_item.code, form=FORM)
    assert caught.value.code is ErrorCode.PERMISSION_DENIED
    with nothing_written(), pytest.raises(ApprovalError) as caught:
        submit_application(applicant=citizen, item_code="NO-SUCH", form=FORM)
    assert caught.value.code is ErrorCode.ITEM_NOT_FOUND
