"""Correlation rules (关联规则): security events → incidents, pure (no Django import).

A rule is a small named object, as supervision's rules are (ADR 0024): its
code, its Chinese name, what it looks for, its parameters with defaults, and
one pure function from :class:`Facts` to :class:`Hit` s. A hit names its
subject (an address or a username) and the time window it covers; its
fingerprint (rule, subject, window start) makes an incident once per pattern
and window, and the service also skips a hit overlapping an incident of the
same rule and subject, so re-running adds nothing.

The facts are read by :mod:`egov.monitoring.selectors` and passed in as plain
values.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
PRIVILEGED_ROLES = frozenset({"administrator", "ra_officer", "auditor"})
MEDIUM, HIGH = "medium", "high"
EVIDENCE_IDS_MAX = 50


def _(text: str) -> str:
    """Mark a rule's name for translation (gettext_noop); the page translates it."""
    return text


@dataclass(frozen=True)
class FailedLogin:
    """A failed password login (登录失败) from one address for one username."""

    event_id: int
    at: datetime
    username: str
    ip_address: str


@dataclass(frozen=True)
class SignInFact:
    """A successful sign-in with what was known of the account's earlier sign-ins."""

    sign_in_id: int
    at: datetime
    username: str
    ip_address: str
    privileged: bool
    roles: tuple[str, ...] = ()
    organisation: str = ""
    addresses_seen_before: frozenset[str] = frozenset()
    signed_in_before: bool = False


@dataclass(frozen=True)
class PrivilegeChange:
    """A role granted or revoked (权限变更), from the security event core records."""

    event_id: int
    at: datetime
    username: str
    change: str
    role: str
    organisation: str
    actor: str


@dataclass(frozen=True)
class Facts:
    failed_logins: tuple[FailedLogin, ...] = ()
    sign_ins: tuple[SignInFact, ...] = ()
    privilege_changes: tuple[PrivilegeChange, ...] = ()


@dataclass(frozen=True)
class Hit:
    """A pattern found: the rule, its subject, the window it spans and the evidence."""

    rule_code: str
    severity: str
    subject: str
    summary: str
    window_start: datetime
    window_end: datetime
    evidence: Mapping[str, Any] = field(default_factory=dict)
    organisation: str = ""

    @property
    def fingerprint(self) -> str:
        text = f"{self.rule_code}|{self.subject}|{self.window_start.isoformat()}"
        return hashlib.sha256(text.encode()).hexdigest()


Check = Callable[[Facts, Mapping[str, Any]], list[Hit]]


@dataclass(frozen=True)
class CorrelationRule:
    """A named correlation rule with its parameters' defaults."""

    code: str
    name: str
    description: str
    check: Check
    defaults: Mapping[str, Any] = field(default_factory=dict)

    def run(self, facts: Facts, parameters: Mapping[str, Any] | None = None) -> list[Hit]:
        return self.check(facts, {**self.defaults, **(parameters or {})})


# --- brute force across accounts from one address -------------------------------------


def bursts(failures: Sequence[FailedLogin], gap: timedelta) -> list[list[FailedLogin]]:
    """Failures (sorted by time) split where consecutive ones are ``gap`` or more apart."""
    groups: list[list[FailedLogin]] = []
    for failure in failures:
        if groups and failure.at - groups[-1][-1].at < gap:
            groups[-1].append(failure)
        else:
            groups.append([failure])
    return groups


def most_usernames_within(burst: Sequence[FailedLogin], window: timedelta) -> int:
    """The most distinct usernames tried within any ``window`` of the burst."""
    best, start = 0, 0
    for end, failure in enumerate(burst):
        while failure.at - burst[start].at >= window:
            start += 1
        best = max(best, len({f.username for f in burst[start : end + 1]}))
    return best


def brute_force_hit(address: str, burst: Sequence[FailedLogin], minutes: int) -> Hit:
    usernames = sorted({failure.username for failure in burst})
    return Hit(
        rule_code=BRUTE_FORCE.code,
        severity=HIGH,
        subject=address,
        summary=f"{len(usernames)} accounts failed from {address} within {minutes} min",
        window_start=burst[0].at,
        window_end=burst[-1].at,
        evidence={
            "ip_address": address,
            "usernames": usernames,
            "attempts": len(burst),
            "security_events": [failure.event_id for failure in burst][:EVIDENCE_IDS_MAX],
        },
    )


def check_brute_force(facts: Facts, params: Mapping[str, Any]) -> list[Hit]:
    """N distinct usernames failing from one address within M minutes (撞库/暴力破解)."""
    window = timedelta(minutes=int(params["window_minutes"]))
    by_address: dict[str, list[FailedLogin]] = defaultdict(list)
    for failure in sorted(facts.failed_logins, key=lambda f: (f.at, f.event_id)):
        if failure.ip_address:
            by_address[failure.ip_address].append(failure)
    hits = []
    for address, failures in sorted(by_address.items()):
        for burst in bursts(failures, window):
            if most_usernames_within(burst, window) >= int(params["distinct_usernames"]):
                hits.append(brute_force_hit(address, burst, int(params["window_minutes"])))
    return hits


BRUTE_FORCE = CorrelationRule(
    code="brute_force.accounts_from_one_address",
    name=_("同一地址多账户登录失败"),
    description=_("同一 IP 地址在 M 分钟内对 N 个以上不同用户名登录失败"),
    check=check_brute_force,
    defaults={"distinct_usernames": 5, "window_minutes": 10},
)


# --- privileged sign-ins -----------------------------------------------------------------


def parse_hours(text: str) -> tuple[int, int]:
    """``"22-6"`` → (22, 6): local hours from 22:00 up to 06:00; ValueError if malformed."""
    problem = f"odd hours must be 'H-H' with different hours 0..23, got {text!r}"
    start, _sep, end = str(text).partition("-")
    try:
        hours = (int(start), int(end))
    except ValueError:
        raise ValueError(problem) from None
    if not all(0 <= hour <= 23 for hour in hours) or hours[0] == hours[1]:
        raise ValueError(problem)
    return hours


def is_odd_hour(moment: datetime, hours: tuple[int, int]) -> bool:
    """Is the moment, on Beijing time, in [start, end) (wrapping past midnight)?"""
    hour = moment.astimezone(SHANGHAI).hour
    start, end = hours
    return start <= hour < end if start < end else hour >= start or hour < end


def sign_in_evidence(sign_in: SignInFact) -> dict[str, Any]:
    return {
        "sign_in": sign_in.sign_in_id,
        "username": sign_in.username,
        "ip_address": sign_in.ip_address,
        "roles": list(sign_in.roles),
        "at": sign_in.at.isoformat(),
    }


def check_odd_hours(facts: Facts, params: Mapping[str, Any]) -> list[Hit]:
    """A privileged account signing in at an odd hour, Beijing time (非工作时间特权登录)."""
    hours = parse_hours(params["hours"])
    return [
        Hit(
            rule_code=ODD_HOURS.code,
            severity=MEDIUM,
            subject=sign_in.username,
            summary=(
                f"privileged sign-in of {sign_in.username} at "
                f"{sign_in.at.astimezone(SHANGHAI):%H:%M} (odd hours {params['hours']})"
            ),
            window_start=sign_in.at,
            window_end=sign_in.at,
            evidence=sign_in_evidence(sign_in) | {"odd_hours": str(params["hours"])},
            organisation=sign_in.organisation,
        )
        for sign_in in facts.sign_ins
        if sign_in.privileged and is_odd_hour(sign_in.at, hours)
    ]


ODD_HOURS = CorrelationRule(
    code="sign_in.privileged_odd_hours",
    name=_("特权账户非工作时间登录"),
    description=_("管理员、RA 审核员、审计员在设定的时段（北京时间）登录"),
    check=check_odd_hours,
    defaults={"hours": "22-6"},
)


def check_new_address(facts: Facts, params: Mapping[str, Any]) -> list[Hit]:
    """A privileged account signing in from an address it never used before (新地址登录).

    An account's very first recorded sign-in has no history to compare with and
    is not flagged.
    """
    return [
        Hit(
            rule_code=NEW_ADDRESS.code,
            severity=HIGH,
            subject=sign_in.username,
            summary=f"privileged sign-in of {sign_in.username} from new address "
            f"{sign_in.ip_address}",
            window_start=sign_in.at,
            window_end=sign_in.at,
            evidence=sign_in_evidence(sign_in)
            | {"addresses_seen_before": sorted(sign_in.addresses_seen_before)},
            organisation=sign_in.organisation,
        )
        for sign_in in facts.sign_ins
        if sign_in.privileged
        and sign_in.ip_address
        and sign_in.signed_in_before
        and sign_in.ip_address not in sign_in.addresses_seen_before
    ]


NEW_ADDRESS = CorrelationRule(
    code="sign_in.privileged_new_address",
    name=_("特权账户从新地址登录"),
    description=_("特权账户从此前从未使用过的 IP 地址登录"),
    check=check_new_address,
)


# --- privilege changes ---------------------------------------------------------------------


def check_role_granted(facts: Facts, params: Mapping[str, Any]) -> list[Hit]:
    """A role granted (授予角色): high when it is a privileged role."""
    watched = set(params["roles"])
    return [
        Hit(
            rule_code=ROLE_GRANTED.code,
            severity=HIGH if change.role in PRIVILEGED_ROLES else MEDIUM,
            subject=change.username,
            summary=f"{change.actor} granted {change.role} to {change.username} "
            f"at {change.organisation}",
            window_start=change.at,
            window_end=change.at,
            evidence={
                "security_event": change.event_id,
                "username": change.username,
                "role": change.role,
                "organisation": change.organisation,
                "granted_by": change.actor,
            },
            organisation=change.organisation,
        )
        for change in facts.privilege_changes
        if change.change == "role_granted" and (not watched or change.role in watched)
    ]


ROLE_GRANTED = CorrelationRule(
    code="privilege.role_granted",
    name=_("授予角色"),
    description=_("账户被授予角色（权限变更）；特权角色为高"),
    check=check_role_granted,
    defaults={"roles": ()},
)

RULES: tuple[CorrelationRule, ...] = (BRUTE_FORCE, ODD_HOURS, NEW_ADDRESS, ROLE_GRANTED)


def rule_named(code: str) -> CorrelationRule | None:
    return next((rule for rule in RULES if rule.code == code), None)


def correlate(facts: Facts, parameters: Mapping[str, Mapping[str, Any]] | None = None) -> list[Hit]:
    """Every rule's hits on the facts; ``parameters`` overrides defaults per rule code."""
    given = parameters or {}
    return [hit for rule in RULES for hit in rule.run(facts, given.get(rule.code))]
