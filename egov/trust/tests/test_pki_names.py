"""Subject strings <-> X.509 names (可分辨名), Chinese included. No database."""

from __future__ import annotations

import pytest
from asn1crypto import x509
from hypothesis import given, settings
from hypothesis import strategies as st

from egov.trust.errors import ErrorCode, TrustError
from egov.trust.pki.names import format_name, parse_subject


def test_chinese_subject_is_utf8_with_country_first_in_der() -> None:
    name = parse_subject("CN=黑龙江省电子政务根CA,O=黑龙江省人民政府,C=CN")
    rdns = [rdn[0] for rdn in name.chosen]
    assert [r["type"].native for r in rdns] == [
        "country_name",
        "organization_name",
        "common_name",
    ]
    assert rdns[0]["value"].name == "printable_string"
    assert rdns[2]["value"].name == "utf8_string"
    assert rdns[2]["value"].native == "黑龙江省电子政务根CA"


def test_format_gives_back_the_string() -> None:
    text = "CN=张三\\,李四,OU=信息中心,O=黑龙江省人民政府,L=哈尔滨市,ST=黑龙江省,C=CN"
    assert format_name(x509.Name.load(parse_subject(text).dump())) == text


def test_serial_number_attribute_is_printable_string() -> None:
    name = parse_subject("CN=张三,serialNumber=23010219750101123X,C=CN")
    values = {rdn[0]["type"].native: rdn[0]["value"] for rdn in name.chosen}
    assert values["serial_number"].name == "printable_string"


@pytest.mark.parametrize(
    ("text", "reason_part"),
    [
        ("", "required"),
        ("O=黑龙江省人民政府,C=CN", "needs a CN"),
        ("CN=张三,X=1", "unknown attribute"),
        ("CN=张三,C=China", "two-letter"),
        ("CN=张三,C=cn", "two-letter"),
        ("CN=", "empty"),
        ("CN张三", "not ATTRIBUTE=value"),
        ("CN=" + "长" * 65, "longer than 64"),
        ("CN=a\\", "backslash"),
        ("CN=a\x01b", "control character"),
        ("CN=张三,serialNumber=二三", "printable"),
    ],
)
def test_bad_subjects_are_refused_naming_the_field(text: str, reason_part: str) -> None:
    with pytest.raises(TrustError) as caught:
        parse_subject(text)
    assert caught.value.field == "subject"
    assert caught.value.code == ErrorCode.INVALID_INPUT
    assert reason_part in caught.value.reason


_value = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x9FFF, exclude_categories=("Cs",)),
    min_size=1,
    max_size=30,
).filter(lambda v: v.strip() == v)


@settings(max_examples=60, deadline=None)
@given(cn=_value, organisation=_value)
def test_any_printable_values_round_trip(cn: str, organisation: str) -> None:
    name = parse_subject(f"CN={_escape(cn)},O={_escape(organisation)},C=CN")
    native = x509.Name.load(name.dump()).native
    assert native["common_name"] == cn
    assert native["organization_name"] == organisation


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(",", "\\,")
