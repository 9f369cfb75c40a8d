"""Shared test users and factories (测试用户与工厂) for every app's tests.

Organisations follow the standard chart (:mod:`egov.core.orgchart`), the same
codes as the demo data: ``230000-GOV`` (黑龙江省人民政府), ``230100-GOV``
(哈尔滨市人民政府), ``230102-GOV`` (哈尔滨市道里区人民政府), ``230100-SCJG``
(哈尔滨市市场监督管理局) ... :func:`make_organisation` creates one with its
ancestors on demand. Named users say what they may do: ``clerk_harbin_daoli``
acts on 道里区's business, ``clerk_qiqihar`` is refused it; see
:data:`NAMED_USERS`, exposed as pytest fixtures by ``egov/conftest.py``.

Usage::

    from egov.core.testing import make_staff, named_user
    user = make_staff("clerk_x", "230102-SCJG", roles=["clerk"])
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import transaction

from egov.core.identifiers import credit_code_with_check_digit, resident_id_with_check_digit
from egov.core.models import Organisation, Region, User
from egov.core.orgchart import OrganisationSpec, RegionInfo, organisation_chart
from egov.core.regions_data import province_divisions
from egov.core.testclock import SHANGHAI

TEST_PASSWORD = "Test-password-2026"  # noqa: S105 - fixed password for test accounts only
TEST_ACTOR = "test-setup"


def shanghai(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A moment on the province's clock, for tests that state when they run.

    ``time_machine.move_to(shanghai(2026, 11, 26))`` puts a test on a Thursday
    morning whatever the real date (or ``EGOV_TEST_TODAY``) is.
    """
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def ensure_regions() -> None:
    """Load the province's divisions if the table is empty (a flushed transactional test)."""
    if not Region.objects.filter(code="230000").exists():
        from egov.core.services.regions import load_regions

        load_regions(actor=TEST_ACTOR)


@lru_cache(maxsize=1)
def chart() -> dict[str, OrganisationSpec]:
    """The standard chart of the current divisions, by organisation code."""
    regions = [
        RegionInfo(record.code, record.name, record.level, record.parent)
        for record in province_divisions()
        if record.is_current
    ]
    return {spec.code: spec for spec in organisation_chart(regions)}


def chain_of(code: str) -> list[OrganisationSpec]:
    """The chart specs from the root down to ``code``."""
    specs = chart()
    if code not in specs:
        raise KeyError(f"{code} is not in the standard chart (e.g. 230102-GOV, 230100-SCJG)")
    chain = [specs[code]]
    while chain[-1].parent_code:
        chain.append(specs[chain[-1].parent_code])
    return list(reversed(chain))


def make_organisation(code: str) -> Organisation:
    """The chart organisation ``code``, created with its ancestors if missing."""
    existing = Organisation.objects.filter(code=code).first()
    if existing is not None:
        return existing
    from egov.core.services.organisations import ensure_organisations

    ensure_regions()
    ensure_organisations(actor=TEST_ACTOR, specs=chain_of(code))
    return Organisation.objects.get(code=code)


def make_staff(
    username: str,
    organisation_code: str,
    roles: Iterable[str] = ("clerk",),
    *,
    password: str = TEST_PASSWORD,
    display_name: str = "",
    is_active: bool = True,
    is_superuser: bool = False,
    role_organisation_code: str | None = None,
) -> User:
    """A staff user at a chart organisation holding ``roles`` there (or at another one).

    Created through the real services (``create_staff_user``, ``grant_role``),
    so the audit chain records it like any staff account.
    """
    from egov.core.services.people import create_staff_user, grant_role

    make_organisation(organisation_code)
    user = create_staff_user(
        actor=TEST_ACTOR,
        username=username,
        organisation_code=organisation_code,
        password=password,
        display_name=display_name or username,
        is_superuser=is_superuser,
    )
    if role_organisation_code:
        make_organisation(role_organisation_code)
    for role in roles:
        grant_role(
            actor=TEST_ACTOR,
            user=user,
            role=role,
            organisation_code=role_organisation_code or organisation_code,
        )
    if not is_active:
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
    return user


_serial = itertools.count(1)


def resident_id(address_code: str = "230102", birth: str = "19750312") -> str:
    """A resident ID with a correct check character; the sequence digits vary per call."""
    return resident_id_with_check_digit(f"{address_code}{birth}{next(_serial) % 1000:03d}")


def credit_code(region_code: str = "230100") -> str:
    """A unified social credit code with a correct check character, unique per call."""
    return credit_code_with_check_digit(f"91{region_code}MA{next(_serial) % 10**7:07d}")


def make_citizen(username: str = "citizen_zhang", *, resident: str | None = None) -> User:
    """A citizen account (个人) born in 道里区 unless ``resident`` says otherwise."""
    from egov.core.services.people import register_public_account

    ensure_regions()
    return register_public_account(
        kind=User.Kind.CITIZEN,
        username=username,
        password=TEST_PASSWORD,
        display_name="张三",
        resident_id=resident or resident_id(),
    )


def make_enterprise(username: str = "enterprise_longjiang", *, code: str | None = None) -> User:
    """An enterprise account (法人) registered in 哈尔滨市."""
    from egov.core.services.people import register_public_account

    return register_public_account(
        kind=User.Kind.ENTERPRISE,
        username=username,
        password=TEST_PASSWORD,
        display_name="黑龙江龙江测试有限公司",
        credit_code=code or credit_code(),
    )


@dataclass(frozen=True)
class NamedUser:
    """A named test user: where they sit, what roles they hold, what that lets them do."""

    organisation_code: str
    roles: tuple[str, ...]
    may: str
    is_active: bool = True
    is_superuser: bool = False


NAMED_USERS: dict[str, NamedUser] = {
    "clerk_harbin_daoli": NamedUser(
        "230102-GOV", ("clerk",), "clerk for 道里区's government and departments"
    ),
    "clerk_daoli_market": NamedUser(
        "230102-SCJG", ("clerk",), "clerk for 道里区市场监督管理局 only, not other 道里区 bodies"
    ),
    "clerk_harbin": NamedUser("230100-GOV", ("clerk",), "clerk for all of 哈尔滨市, 道里区 too"),
    "clerk_qiqihar": NamedUser("230200-GOV", ("clerk",), "clerk for 齐齐哈尔市: refused in 哈尔滨"),
    "clerk_inactive": NamedUser(
        "230102-GOV", ("clerk",), "deactivated 道里区 clerk: refused everything", is_active=False
    ),
    "document_clerk_province": NamedUser(
        "230000-OFFICE", ("document_clerk",), "sends documents for the provincial general office"
    ),
    "document_clerk_harbin": NamedUser(
        "230100-OFFICE", ("document_clerk",), "sends and signs for 哈尔滨市政府办公室"
    ),
    "document_clerk_daoli": NamedUser(
        "230102-OFFICE", ("document_clerk",), "signs for 道里区政府办公室"
    ),
    "supervisor_province": NamedUser("230000-GOV", ("supervisor",), "supervises every body"),
    "supervisor_harbin": NamedUser("230100-GOV", ("supervisor",), "supervises 哈尔滨市 only"),
    "duty_officer_province": NamedUser("230000-GOV", ("duty_officer",), "province-wide duty"),
    "duty_officer_harbin": NamedUser("230100-GOV", ("duty_officer",), "duty for 哈尔滨市"),
    "editor_province": NamedUser("230000-OFFICE", ("editor",), "edits the provincial portal"),
    "leader_province": NamedUser("230000-GOV", ("leader",), "dashboards for the whole province"),
    "leader_harbin": NamedUser("230100-GOV", ("leader",), "dashboards for 哈尔滨市"),
    "egov_office_province": NamedUser(
        "230000-GOV", ("egov_office",), "runs e-gov work and manages organisations province-wide"
    ),
    "ra_officer_province": NamedUser("230000-GOV", ("ra_officer",), "approves certificates"),
    "ra_officer_harbin": NamedUser(
        "230100-GOV", ("ra_officer",), "approves certificates for 哈尔滨市 only, not 齐齐哈尔"
    ),
    "ra_officer_qiqihar": NamedUser(
        "230200-GOV", ("ra_officer",), "approves certificates for 齐齐哈尔市: refused in 哈尔滨"
    ),
    "auditor_province": NamedUser("230000-GOV", ("auditor",), "reads the whole audit trail"),
    "auditor_harbin": NamedUser("230100-GOV", ("auditor",), "reads 哈尔滨市's audit trail only"),
    "admin_province": NamedUser(
        "230000-GOV",
        ("administrator",),
        "administers everything; Django superuser for /admin/",
        is_superuser=True,
    ),
    "admin_harbin": NamedUser("230100-GOV", ("administrator",), "administers 哈尔滨市 only"),
    "staff_without_role": NamedUser("230102-GOV", (), "staff of 道里区 with no role: refused"),
}


def named_user(name: str) -> User:
    """The named test user, created on first use (see :data:`NAMED_USERS`)."""
    existing = User.objects.filter(username=name).first()
    if existing is not None:
        return existing
    spec = NAMED_USERS[name]
    return make_staff(
        name,
        spec.organisation_code,
        spec.roles,
        is_active=spec.is_active,
        is_superuser=spec.is_superuser,
    )


def pass_second_factor(client: Any, user: User) -> Any:
    """Mark ``client``'s session as having passed the TOTP second factor for ``user``.

    Gives the user a confirmed authenticator (created once) and records it in the
    session, as :func:`django_otp.login` does after a correct token. For tests
    of privileged pages (administrators, RA officers, auditors) that are not
    about the second factor; ``egov/conftest.py`` applies it on ``force_login``.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@contextlib.contextmanager
def kept_for_the_module(django_db_blocker: Any) -> Iterator[None]:
    """Data built once for a module's tests and rolled back after them (setUpTestData).

    For a module-scoped fixture that builds what every test of the module reads
    (the whole demo takes seconds): the block is one atomic transaction around
    the module's tests, marked as a test case's own (``_from_testcase``, as
    Django's ``TestCase`` marks its class-wide one) so that the services' durable
    transactions may open inside it. Each test's own transaction is a savepoint
    in it, rolled back after the test; this block is rolled back after the last
    test of the module, so no other module sees the data.
    """
    with django_db_blocker.unblock():
        module_atomic = transaction.atomic()
        module_atomic._from_testcase = True  # type: ignore[attr-defined]
        module_atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            module_atomic.__exit__(None, None, None)
