"""Application form fields and uploads: typed validation with field and reason. Pure."""

import pytest

from egov.approvals.forms_spec import (
    SpecError,
    check_form_spec,
    check_resident_id,
    check_upload,
    validate_form,
)

# Region codes as the region table knows them: current and historical (is_current=False).
REGIONS = {"230000": True, "230100": True, "230102": True, "232700": True, "230125": False}


def lookup(code: str) -> bool | None:
    return REGIONS.get(code)


WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def with_check_digit(first17: str) -> str:
    """GB 11643's check character, computed here independently of the code under test."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


HARBIN_1975 = with_check_digit("23010219750312003")  # a Harbin 道里区 resident born in 1975
FORM = check_form_spec(
    [
        {"name": "applicant", "label": "申请人", "type": "text", "max_length": 10},
        {"name": "id_number", "label": "身份证号", "type": "resident_id"},
        {
            "name": "credit_code",
            "label": "统一社会信用代码",
            "type": "credit_code",
            "required": False,
        },
        {"name": "phone", "label": "联系电话", "type": "phone"},
        {"name": "area", "label": "经营面积", "type": "number", "min": 1, "max": 10000},
        {"name": "start", "label": "开业日期", "type": "date", "required": False},
        {"name": "region", "label": "所在区县", "type": "region"},
        {
            "name": "category",
            "label": "经营类别",
            "type": "choice",
            "choices": ["食品销售", "餐饮服务"],
        },
    ]
)
GOOD = {
    "applicant": "张三",
    "id_number": HARBIN_1975,
    "credit_code": "91110000600037341L",
    "phone": "13904510000",
    "area": "120.5",
    "region": "230102",
    "category": "餐饮服务",
}


def test_a_correct_form_is_cleaned():
    cleaned, errors = validate_form(FORM, GOOD, lookup)
    assert errors == {}
    assert cleaned["id_number"] == HARBIN_1975
    assert cleaned["area"] == "120.5"
    assert "start" not in cleaned


def test_a_resident_id_with_a_wrong_check_digit_is_refused():
    wrong = HARBIN_1975[:17] + ("0" if HARBIN_1975[17] != "0" else "1")
    _, errors = validate_form(FORM, {**GOOD, "id_number": wrong}, lookup)
    assert errors == {"id_number": "the check digit (GB 11643) does not match"}


def test_the_standard_example_and_a_known_harbin_number_pass():
    assert with_check_digit("11010519491231002") == "11010519491231002X"  # GB 11643 example
    assert HARBIN_1975 == "230102197503120032"
    assert check_resident_id("11010519491231002x", lambda code: True) == "11010519491231002X"
    assert check_resident_id(HARBIN_1975, lookup) == HARBIN_1975


def test_a_historical_address_code_is_accepted_and_an_unknown_one_refused():
    historical = with_check_digit("23012519600101001")  # code no longer current
    assert check_resident_id(historical, lookup) == historical
    unknown = with_check_digit("99010219750312003")
    with pytest.raises(ValueError, match="address code 990102"):
        check_resident_id(unknown, lookup)


def test_a_birth_date_that_is_not_a_date_is_refused():
    with pytest.raises(ValueError, match="birth date"):
        check_resident_id(with_check_digit("23010219751332003"), lookup)


def test_a_credit_code_with_a_wrong_check_character_is_refused():
    _, errors = validate_form(FORM, {**GOOD, "credit_code": "91110000600037341M"}, lookup)
    assert errors == {"credit_code": "the check character (GB 32100) does not match"}


def test_every_bad_field_is_named_at_once():
    bad = {
        "applicant": "一二三四五六七八九十十一",
        "id_number": "",
        "phone": "12345",
        "area": "0",
        "start": "2026-02-30",
        "region": "230125",  # historical: not a region one can choose now
        "category": "娱乐",
        "colour": "red",
    }
    _, errors = validate_form(FORM, bad, lookup)
    assert set(errors) == {
        "applicant",
        "id_number",
        "phone",
        "area",
        "start",
        "region",
        "category",
        "colour",
    }
    assert errors["id_number"] == "required"
    assert errors["colour"] == "not a field of this form"
    assert "at least 1" in errors["area"]


def test_a_malformed_form_spec_names_each_problem():
    with pytest.raises(SpecError) as caught:
        check_form_spec(
            [
                {"name": "a", "label": "甲", "type": "colour"},
                {"name": "a", "label": "", "type": "text"},
                {"name": "b", "label": "乙", "type": "choice"},
            ]
        )
    assert set(caught.value.errors) == {
        "form_fields[0].type",
        "form_fields[1].name",
        "form_fields[1].label",
        "form_fields[2].choices",
    }


def test_uploads_are_checked_by_type_content_and_size():
    assert check_upload("营业执照.PDF", 2048, b"%PDF-1.7\n") == "pdf"
    assert check_upload("photo.jpeg", 10, b"\xff\xd8\xff\xe0") == "jpg"
    with pytest.raises(ValueError, match="not allowed"):
        check_upload("run.exe", 10, b"MZ")
    with pytest.raises(ValueError, match="not a PDF"):
        check_upload("fake.pdf", 10, b"MZ\x90\x00")
    with pytest.raises(ValueError, match="at most"):
        check_upload("big.png", 11 * 1024 * 1024, b"\x89PNG\r\n\x1a\n")
    with pytest.raises(ValueError, match="empty"):
        check_upload("empty.pdf", 0, b"")
