"""People writes (人员与角色): staff accounts, role grants and revocations, public accounts.

Every change is audited; granting and revoking roles are privilege changes
(``role.grant`` / ``role.revoke``), which security monitoring reads later.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from egov.core import policy
from egov.core.errors import ErrorCode, InvalidInputError, typed_text
from egov.core.identifiers import IdentifierError, parse_credit_code, parse_resident_id
from egov.core.models import Organisation, PublicAccount, Region, RoleAssignment, StaffProfile, User
from egov.core.permissions import forget_grants, require
from egov.core.services.audit import actor_identity, record_audit
from egov.core.services.security import record_security_event
from egov.core.text_input import PHONE_MAX

DISPLAY_NAME_MAX = 64


def check_username(username: str) -> None:
    """Refuse a malformed or taken username."""
    if not isinstance(username, str) or not username or len(username) > 150:
        raise InvalidInputError(
            ErrorCode.INVALID_USER, "username", "required, at most 150 characters"
        )
    try:
        User.username_validator(username)
    except ValidationError as exc:
        raise InvalidInputError(
            ErrorCode.INVALID_USER, "username", "letters, digits and @ . + - _ only"
        ) from exc
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInputError(ErrorCode.USERNAME_TAKEN, "username", "this username is taken")


def check_password(password: str | None, user: User) -> None:
    """Refuse a password the configured validators reject (None: no password login)."""
    if password is None:
        return
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInputError(ErrorCode.INVALID_USER, "password", " ".join(exc.messages)) from exc


def check_display_name(display_name: Any) -> str:
    """The display name stripped: text of at most DISPLAY_NAME_MAX characters."""
    return typed_text(
        display_name,
        field="display_name",
        code=ErrorCode.INVALID_USER,
        max_length=DISPLAY_NAME_MAX,
    )


def check_roles(roles: Iterable[str], field: str = "roles") -> list[str]:
    roles = list(roles)
    unknown = sorted(set(roles) - policy.ROLES)
    if unknown:
        raise InvalidInputError(
            ErrorCode.UNKNOWN_ROLE,
            field,
            f"unknown roles {unknown}; known: {sorted(policy.ROLES)}",
        )
    return roles


def find_organisation(code: str, field: str = "organisation_code") -> Organisation:
    organisation = Organisation.objects.filter(code=code, is_active=True).first()
    if organisation is None:
        raise InvalidInputError(ErrorCode.ORGANISATION_NOT_FOUND, field, "no such organisation")
    return organisation


def new_user(*, username: str, password: str | None, kind: str, display_name: str) -> User:
    """An unsaved user with its password set (or unusable), after validation."""
    check_username(username)
    user = User(username=username, kind=kind, display_name=check_display_name(display_name))
    check_password(password, user)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    return user


def create_staff_user(
    *,
    actor: Any,
    username: str,
    organisation_code: str,
    password: str | None = None,
    display_name: str = "",
    title: str = "",
    roles: Iterable[str] = (),
    is_superuser: bool = False,
) -> User:
    """Create a staff account (新建工作人员) at an organisation, with roles held there.

    The actor needs ``staff.manage`` over the organisation. ``is_superuser``
    opens Django's /admin/ (it grants nothing in :func:`may`). Audited; bad
    input raises :class:`InvalidInputError` and writes nothing.
    """
    roles = check_roles(roles)
    with transaction.atomic():
        organisation = find_organisation(organisation_code)
        require(actor, "staff.manage", organisation)
        user = new_user(
            username=username, password=password, kind=User.Kind.STAFF, display_name=display_name
        )
        user.is_staff = user.is_superuser = is_superuser
        user.save()
        StaffProfile.objects.create(user=user, organisation=organisation, title=title[:64])
        record_audit(
            actor=actor,
            action="staff.create",
            object_type="user",
            object_id=username,
            summary=f"staff at {organisation_code}" + (" (superuser)" if is_superuser else ""),
            organisation=organisation_code,
        )
        for role in roles:
            grant_role(actor=actor, user=user, role=role, organisation_code=organisation_code)
    return user


def grant_role(*, actor: Any, user: User, role: str, organisation_code: str) -> RoleAssignment:
    """Grant a role at an organisation (授予角色): it applies to the organisation's subtree.

    Audited as ``role.grant``. Granting a role already held changes nothing
    and returns the existing assignment.
    """
    check_roles([role], "role")
    if user.kind != User.Kind.STAFF:
        raise InvalidInputError(ErrorCode.NOT_STAFF, "user", "roles are for staff accounts only")
    with transaction.atomic():
        organisation = find_organisation(organisation_code)
        require(actor, "role.grant", organisation)
        assignment, created = RoleAssignment.objects.get_or_create(
            user=user, role=role, organisation=organisation
        )
        if created:
            record_audit(
                actor=actor,
                action="role.grant",
                object_type="user",
                object_id=user.username,
                summary=f"{role} at {organisation_code}",
                organisation=organisation_code,
            )
            privilege_changed(actor, user, "role_granted", role, organisation)
    forget_grants(user)
    return assignment


def revoke_role(*, actor: Any, user: User, role: str, organisation_code: str) -> None:
    """Revoke a role held at an organisation (撤销角色); audited as ``role.revoke``."""
    check_roles([role], "role")
    with transaction.atomic():
        organisation = find_organisation(organisation_code)
        require(actor, "role.grant", organisation)
        deleted, _ = RoleAssignment.objects.filter(
            user=user, role=role, organisation=organisation
        ).delete()
        if not deleted:
            raise InvalidInputError(
                ErrorCode.ROLE_NOT_HELD, "role", f"{user.username} holds no {role} here"
            )
        record_audit(
            actor=actor,
            action="role.revoke",
            object_type="user",
            object_id=user.username,
            summary=f"{role} at {organisation_code}",
            organisation=organisation_code,
        )
        privilege_changed(actor, user, "role_revoked", role, organisation)
    forget_grants(user)


def privilege_changed(
    actor: Any, user: User, change: str, role: str, organisation: Organisation
) -> None:
    """Record a role grant or revocation as a security event (权限变更)."""
    record_security_event(
        kind="privilege_changed",
        user=user,
        organisation=organisation,
        detail={
            "change": change,
            "role": role,
            "organisation": organisation.code,
            "actor": actor_identity(actor, "")[0],
        },
    )


def resident_region(resident_id: str) -> tuple[str, Region]:
    """The normalised resident ID and its address code's region (current or historical)."""
    try:
        parsed = parse_resident_id(resident_id)
    except IdentifierError as exc:
        raise InvalidInputError(ErrorCode.INVALID_RESIDENT_ID, "resident_id", str(exc)) from exc
    region = Region.objects.filter(code=parsed.address_code).first()
    if region is None:
        raise InvalidInputError(
            ErrorCode.INVALID_RESIDENT_ID,
            "resident_id",
            f"address code {parsed.address_code} is not a division of this province, "
            "current or historical",
        )
    return parsed.number, region


def public_identity(kind: str, resident_id: str, credit_code: str) -> dict[str, Any]:
    """The checked identity fields of a citizen (resident ID) or enterprise (USCC)."""
    if kind == User.Kind.CITIZEN:
        number, region = resident_region(resident_id)
        return {"resident_id": number, "region": region}
    if kind == User.Kind.ENTERPRISE:
        try:
            return {"credit_code": parse_credit_code(credit_code)}
        except IdentifierError as exc:
            raise InvalidInputError(ErrorCode.INVALID_CREDIT_CODE, "credit_code", str(exc)) from exc
    raise InvalidInputError(ErrorCode.INVALID_USER, "kind", "must be citizen or enterprise")


def register_public_account(
    *,
    kind: str,
    username: str,
    password: str,
    display_name: str = "",
    resident_id: str = "",
    credit_code: str = "",
    phone: str = "",
) -> User:
    """Register a citizen (个人) or enterprise (法人) account; audited, actor is the account.

    A citizen gives a resident ID: its check character is verified, and its
    address code must be one of the province's divisions, current or historical
    (people born before a reform keep their old code). An enterprise gives its
    unified social credit code. Duplicate numbers are refused.
    """
    identity = public_identity(kind, resident_id, credit_code)
    phone = typed_text(phone, field="phone", code=ErrorCode.INVALID_USER, max_length=PHONE_MAX)
    with transaction.atomic():
        for field in ("resident_id", "credit_code"):
            if (
                field in identity
                and PublicAccount.objects.filter(**{field: identity[field]}).exists()
            ):
                raise InvalidInputError(ErrorCode.INVALID_USER, field, "already registered")
        user = new_user(username=username, password=password, kind=kind, display_name=display_name)
        user.save()
        PublicAccount.objects.create(user=user, phone=phone, **identity)
        record_audit(
            actor=user,
            action="account.register",
            object_type="user",
            object_id=username,
            summary=f"{kind} account registered",
        )
    return user
