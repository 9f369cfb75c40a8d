"""Registering citizens and enterprises: check characters, address codes, nothing half-written."""

from __future__ import annotations

import pytest

from egov.core.errors import ErrorCode, InvalidInputError
from egov.core.identifiers import credit_code_with_check_digit, resident_id_with_check_digit
from egov.core.models import AuditEntry, PublicAccount, User
from egov.core.services.people import register_public_account

pytestmark = pytest.mark.django_db
PASSWORD = "Correct-horse-battery-9"


def counts() -> tuple[int, int, int]:
    return User.objects.count(), PublicAccount.objects.count(), AuditEntry.objects.count()


def citizen(resident_id: str, username: str = "li_si"):
    return register_public_account(
        kind="citizen", username=username, password=PASSWORD, resident_id=resident_id
    )


def test_a_daoli_resident_born_in_1975_registers():
    number = resident_id_with_check_digit("23010219750312001")
    user = citizen(number)
    assert user.kind == "citizen"
    assert user.public_account.resident_id == number
    assert user.public_account.region_id == "230102"
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert (entry.actor, entry.action) == ("li_si", "account.register")


def test_an_id_with_a_historical_address_code_is_accepted():
    user = citizen(resident_id_with_check_digit("23012119600101002"))  # 呼兰县, before 2004
    assert user.public_account.region.name == "呼兰县"


def test_a_lower_case_x_check_character_is_normalised():
    first17 = next(
        f"23010219800101{n:03d}"
        for n in range(1000)
        if resident_id_with_check_digit(f"23010219800101{n:03d}").endswith("X")
    )
    user = citizen(first17 + "x")
    assert user.public_account.resident_id == first17 + "X"


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("230102197503120010", "check character"),
        ("23010219750312001", "17 digits"),
        (resident_id_with_check_digit("23010219751332001"), "birth date"),
        (resident_id_with_check_digit("23010221990101001"), "future"),
        (resident_id_with_check_digit("11010119750312001"), "not a division"),
        (resident_id_with_check_digit("23019919750312001"), "not a division"),
    ],
)
def test_bad_resident_ids_are_refused_with_nothing_written(number, why):
    before = counts()
    with pytest.raises(InvalidInputError) as refused:
        citizen(number)
    assert refused.value.field == "resident_id"
    assert refused.value.error_code == ErrorCode.INVALID_RESIDENT_ID
    assert why in refused.value.message
    assert counts() == before


def test_the_same_resident_id_cannot_register_twice():
    number = resident_id_with_check_digit("23010219750312001")
    citizen(number)
    before = counts()
    with pytest.raises(InvalidInputError) as refused:
        citizen(number, username="li_si_again")
    assert refused.value.field == "resident_id"
    assert counts() == before


def test_an_enterprise_registers_with_a_valid_credit_code():
    code = credit_code_with_check_digit("91230100MA1BCDEF0")
    user = register_public_account(
        kind="enterprise", username="longjiang_co", password=PASSWORD, credit_code=code.lower()
    )
    assert (user.kind, user.public_account.credit_code) == ("enterprise", code)


def test_a_bad_credit_code_is_refused_with_nothing_written():
    code = credit_code_with_check_digit("91230100MA1BCDEF0")
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    before = counts()
    with pytest.raises(InvalidInputError) as refused:
        register_public_account(
            kind="enterprise", username="longjiang_co", password=PASSWORD, credit_code=wrong
        )
    assert (refused.value.field, refused.value.error_code) == (
        "credit_code",
        ErrorCode.INVALID_CREDIT_CODE,
    )
    assert counts() == before


def test_a_weak_password_or_a_staff_kind_is_refused():
    number = resident_id_with_check_digit("23010219750312001")
    before = counts()
    with pytest.raises(InvalidInputError) as weak:
        register_public_account(
            kind="citizen", username="li_si", password="password", resident_id=number
        )
    assert weak.value.field == "password"
    with pytest.raises(InvalidInputError) as staff:
        register_public_account(kind="staff", username="li_si", password=PASSWORD)
    assert staff.value.field == "kind"
    assert counts() == before
