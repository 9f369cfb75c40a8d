"""Demo monitoring data (监控演示数据): a systems inventory and security incidents.

``load_demo_monitoring()`` (a demo loader, run by ``egov demo`` and
``egov load_demo_data``) is idempotent: a second run adds nothing. It loads

* the systems inventory: the platform itself on its loopback address and port
  (``EGOV_BIND``, which ``egov demo`` sets to its ``--bind``), probed over HTTP
  and TCP so its probes succeed once the server runs, and a few of the
  province's systems that are down: closed loopback ports only, so no probe
  ever leaves the machine. The down ones are probed at load; the worker probes
  them all every minute;
* security events of the last day: a burst of failed logins from one address
  across many accounts, a locked account, a few ordinary typos, and the
  provincial administrator's sign-ins (office hours from the office's
  address, then one at night from an address never used), correlated into
  incidents at load. The demo accounts' own role grants, made by the loader,
  are incidents too (every grant is); the provincial auditor closes those as
  initial provisioning, so the open incidents are the suspicious ones.

The addresses of the recorded events are documentation and private ones
(RFC 5737, RFC 1918): nothing is ever sent to them. Demo data only.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from django.utils import timezone

from egov.core.models import Organisation, SecurityEvent, User
from egov.core.orgchart import department_code, government_code
from egov.monitoring import correlation, selectors, services
from egov.monitoring.correlation import SHANGHAI
from egov.monitoring.models import Incident, ProbedSystem, SignIn

DEMO_ACTOR = "demo-loader"
DEFAULT_BIND = "127.0.0.1:8000"
ATTACKER_ADDRESS = "203.0.113.45"  # RFC 5737 documentation address: recorded, never contacted
OFFICE_ADDRESS = "10.12.0.25"
NIGHT_ADDRESS = "10.88.3.17"
PRIVILEGED_USERNAME = "administrator_province"
AUDITOR_USERNAME = "auditor_province"
SETUP_NOTE = "演示数据载入时为演示账户授予的角色（初始化授权），已核对，无异常。"
TRIED_USERNAMES = (
    "admin",
    "administrator",
    "root",
    "clerk_daoli",
    "auditor_province",
    "test",
    "zhangwei",
)
TYPOS = (("clerk_harbin", "10.23.1.14", 14, 5), ("editor_daoli", "10.31.6.40", 10, 41))


@dataclass(frozen=True)
class DemoSystem:
    """One entry of the demo inventory; ``target`` may name ``{bind}`` (the platform)."""

    code: str
    name: str
    kind: str
    target: str
    organisation: str
    expected_status: int | None = None
    is_platform: bool = False


def demo_systems() -> tuple[DemoSystem, ...]:
    """The province's systems as the demo registers them; down ones on closed loopback ports."""
    http, tcp = ProbedSystem.Kind.HTTP, ProbedSystem.Kind.TCP
    return (
        DemoSystem(
            "egov-platform",
            "黑龙江省电子政务平台（本机）",
            http,
            "http://{bind}/healthz",
            department_code("230000", "EGOV"),
            200,
            is_platform=True,
        ),
        DemoSystem(
            "egov-platform-port",
            "黑龙江省电子政务平台 Web 端口",
            tcp,
            "{bind}",
            department_code("230000", "EGOV"),
            is_platform=True,
        ),
        DemoSystem(
            "hlj-license-db",
            "省电子证照库数据库",
            tcp,
            "127.0.0.1:9",
            department_code("230000", "EGOV"),
        ),
        DemoSystem(
            "harbin-12345",
            "哈尔滨市12345政务服务便民热线系统",
            http,
            "http://127.0.0.1:1/api/health",
            government_code("230100"),
            200,
        ),
    )


def platform_bind() -> str:
    """Where this platform listens: ``EGOV_BIND`` (set by ``egov demo``), else the default."""
    return os.environ.get("EGOV_BIND") or DEFAULT_BIND


def load_demo_systems() -> list[str]:
    """Register the demo inventory (the platform's own address kept current); codes added."""
    bind = platform_bind()
    organisations = {o.code: o for o in Organisation.objects.filter(code__startswith="230")}
    added = []
    for spec in demo_systems():
        _, created = ProbedSystem.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "kind": spec.kind,
                "target": spec.target.format(bind=bind),
                "organisation": organisations.get(spec.organisation),
                "expected_status": spec.expected_status,
                "timeout_seconds": 2.0,
            },
        )
        if created:
            added.append(spec.code)
    return added


def probe_systems_down() -> None:
    """Probe the other systems now (loopback only); the platform waits for the worker."""
    codes = [spec.code for spec in demo_systems() if not spec.is_platform]
    services.probe_systems(codes=codes)


def last_moment_at(now: dt.datetime, hour: int, minute: int, days_back: int = 0) -> dt.datetime:
    """The latest ``hour:minute`` (Beijing time) before ``now``, ``days_back`` days earlier."""
    local = now.astimezone(SHANGHAI)
    moment = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if moment >= local:
        moment -= dt.timedelta(days=1)
    return moment - dt.timedelta(days=days_back)


def failed_login(username: str, address: str, at: dt.datetime) -> SecurityEvent:
    user = User.objects.filter(username=username).select_related("staff__organisation").first()
    staff = getattr(user, "staff", None) if user is not None else None
    return SecurityEvent(
        kind=SecurityEvent.Kind.LOGIN_FAILED,
        occurred_at=at,
        username=username,
        user=user,
        organisation=staff.organisation if staff is not None else None,
        ip_address=address,
        user_agent="python-requests/2.31.0" if address == ATTACKER_ADDRESS else "Mozilla/5.0",
        detail={"entrance": "/login/", "while_locked": False},
    )


def brute_force_events(now: dt.datetime) -> list[SecurityEvent]:
    """Failed logins for many accounts from one address within minutes, then a lockout."""
    start = last_moment_at(now, 15, 12)
    events = [
        failed_login(name, ATTACKER_ADDRESS, start + dt.timedelta(seconds=40 * i))
        for i, name in enumerate(TRIED_USERNAMES * 2)
    ]
    locked = failed_login("clerk_daoli", ATTACKER_ADDRESS, start + dt.timedelta(minutes=10))
    locked.kind = SecurityEvent.Kind.ACCOUNT_LOCKED
    locked.detail = {"entrance": "/login/", "by": "django-axes"}
    return [*events, locked]


def typo_events(now: dt.datetime) -> list[SecurityEvent]:
    """Ordinary mistyped passwords: one failure each, no incident."""
    return [
        failed_login(name, address, last_moment_at(now, hour, minute))
        for name, address, hour, minute in TYPOS
    ]


def privileged_sign_ins(now: dt.datetime) -> list[SignIn]:
    """The provincial administrator: office hours from the office, then at night elsewhere."""
    user = User.objects.get(username=PRIVILEGED_USERNAME)
    office = [
        (last_moment_at(now, 9, 5 + days, days_back=days), OFFICE_ADDRESS) for days in (3, 2, 1)
    ]
    night = [(last_moment_at(now, 2, 47), NIGHT_ADDRESS)]
    return [
        SignIn(
            user=user,
            username=PRIVILEGED_USERNAME,
            signed_in_at=at,
            ip_address=address,
            entrance="/login/",
            roles=["administrator"],
            privileged=True,
        )
        for at, address in office + night
    ]


def load_demo_security_events(now: dt.datetime) -> int:
    """Record the demo's security events and sign-ins once; how many were recorded."""
    if SecurityEvent.objects.filter(ip_address=ATTACKER_ADDRESS).exists():
        return 0
    events = SecurityEvent.objects.bulk_create(brute_force_events(now) + typo_events(now))
    sign_ins = SignIn.objects.bulk_create(privileged_sign_ins(now))
    return len(events) + len(sign_ins)


def correlate_demo_events(now: dt.datetime) -> list[Incident]:
    """Correlate the last four days into incidents (in the loader's transaction, not durable).

    The window reaches a second past ``now`` so that grants the loader made at
    this very moment (a stopped test clock) are judged now, not on a second run.
    """
    facts = selectors.correlation_facts(now - dt.timedelta(days=4), now + dt.timedelta(seconds=1))
    hits = correlation.correlate(facts, services.rule_parameters())
    return services.open_incidents(hits=hits, actor=DEMO_ACTOR, now=now)


def close_setup_grants(incidents: list[Incident], now: dt.datetime) -> int:
    """Close the incidents of the loader's own role grants as the auditor would (audited)."""
    auditor = User.objects.filter(username=AUDITOR_USERNAME).first()
    setup = [
        incident
        for incident in incidents
        if incident.rule_code == correlation.ROLE_GRANTED.code
        and incident.evidence.get("granted_by") == DEMO_ACTOR
    ]
    for incident in setup:
        incident.status = Incident.Status.CLOSED
        incident.closed_at = now
        incident.closed_by = auditor
        incident.note = SETUP_NOTE
        incident.save(update_fields=["status", "closed_at", "closed_by", "note"])
        services.audit_handling(
            auditor or DEMO_ACTOR, incident, "monitoring.incident_closed", SETUP_NOTE
        )
    return len(setup)


def load_demo_monitoring() -> dict[str, int]:
    """Load the demo inventory, security events and incidents (idempotent); what was added."""
    now = timezone.now()
    systems = load_demo_systems()
    probe_systems_down()
    recorded = load_demo_security_events(now)
    incidents = correlate_demo_events(now)
    closed = close_setup_grants(incidents, now)
    return {
        "systems": len(systems),
        "events": recorded,
        "incidents": len(incidents) - closed,
        "setup_grants_closed": closed,
    }
