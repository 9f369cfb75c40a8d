"""Names, short names, display names and phones in core are typed, bounded text (issue 10).

Before the fix an organisation's name kept U+202E and NUL as sent, a display
name of 12345 crashed on ``len()``, and a phone number of a dict did too.
Now each is refused with InvalidInputError naming the field and the reason,
and nothing is written.
"""

from __future__ import annotations

import pytest

from egov.core.errors import ErrorCode, InvalidInputError
from egov.core.identifiers import resident_id_with_check_digit
from egov.core.models import AuditEntry, Organisation, PublicAccount, User
from egov.core.services.organisations import create_organisation
from egov.core.services.people import register_public_account
from egov.core.testing import make_organisation

pytestmark = pytest.mark.django_db
PASSWORD = "Correct-horse-battery-9"


def written() -> tuple[int, ...]:
    return (
        Organisation.objects.count(),
        User.objects.count(),
        PublicAccount.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"name": "道里区\u202e局计审"}, "name", "control character U+202E is not allowed"),
        ({"name": "道里区\x00审计局"}, "name", "control character U+0000 is not allowed"),
        ({"name": ["道里区审计局"]}, "name", "expected text, got list"),
        ({"name": "局" * 129}, "name", "at most 128 characters, got 129"),
        ({"short_name": 12}, "short_name", "expected text, got int"),
        ({"short_name": "审计\n局"}, "short_name", "line break or tab U+000A is not allowed"),
    ],
)
def test_an_organisation_name_is_typed_text(admin_harbin, changes, field, reason):
    make_organisation("230102-GOV")
    values = {
        "code": "230102-SJ",
        "name": "哈尔滨市道里区审计局",
        "kind": "department",
        "region_code": "230102",
        "parent_code": "230102-GOV",
        "short_name": "道里区审计局",
    }
    before = written()
    with pytest.raises(InvalidInputError) as refused:
        create_organisation(actor=admin_harbin, **(values | changes))
    assert refused.value.error_code is ErrorCode.INVALID_ORGANISATION
    assert (refused.value.field, refused.value.message) == (field, reason)
    assert written() == before


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"display_name": 12345}, "display_name", "expected text, got int"),
        ({"display_name": "李\u2066四"}, "display_name", "control character U+2066 is not allowed"),
        ({"display_name": "李" * 65}, "display_name", "at most 64 characters, got 65"),
        ({"phone": {"mobile": "13900000000"}}, "phone", "expected text, got dict"),
        ({"phone": "139\x0000000000"}, "phone", "control character U+0000 is not allowed"),
        ({"phone": "1" * 21}, "phone", "at most 20 characters, got 21"),
    ],
)
def test_a_public_account_display_name_and_phone_are_typed_text(db, changes, field, reason):
    before = written()
    with pytest.raises(InvalidInputError) as refused:
        register_public_account(
            kind="citizen",
            username="li_si",
            password=PASSWORD,
            resident_id=resident_id_with_check_digit("23010219750312003"),
            **changes,
        )
    assert (refused.value.field, refused.value.message) == (field, reason)
    assert written() == before
