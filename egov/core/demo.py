"""Demo data (演示数据): Heilongjiang's organisations and one account per role.

``load_demo_data()`` is idempotent: a second run creates nothing. It loads

* the regions if missing (migration 0004 normally has);
* the standard organisation chart (:mod:`egov.core.orgchart`) for every current
  division: the provincial government, its general office, the e-government
  office and 17 departments; for each of the 13 prefecture-level divisions a
  government, its office and 9 departments; for each of the 121 county-level
  divisions a government, its office and 7 departments;
* a staff account for each role at the province (黑龙江省人民政府), one city
  (哈尔滨市人民政府) and one county (哈尔滨市道里区人民政府), named
  ``<role>_<place>`` (``clerk_daoli``); the provincial administrator is a
  Django superuser (for /admin/);
* a citizen (born in 道里区) and an enterprise (registered in 哈尔滨市), with
  computed check characters.

Demo accounts share one password: ``EGOV_DEMO_PASSWORD`` if set, else
:data:`DEFAULT_DEMO_PASSWORD`, documented here and printed by ``egov demo`` and
``egov load_demo_data``. Demo data only: never load it into a real deployment.
"""

from __future__ import annotations

import os
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass

from django.db import transaction

from egov.core import policy
from egov.core.identifiers import credit_code_with_check_digit, resident_id_with_check_digit
from egov.core.models import Organisation, Region, User
from egov.core.orgchart import RegionInfo, government_code, organisation_chart
from egov.core.services.organisations import ensure_organisations
from egov.core.services.people import create_staff_user, register_public_account
from egov.core.services.regions import load_regions

DEFAULT_DEMO_PASSWORD = "Longjiang-demo-2026"  # noqa: S105 - the documented demo password
DEMO_ACTOR = "demo-loader"
DEMO_PLACES = (("province", "230000"), ("harbin", "230100"), ("daoli", "230102"))
DEMO_ROLES = (
    policy.CLERK,
    policy.DOCUMENT_CLERK,
    policy.SUPERVISOR,
    policy.DUTY_OFFICER,
    policy.EDITOR,
    policy.LEADER,
    policy.EGOV_OFFICE,
    policy.RA_OFFICER,
    policy.AUDITOR,
    policy.ADMINISTRATOR,
)
DEMO_CITIZEN = ("citizen_demo", "张晓明", resident_id_with_check_digit("23010219750312002"))
DEMO_ENTERPRISE = (
    "enterprise_demo",
    "哈尔滨龙江数据服务有限公司",
    credit_code_with_check_digit("91230100MA1C0DEM0"),
)


@dataclass(frozen=True)
class DemoAccount:
    """A demo login as ``egov demo`` prints it."""

    username: str
    password: str
    role: str
    organisation: str
    kind: str


def demo_password() -> str:
    return os.environ.get("EGOV_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


def load_demo_organisations() -> int:
    """The standard chart of all current divisions; returns how many were created."""
    if not Region.objects.filter(code="230000").exists():
        load_regions(actor=DEMO_ACTOR)
    regions = [
        RegionInfo(r.code, r.name, r.level, r.parent_id)
        for r in Region.objects.filter(is_current=True)
    ]
    return ensure_organisations(actor=DEMO_ACTOR, specs=organisation_chart(regions))


def demo_staff(password: str) -> list[DemoAccount]:
    """One staff account per role and place, created where missing."""
    names = dict(
        Organisation.objects.filter(
            code__in=[government_code(code) for _, code in DEMO_PLACES]
        ).values_list("code", "name")
    )
    existing = set(User.objects.values_list("username", flat=True))
    accounts = []
    for place, region_code in DEMO_PLACES:
        organisation_code = government_code(region_code)
        for role in DEMO_ROLES:
            username = f"{role}_{place}"
            if username not in existing:
                create_staff_user(
                    actor=DEMO_ACTOR,
                    username=username,
                    organisation_code=organisation_code,
                    password=password,
                    display_name=username,
                    roles=[role],
                    is_superuser=(role == policy.ADMINISTRATOR and place == "province"),
                )
            accounts.append(
                DemoAccount(username, password, role, names[organisation_code], "staff")
            )
    return accounts


def demo_public(password: str) -> list[DemoAccount]:
    """The demo citizen and enterprise, registered where missing."""
    existing = set(User.objects.values_list("username", flat=True))
    citizen, citizen_name, resident_id = DEMO_CITIZEN
    enterprise, enterprise_name, credit_code = DEMO_ENTERPRISE
    if citizen not in existing:
        register_public_account(
            kind=User.Kind.CITIZEN,
            username=citizen,
            password=password,
            display_name=citizen_name,
            resident_id=resident_id,
        )
    if enterprise not in existing:
        register_public_account(
            kind=User.Kind.ENTERPRISE,
            username=enterprise,
            password=password,
            display_name=enterprise_name,
            credit_code=credit_code,
        )
    return [
        DemoAccount(citizen, password, "-", citizen_name, User.Kind.CITIZEN),
        DemoAccount(enterprise, password, "-", enterprise_name, User.Kind.ENTERPRISE),
    ]


_app_loaders: dict[str, Callable[[], object]] = {}


def register_demo_loader(name: str, loader: Callable[[], object]) -> None:
    """Let an app add its own demo data (its ``AppConfig.ready`` calls this).

    Loaders run after the organisations and accounts, in registration order,
    inside the same transaction; each must be idempotent.
    """
    _app_loaders[name] = loader


@dataclass(frozen=True)
class DemoSetting:
    """An environment variable ``egov demo`` sets for itself and its children when unset.

    A demo-only value (the backup password of the demo's own repository),
    printed beside the demo accounts; never a default of the real settings.
    """

    variable: str
    value: str
    description: str


_demo_settings: dict[str, DemoSetting] = {}


def register_demo_setting(setting: DemoSetting) -> None:
    """Let an app give the demo a setting it needs (its ``AppConfig.ready`` calls this)."""
    _demo_settings[setting.variable] = setting


def apply_demo_settings(environ: MutableMapping[str, str]) -> list[DemoSetting]:
    """Set each registered demo setting that ``environ`` lacks; the ones set."""
    applied = []
    for setting in _demo_settings.values():
        if not environ.get(setting.variable):
            environ[setting.variable] = setting.value
            applied.append(setting)
    return applied


def load_demo_data() -> list[DemoAccount]:
    """Load the demo organisations and accounts, then every app's demo data (载入演示数据).

    Idempotent: a second run creates nothing.
    """
    password = demo_password()
    with transaction.atomic():
        load_demo_organisations()
        accounts = demo_staff(password) + demo_public(password)
        for loader in _app_loaders.values():
            loader()
        return accounts
