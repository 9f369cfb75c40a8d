"""record_audit appends a chained entry in the caller's transaction."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from egov.core import auditchain
from egov.core.models import AuditEntry, Organisation, Region, StaffProfile, User
from egov.core.services.audit import record_audit

pytestmark = pytest.mark.django_db


def daoli_clerk() -> User:
    region, _ = Region.objects.get_or_create(
        code="230102", defaults={"name": "道里区", "level": 3, "path": "230000/230100/230102/"}
    )
    organisation = Organisation.objects.create(
        code="AUDIT-T-DAOLI",
        name="哈尔滨市道里区人民政府",
        kind=Organisation.Kind.GOVERNMENT,
        region=region,
        path="1/",
    )
    user = User.objects.create_user("clerk_harbin_daoli", password="not-used-here-1")
    StaffProfile.objects.create(user=user, organisation=organisation)
    return user


def test_first_entry_starts_from_genesis_and_later_ones_link_to_it() -> None:
    first = record_audit(actor="system", action="calendar.imported", summary="导入2026年节假日")
    second = record_audit(actor="system", action="calendar.imported", summary="再次导入")
    assert (first.sequence, first.previous_hash) == (1, auditchain.GENESIS_HASH)
    assert (second.sequence, second.previous_hash) == (2, first.entry_hash)
    stored = AuditEntry.objects.get(sequence=2)
    fields = auditchain.ChainFields(
        stored.sequence,
        stored.occurred_at,
        stored.actor,
        stored.organisation,
        stored.action,
        stored.object_type,
        stored.object_id,
        stored.summary,
    )
    assert stored.entry_hash == auditchain.entry_hash(first.entry_hash, fields)


def test_a_user_actor_is_recorded_by_username_and_staff_organisation() -> None:
    clerk = daoli_clerk()
    entry = record_audit(
        actor=clerk, action="case.accepted", object_type="approvals.Case", object_id="HL-1"
    )
    assert (entry.actor, entry.organisation) == ("clerk_harbin_daoli", "AUDIT-T-DAOLI")
    assert (entry.object_type, entry.object_id) == ("approvals.Case", "HL-1")


def test_an_explicit_organisation_wins_over_the_staff_one() -> None:
    entry = record_audit(actor=daoli_clerk(), action="case.accepted", organisation="OTHER")
    assert entry.organisation == "OTHER"


def test_a_user_without_staff_profile_has_no_organisation() -> None:
    citizen = User.objects.create_user("citizen_li", kind=User.Kind.CITIZEN)
    entry = record_audit(actor=citizen, action="letter.submitted")
    assert (entry.actor, entry.organisation) == ("citizen_li", "")


def test_the_entry_is_rolled_back_with_the_callers_transaction() -> None:
    record_audit(actor="system", action="kept")

    class AbandonedError(Exception):
        pass

    def service_that_fails_after_auditing() -> None:
        with transaction.atomic():
            record_audit(actor="system", action="rolled.back")
            raise AbandonedError

    with pytest.raises(AbandonedError):
        service_that_fails_after_auditing()
    after = record_audit(actor="system", action="kept.again")
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["kept", "kept.again"]
    assert after.sequence == 2


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"actor": "", "action": "case.accepted"}, "actor"),
        ({"actor": "system", "action": "  "}, "action"),
        ({"actor": "system", "action": "x" * 65}, "action"),
        ({"actor": "system", "action": "a", "object_id": "9" * 129}, "object_id"),
        ({"actor": "system", "action": "a", "organisation": "O" * 33}, "organisation"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(arguments: dict, field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        record_audit(**arguments)
    assert field in refused.value.message_dict
    assert refused.value.message_dict[field][0]
    assert AuditEntry.objects.count() == 0
