"""API keys: issued once, stored as a digest, found by prefix, revocable; audited."""

from __future__ import annotations

import hashlib

import pytest

from egov.core.errors import ErrorCode, ForbiddenError, InvalidInputError, NotFoundError
from egov.core.models import ApiKey, AuditEntry, ExternalSystem
from egov.core.services.apikeys import (
    authenticate_api_key,
    issue_api_key,
    register_external_system,
    revoke_api_key,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def system(admin_harbin) -> ExternalSystem:
    from egov.core.testing import make_organisation

    make_organisation("230100-SCJG")
    return register_external_system(
        actor=admin_harbin,
        code="harbin-market-approvals",
        name="哈尔滨市市场监管局审批系统",
        organisation_code="230100-SCJG",
    )


def counts() -> tuple[int, int, int]:
    return ExternalSystem.objects.count(), ApiKey.objects.count(), AuditEntry.objects.count()


def test_an_issued_key_authenticates_its_system_and_only_its_digest_is_stored(admin_harbin, system):
    api_key, key = issue_api_key(actor=admin_harbin, system_code=system.code)
    assert key.startswith(f"egk_{api_key.prefix}_")
    stored = ApiKey.objects.get(pk=api_key.pk)
    assert stored.digest == hashlib.sha256(key.encode()).hexdigest()
    assert key not in (stored.digest, stored.prefix)
    assert authenticate_api_key(key) == system
    assert AuditEntry.objects.order_by("-sequence").first().action == "apikey.issue"


def test_a_tampered_or_malformed_key_authenticates_nothing(admin_harbin, system):
    _, key = issue_api_key(actor=admin_harbin, system_code=system.code)
    tampered = key[:-1] + ("A" if key[-1] != "A" else "B")
    for presented in (tampered, "", None, "egk_short", key + "x"):
        assert authenticate_api_key(presented) is None


def test_a_revoked_key_or_an_inactive_system_authenticates_nothing(admin_harbin, system):
    api_key, key = issue_api_key(actor=admin_harbin, system_code=system.code)
    _, other_key = issue_api_key(actor=admin_harbin, system_code=system.code)
    revoke_api_key(actor=admin_harbin, prefix=api_key.prefix)
    assert authenticate_api_key(key) is None
    assert authenticate_api_key(other_key) == system
    ExternalSystem.objects.filter(pk=system.pk).update(is_active=False)
    assert authenticate_api_key(other_key) is None
    assert AuditEntry.objects.filter(action="apikey.revoke").count() == 1


def test_revoking_twice_is_refused(admin_harbin, system):
    api_key, _ = issue_api_key(actor=admin_harbin, system_code=system.code)
    revoke_api_key(actor=admin_harbin, prefix=api_key.prefix)
    before = counts()
    with pytest.raises(NotFoundError) as refused:
        revoke_api_key(actor=admin_harbin, prefix=api_key.prefix)
    assert refused.value.error_code == ErrorCode.API_KEY_NOT_FOUND
    assert counts() == before


def test_only_administrators_over_the_systems_organisation_issue_keys(
    system, clerk_harbin, admin_province
):
    before = counts()
    with pytest.raises(ForbiddenError):
        issue_api_key(actor=clerk_harbin, system_code=system.code)
    assert counts() == before
    assert issue_api_key(actor=admin_province, system_code=system.code)[0].system == system


def test_an_unknown_system_is_refused(admin_harbin, db):
    before = counts()
    with pytest.raises(InvalidInputError) as refused:
        issue_api_key(actor=admin_harbin, system_code="no-such")
    assert (refused.value.field, refused.value.error_code) == (
        "system_code",
        ErrorCode.SYSTEM_NOT_FOUND,
    )
    assert counts() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"code": "Bad Code"}, "code"),
        ({"code": "harbin-market-approvals"}, "code"),
        ({"name": ""}, "name"),
        ({"organisation_code": "NO-SUCH"}, "organisation_code"),
    ],
)
def test_bad_system_registrations_write_nothing(admin_harbin, system, overrides, field):
    values = {"code": "other-system", "name": "其他系统", "organisation_code": "230100-SCJG"}
    before = counts()
    with pytest.raises(InvalidInputError) as refused:
        register_external_system(actor=admin_harbin, **(values | overrides))
    assert refused.value.field == field
    assert counts() == before
