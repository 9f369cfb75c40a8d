"""Certificate profiles (证书模板): what each kind of certificate may do.

Pure data and lookups, no Django. See docs/adr/0011-certificate-building.md for
the reasons behind each choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from egov.trust.errors import invalid


class Kind(StrEnum):
    """Kinds of end-entity certificate (证书类别)."""

    PERSON = "person"  # 个人证书
    ORG_SEAL = "org-seal"  # 机构(电子印章)证书
    SERVER = "server"  # 服务器证书
    SYSTEM = "system"  # 系统(应用)证书
    TIME_STAMPING = "time-stamping"  # 时间戳服务证书 (RFC 3161 TSA)


POLICY_ARC = "2.25.337548792625089275527553428453032300720"
"""Our private OID arc: a UUID OID (ITU-T X.667, ``2.25.<uuid as integer>``).

Needs no registration and cannot collide; ``.1.<n>`` are certificate policies.
"""
ANY_POLICY = "2.5.29.32.0"
POLICY_OIDS: dict[Kind, str] = {
    Kind.PERSON: f"{POLICY_ARC}.1.1",
    Kind.ORG_SEAL: f"{POLICY_ARC}.1.2",
    Kind.SERVER: f"{POLICY_ARC}.1.3",
    Kind.SYSTEM: f"{POLICY_ARC}.1.4",
    Kind.TIME_STAMPING: f"{POLICY_ARC}.1.5",
}
TSA_POLICY = f"{POLICY_ARC}.2.1"
"""The policy under which our TSA issues time-stamp tokens (TSTInfo.policy, RFC 3161 2.4.2)."""

DOCUMENT_SIGNING = "1.3.6.1.5.5.7.3.36"
"""id-kp-documentSigning (RFC 9336): the extended key usage of organisation seals."""

CA_KEY_USAGE = frozenset({"key_cert_sign", "crl_sign"})


@dataclass(frozen=True)
class Profile:
    """Key usage (critical) and extended key usage of one kind in one suite."""

    key_usage: frozenset[str]
    extended_key_usage: tuple[str, ...]
    needs_network_name: bool = False
    critical_extended_key_usage: bool = False


_SIGNING = frozenset({"digital_signature", "non_repudiation"})
_PROFILES: dict[Kind, Profile] = {
    Kind.PERSON: Profile(_SIGNING, ("client_auth", "email_protection")),
    Kind.ORG_SEAL: Profile(_SIGNING, (DOCUMENT_SIGNING,)),
    Kind.SERVER: Profile(
        frozenset({"digital_signature", "key_encipherment", "key_agreement"}),
        ("server_auth",),
        needs_network_name=True,
    ),
    Kind.SYSTEM: Profile(frozenset({"digital_signature"}), ("client_auth", "server_auth")),
    # RFC 3161 2.3: the TSA's certificate has id-kp-timeStamping as its only
    # extended key usage, marked critical.
    Kind.TIME_STAMPING: Profile(_SIGNING, ("time_stamping",), critical_extended_key_usage=True),
}

DEFAULT_DAYS: dict[str, int] = {
    "root": 20 * 365,
    "issuing": 10 * 365,
    Kind.PERSON: 2 * 365,
    Kind.ORG_SEAL: 3 * 365,
    Kind.SERVER: 365,
    Kind.SYSTEM: 2 * 365,
    Kind.TIME_STAMPING: 5 * 365,
}
MAX_END_ENTITY_DAYS = 5 * 365


def kind_of(value: str) -> Kind:
    """The :class:`Kind` called ``value``; refuses an unknown kind naming ``kind``."""
    try:
        return Kind(value)
    except ValueError:
        names = ", ".join(k.value for k in Kind)
        raise invalid("kind", f"unknown kind {value!r}; choose one of {names}") from None


def profile(kind: Kind, suite_name: str) -> Profile:
    """The profile of ``kind``; international person keys may also encipher keys (ECIES)."""
    base = _PROFILES[kind]
    if kind is Kind.PERSON and suite_name == "intl":
        return Profile(base.key_usage | {"key_encipherment"}, base.extended_key_usage)
    return base


class Reason(StrEnum):
    """RFC 5280 CRLReason names, the ``egov ca revoke --reason`` values (吊销原因)."""

    UNSPECIFIED = "unspecified"
    KEY_COMPROMISE = "keyCompromise"
    CA_COMPROMISE = "cACompromise"
    AFFILIATION_CHANGED = "affiliationChanged"
    SUPERSEDED = "superseded"
    CESSATION_OF_OPERATION = "cessationOfOperation"
    CERTIFICATE_HOLD = "certificateHold"
    PRIVILEGE_WITHDRAWN = "privilegeWithdrawn"
    AA_COMPROMISE = "aACompromise"


REASON_CODES: dict[Reason, int] = {
    Reason.UNSPECIFIED: 0,
    Reason.KEY_COMPROMISE: 1,
    Reason.CA_COMPROMISE: 2,
    Reason.AFFILIATION_CHANGED: 3,
    Reason.SUPERSEDED: 4,
    Reason.CESSATION_OF_OPERATION: 5,
    Reason.CERTIFICATE_HOLD: 6,
    Reason.PRIVILEGE_WITHDRAWN: 9,
    Reason.AA_COMPROMISE: 10,
}


def reason_of(value: str) -> Reason:
    """The :class:`Reason` called ``value``; refuses others (removeFromCRL too)."""
    try:
        return Reason(value)
    except ValueError:
        names = ", ".join(r.value for r in Reason)
        raise invalid(
            "reason", f"unknown revocation reason {value!r}; choose one of {names}"
        ) from None
