"""External systems and their API keys (外部系统与接口密钥); audited.

A key is shown once, at issue: ``egk_<prefix>_<secret>``. The table keeps the
prefix (for lookup) and the SHA-256 digest of the whole key, never the key;
a presented key is found by its prefix and compared by digest in constant
time. Revoked keys and keys of inactive systems authenticate nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from egov.core.errors import ErrorCode, InvalidInputError, NotFoundError
from egov.core.models import ApiKey, ExternalSystem, Organisation
from egov.core.permissions import require
from egov.core.services.audit import record_audit

KEY_PATTERN = re.compile(r"^egk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
SYSTEM_CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")


def key_digest(key: str) -> str:
    """The SHA-256 hex digest stored for a key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> tuple[str, str]:
    """(prefix, full key) with 256 bits of secret."""
    prefix = secrets.token_hex(6)
    return prefix, f"egk_{prefix}_{secrets.token_urlsafe(32)}"


def register_external_system(
    *, actor: Any, code: str, name: str, organisation_code: str
) -> ExternalSystem:
    """Register an external system (登记外部系统) owned by an organisation; audited."""
    if not isinstance(code, str) or not SYSTEM_CODE_PATTERN.match(code):
        raise InvalidInputError(
            ErrorCode.INVALID_INPUT, "code", "2-64 lower-case letters, digits or '-'"
        )
    if not isinstance(name, str) or not name.strip() or len(name) > 128:
        raise InvalidInputError(ErrorCode.INVALID_INPUT, "name", "required, at most 128 characters")
    with transaction.atomic():
        organisation = Organisation.objects.filter(code=organisation_code, is_active=True).first()
        if organisation is None:
            raise InvalidInputError(
                ErrorCode.ORGANISATION_NOT_FOUND, "organisation_code", "no such organisation"
            )
        require(actor, "apikey.manage", organisation)
        if ExternalSystem.objects.filter(code=code).exists():
            raise InvalidInputError(
                ErrorCode.DUPLICATE_SYSTEM_CODE, "code", "a system has this code"
            )
        system = ExternalSystem.objects.create(
            code=code, name=name.strip(), organisation=organisation
        )
        record_audit(
            actor=actor,
            action="system.register",
            object_type="external_system",
            object_id=code,
            summary=f"{name} for {organisation_code}",
            organisation=organisation_code,
        )
    return system


def issue_api_key(*, actor: Any, system_code: str) -> tuple[ApiKey, str]:
    """Issue a key for a registered system (签发接口密钥): the key object and the key,
    which is shown this once and never stored."""
    with transaction.atomic():
        system = (
            ExternalSystem.objects.select_related("organisation")
            .filter(code=system_code, is_active=True)
            .first()
        )
        if system is None:
            raise InvalidInputError(
                ErrorCode.SYSTEM_NOT_FOUND, "system_code", "no such active system"
            )
        require(actor, "apikey.manage", system.organisation)
        prefix, key = new_key()
        api_key = ApiKey.objects.create(system=system, prefix=prefix, digest=key_digest(key))
        record_audit(
            actor=actor,
            action="apikey.issue",
            object_type="api_key",
            object_id=f"{system_code}:{prefix}",
            organisation=system.organisation.code,
        )
    return api_key, key


def revoke_api_key(*, actor: Any, prefix: str) -> ApiKey:
    """Revoke a key (吊销接口密钥) by its prefix; audited. Revoking twice is refused."""
    with transaction.atomic():
        api_key = (
            ApiKey.objects.select_for_update()
            .select_related("system__organisation")
            .filter(prefix=prefix, revoked_at__isnull=True)
            .first()
        )
        if api_key is None:
            raise NotFoundError(
                ErrorCode.API_KEY_NOT_FOUND, "no unrevoked key with this prefix", "prefix"
            )
        require(actor, "apikey.manage", api_key.system.organisation)
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
        record_audit(
            actor=actor,
            action="apikey.revoke",
            object_type="api_key",
            object_id=f"{api_key.system.code}:{prefix}",
            organisation=api_key.system.organisation.code,
        )
    return api_key


def authenticate_api_key(key: str | None) -> ExternalSystem | None:
    """The active system a presented key belongs to, or None (unknown, revoked, malformed)."""
    match = KEY_PATTERN.match(key or "")
    if match is None:
        return None
    api_key = (
        ApiKey.objects.select_related("system__organisation")
        .filter(prefix=match.group(1), revoked_at__isnull=True, system__is_active=True)
        .first()
    )
    if api_key is None or not hmac.compare_digest(api_key.digest, key_digest(key or "")):
        return None
    return api_key.system
