"""Whose name a certificate may carry (申请主体核对), pure: expected subjects and CSR checks."""

from __future__ import annotations

import pytest

from egov.trust.errors import TrustError
from egov.trust.pki.applicants import ExpectedSubject, check_requested_subject

PERSON = ExpectedSubject("张三")
STAFF = ExpectedSubject("李四", "哈尔滨市道里区人民政府")


def test_expected_subjects_as_text():
    assert PERSON.text() == "CN=张三,C=CN"
    assert STAFF.text() == "CN=李四,O=哈尔滨市道里区人民政府,C=CN"
    assert ExpectedSubject("A, B 公司", "A, B 公司").text() == "CN=A\\, B 公司,O=A\\, B 公司,C=CN"


@pytest.mark.parametrize(
    ("requested", "expected"),
    [
        ("CN=张三,C=CN", PERSON),
        ("CN=张三", PERSON),
        ("CN=李四,O=哈尔滨市道里区人民政府,C=CN", STAFF),
        ("CN=李四,OU=办公室,O=哈尔滨市道里区人民政府,C=CN", STAFF),
        ("CN=李四,C=CN", STAFF),
    ],
)
def test_subjects_naming_the_applicant_pass(requested, expected):
    check_requested_subject(requested, expected)


@pytest.mark.parametrize(
    ("requested", "expected", "words"),
    [
        ("CN=王五,C=CN", PERSON, "CN must be"),
        ("O=x,C=CN", PERSON, "CN must be"),
        ("CN=张三,O=某公司,C=CN", PERSON, "O must be absent"),
        ("CN=李四,O=齐齐哈尔市人民政府,C=CN", STAFF, "O must be '哈尔滨市道里区人民政府'"),
        ("CN=张三,C=US", PERSON, "C must be CN"),
        ("CN=张三,CN=李四,C=CN", PERSON, "more than once"),
        ("CN=张三,L=哈尔滨,C=CN", PERSON, "only CN, O, OU and C"),
        ("CN=张三,EMAILADDRESS=a@b.cn,C=CN", PERSON, "only CN, O, OU and C"),
    ],
)
def test_subjects_naming_someone_else_are_refused(requested, expected, words):
    with pytest.raises(TrustError) as caught:
        check_requested_subject(requested, expected)
    assert caught.value.field == "csr"
    assert words in caught.value.reason
