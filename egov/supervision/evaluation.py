"""Running the rules (规则评估): facts from the engine's own records, findings upserted.

* :func:`evaluate_case` builds one case's facts (its stored events, the
  reference item, earlier cases of the same applicant by ``applicant_key``,
  whether the decider held the leader role at the department, which region
  codes exist), runs every enabled case rule with its resolved parameters and
  upserts the findings. Idempotent: a second run finds the same fingerprints
  and writes nothing.
* :func:`evaluate_catalogue` runs the 事前 catalogue rules over reference items.
* :func:`evaluate_department_day` runs the department-day rules (night-time
  bursts of closures) over one department's closures of one local day.
* :func:`record_hits` turns hits into findings: the fingerprint is
  SHA-256 of rule code, case number (or item code, or department and day)
  and the hit's discriminator. Each new finding gets an audit entry and a
  ``FindingRaised`` event, in the caller's transaction.

Rule settings (:class:`~egov.supervision.models.RuleSetting`) resolve item >
department > province-wide default: the most specific setting that exists
says whether the rule is enabled, and parameters are merged over the rule's
defaults from the widest to the narrowest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from egov.core.events import publish
from egov.core.models import Organisation, Region, RoleAssignment, User
from egov.core.selectors.calendar import get_working_calendar
from egov.core.services.audit import record_audit
from egov.supervision.models import CaseEvent, Finding, ReferenceItem, RuleSetting, SupervisedCase
from egov.supervision.rules import REGISTRY, Hit, Rule, Scope, rules_for
from egov.supervision.rules.base import merge_parameters
from egov.supervision.rules.data import address_code
from egov.supervision.rules.facts import (
    SHANGHAI,
    CaseFacts,
    Closure,
    DepartmentDayFacts,
    ReferenceFacts,
    RelatedCase,
    case_facts,
)

ENGINE = "supervision-engine"
DECIDING_ROLE = "leader"


@dataclass(frozen=True)
class Target:
    """What a finding is about: a case, a catalogue item, or a department's day."""

    key: str  # case number, item code, or "<department>:<day>"
    department_code: str
    region_path: str
    case_number: str = ""
    item_code: str = ""
    organisation_id: int | None = None


def fingerprint(rule_code: str, key: str, discriminator: str = "") -> str:
    """SHA-256 of rule, target and discriminator: one finding per distinct hit."""
    return hashlib.sha256(f"{rule_code}\x1f{key}\x1f{discriminator}".encode()).hexdigest()


def category_of(rule_code: str) -> str:
    rule = REGISTRY.get(rule_code)
    return rule.category if rule else rule_code.split(".", 1)[0]


def existing_findings(pairs: Sequence[tuple[Target, Hit]]) -> dict[str, Finding]:
    """Findings already recorded for these hits, by fingerprint.

    A hit with no discriminator also matches an earlier finding of the same
    rule and case made by another path (the scan's time-limit findings).
    """
    prints = [fingerprint(h.rule_code, t.key, h.discriminator) for t, h in pairs]
    found = {f.fingerprint: f for f in Finding.objects.filter(fingerprint__in=prints)}
    plain = {
        (h.rule_code, t.case_number) for t, h in pairs if not h.discriminator and t.case_number
    }
    if plain:
        others = Finding.objects.filter(
            rule_code__in={r for r, _ in plain}, case_number__in={c for _, c in plain}
        ).exclude(fingerprint__in=prints)
        for finding in others:
            if (finding.rule_code, finding.case_number) in plain:
                found.setdefault(fingerprint(finding.rule_code, finding.case_number, ""), finding)
    return found


def new_finding(target: Target, hit: Hit, print_: str, now: dt.datetime) -> Finding:
    return Finding(
        fingerprint=print_,
        rule_code=hit.rule_code,
        category=category_of(hit.rule_code),
        severity=hit.severity,
        case_number=target.case_number,
        item_code=target.item_code,
        department_code=target.department_code,
        region_path=target.region_path,
        organisation_id=target.organisation_id,
        summary=hit.summary[:300],
        evidence=dict(hit.evidence),
        found_at=now,
    )


def record_hits(
    *, hits: Iterable[tuple[Target, Hit]], actor: Any = ENGINE, now: dt.datetime | None = None
) -> list[Finding]:
    """Upsert the findings of these hits; returns them (new and existing) in order.

    New findings: one audit entry and one ``FindingRaised`` event each.
    Existing open findings get the latest evidence; others are left as they stand.
    """
    pairs = list(hits)
    if not pairs:
        return []
    now = now or timezone.now()
    with transaction.atomic():
        known = existing_findings(pairs)
        result: list[Finding] = []
        for target, hit in pairs:
            print_ = fingerprint(hit.rule_code, target.key, hit.discriminator)
            finding = known.get(print_)
            if finding is None:
                finding = new_finding(target, hit, print_, now)
                finding.save()
                announce(finding, actor)
                known[print_] = finding
            elif finding.status == Finding.Status.OPEN and finding.evidence != dict(hit.evidence):
                finding.evidence, finding.summary = dict(hit.evidence), hit.summary[:300]
                finding.save(update_fields=["evidence", "summary"])
            result.append(finding)
    return result


def target_name(finding: Finding) -> str:
    return finding.case_number or finding.item_code or finding.department_code


def announce(finding: Finding, actor: Any) -> None:
    """The audit entry and the event of a new finding."""
    record_audit(
        actor=actor,
        action="supervision.FindingRaised",
        object_type="supervision.Finding",
        object_id=finding.fingerprint[:16],
        summary=f"{finding.rule_code} {target_name(finding)}: {finding.summary}"[:500],
        organisation=finding.department_code[:32],
    )
    publish(
        "FindingRaised",
        {
            "finding_id": finding.pk,
            "fingerprint": finding.fingerprint,
            "rule_code": finding.rule_code,
            "category": finding.category,
            "severity": finding.severity,
            "case_number": finding.case_number,
            "item_code": finding.item_code,
            "department_code": finding.department_code,
            "region_path": finding.region_path,
            "summary": finding.summary,
        },
        aggregate=finding.case_number or finding.item_code or finding.department_code,
    )


# --- Settings --------------------------------------------------------------------------


def resolve_settings(
    rules: Sequence[Rule], department_code: str = "", item_code: str = ""
) -> dict[str, dict[str, Any] | None]:
    """Each rule's merged parameters, or None when switched off (item > department > default)."""
    rows = RuleSetting.objects.filter(
        rule_code__in=[r.code for r in rules],
        department_code__in={"", department_code},
        item_code__in={"", item_code},
    ).values("rule_code", "department_code", "item_code", "enabled", "parameters")
    layers: dict[str, list[tuple[int, Mapping[str, Any], bool]]] = {}
    for row in rows:
        if row["item_code"] and row["item_code"] != item_code:
            continue
        rank = 2 if row["item_code"] else 1 if row["department_code"] else 0
        if row["item_code"] and row["department_code"] not in ("", department_code):
            continue
        layers.setdefault(row["rule_code"], []).append(
            (rank, row["parameters"] or {}, row["enabled"])
        )
    resolved: dict[str, dict[str, Any] | None] = {}
    for rule in rules:
        stack = sorted(layers.get(rule.code, []), key=lambda layer: layer[0])
        if stack and not stack[-1][2]:
            resolved[rule.code] = None
        else:
            resolved[rule.code] = merge_parameters(rule, [layer[1] for layer in stack])
    return resolved


def run_rules(scope: Scope, facts: Any, department_code: str, item_code: str = "") -> list[Hit]:
    rules = rules_for(scope)
    settings = resolve_settings(rules, department_code, item_code)
    hits: list[Hit] = []
    for rule in rules:
        parameters = settings[rule.code]
        if parameters is not None:
            hits.extend(rule.check(facts, parameters))
    return hits


# --- Case facts ------------------------------------------------------------------------


def reference_facts(item: ReferenceItem | None) -> ReferenceFacts | None:
    if item is None:
        return None
    return ReferenceFacts(
        code=item.code,
        name=item.name,
        department_code=item.department_code,
        region_code=item.region_code,
        legal_basis=item.legal_basis,
        statutory_limit_days=item.statutory_limit_days,
        promised_limit_days=item.promised_limit_days,
        fees=tuple(item.fees or ()),
        materials=tuple(item.materials or ()),
    )


def related_cases(case_number: str, applicant_key: str) -> list[RelatedCase]:
    """Other cases of the same applicant, with the name their submission gave."""
    if not applicant_key:
        return []
    rows = list(
        SupervisedCase.objects.filter(applicant_key=applicant_key)
        .exclude(case_number=case_number)
        .values_list("case_number", "item_code", "received_at", "closed_at")
    )
    names = {
        number: ((payload.get("data") or {}).get("applicant") or {}).get("name", "")
        for number, payload in CaseEvent.objects.filter(
            case_number__in=[r[0] for r in rows], type="ApplicationSubmitted"
        ).values_list("case_number", "payload")
    }
    return [
        RelatedCase(n, item, str(names.get(n, "")), rec, closed) for n, item, rec, closed in rows
    ]


def decider_has_role(events: Sequence[Mapping[str, Any]], department_code: str) -> bool | None:
    """Did the decider hold the leader role at the department (or above it)? None: no such user."""
    decision = next((e for e in events if e.get("type") == "CaseDecided"), None)
    if decision is None:
        return None
    username = str(decision.get("actor", {}).get("id", ""))
    user_id = User.objects.filter(username=username).values_list("pk", flat=True).first()
    if user_id is None:
        return None
    path = Organisation.objects.filter(code=department_code).values_list("path", flat=True).first()
    if path is None:
        return False
    held = RoleAssignment.objects.filter(
        user_id=user_id, role=DECIDING_ROLE, organisation__is_active=True
    ).values_list("organisation__path", flat=True)
    return any(path.startswith(prefix) for prefix in held)


def known_codes(events: Sequence[Mapping[str, Any]]) -> set[str]:
    submission = next((e for e in events if e.get("type") == "ApplicationSubmitted"), None)
    applicant = ((submission or {}).get("data") or {}).get("applicant") or {}
    code = address_code(str(applicant.get("id_type", "")), str(applicant.get("identifier", "")))
    # "*" keeps the set non-empty, so the rule checks the code (an empty set means unchecked).
    return set(Region.objects.filter(code=code).values_list("code", flat=True)) | {"*"}


def load_case_facts(case: SupervisedCase | None, case_number: str) -> CaseFacts | None:
    """The facts of one case from the engine's own tables (None if it has no events)."""
    rows = list(
        CaseEvent.objects.filter(case_number=case_number).values_list(
            "payload", "received_at", "source"
        )
    )
    if not rows:
        return None
    events = [payload for payload, _, _ in rows]
    received = {str(p.get("event_id")): (at, source) for p, at, source in rows}
    item_code = str(events[0].get("item_code", ""))
    department = case.department_code if case else str(events[0].get("department_code", ""))
    return case_facts(
        events,
        get_working_calendar(),
        reference=reference_facts(ReferenceItem.objects.filter(code=item_code).first()),
        related=related_cases(case_number, case.applicant_key if case else ""),
        decider_has_role=decider_has_role(events, department),
        known_region_codes=known_codes(events),
        received=received,
        today=timezone.localdate(),
    )


def region_path_of(region_code: str) -> str:
    return Region.objects.filter(code=region_code).values_list("path", flat=True).first() or ""


def organisation_id_of(department_code: str) -> int | None:
    return Organisation.objects.filter(code=department_code).values_list("pk", flat=True).first()


def case_target(case: SupervisedCase | None, facts: CaseFacts) -> Target:
    if case is not None:
        return Target(
            key=case.case_number,
            case_number=case.case_number,
            item_code=case.item_code,
            department_code=case.department_code,
            region_path=case.region_path,
            organisation_id=case.organisation_id,
        )
    return Target(
        key=facts.case_number,
        case_number=facts.case_number,
        item_code=facts.item_code,
        department_code=facts.department_code,
        region_path=region_path_of(facts.region_code),
        organisation_id=organisation_id_of(facts.department_code),
    )


def evaluate_case(*, case_number: str, actor: Any = ENGINE) -> list[Finding]:
    """Run the enabled case rules on one case and upsert its findings (评估办件); idempotent.

    A case whose submission has not arrived yet (incomplete) is not judged.
    Runs in the caller's transaction when there is one (the ingest service's).
    """
    with transaction.atomic():
        case = SupervisedCase.objects.filter(case_number=case_number).first()
        facts = load_case_facts(case, case_number)
        if facts is None or facts.submission is None:
            return []
        hits = run_rules(Scope.CASE, facts, facts.department_code, facts.item_code)
        target = case_target(case, facts)
        return record_hits(hits=[(target, hit) for hit in hits], actor=actor)


def evaluate_catalogue(
    *, item_codes: Iterable[str] | None = None, actor: Any = ENGINE
) -> list[Finding]:
    """Run the 事前 catalogue rules over the reference items (all, or the ones named)."""
    items = ReferenceItem.objects.order_by("code")
    if item_codes is not None:
        items = items.filter(code__in=list(item_codes))
    with transaction.atomic():
        pairs: list[tuple[Target, Hit]] = []
        paths = dict(Region.objects.values_list("code", "path"))
        organisations = dict(Organisation.objects.values_list("code", "pk"))
        for item in items:
            facts = reference_facts(item)
            target = Target(
                key=item.code,
                item_code=item.code,
                department_code=item.department_code,
                region_path=paths.get(item.region_code, ""),
                organisation_id=organisations.get(item.department_code),
            )
            hits = run_rules(Scope.ITEM, facts, item.department_code, item.code)
            pairs.extend((target, hit) for hit in hits)
        return record_hits(hits=pairs, actor=actor)


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(), tzinfo=SHANGHAI)
    return start, start + dt.timedelta(days=1)


def department_closures(department_code: str, day: dt.date) -> list[Closure]:
    """The department's decisions and conclusions recorded on that local day."""
    start, end = day_bounds(day)
    rows = CaseEvent.objects.filter(
        department_code=department_code,
        type__in=("CaseDecided", "CaseConcluded"),
        occurred_at__gte=start,
        occurred_at__lt=end,
    ).values_list("case_number", "occurred_at", "type")
    seen: dict[str, Closure] = {}
    for number, at, kind in rows:
        # One closure per case: its last step of the day.
        if number not in seen or at > seen[number].at:
            seen[number] = Closure(number, at, kind)
    return list(seen.values())


def evaluate_department_day(
    *, department_code: str, day: dt.date, actor: Any = ENGINE
) -> list[Finding]:
    """Run the department-day rules (夜间集中办结) on one department's local day."""
    with transaction.atomic():
        facts = DepartmentDayFacts(
            department_code, day, tuple(department_closures(department_code, day))
        )
        if not facts.closures:
            return []
        hits = run_rules(Scope.DEPARTMENT_DAY, facts, department_code)
        region = (
            Organisation.objects.filter(code=department_code)
            .values_list("region__path", "pk")
            .first()
        )
        target = Target(
            key=f"{department_code}:{day.isoformat()}",
            department_code=department_code,
            region_path=region[0] if region else "",
            organisation_id=region[1] if region else None,
        )
        return record_hits(hits=[(target, hit) for hit in hits], actor=actor)


def closure_days(case_numbers: Iterable[str]) -> set[tuple[str, dt.date]]:
    """The (department, local day) pairs on which these cases were decided or concluded."""
    rows = CaseEvent.objects.filter(
        case_number__in=list(case_numbers), type__in=("CaseDecided", "CaseConcluded")
    ).values_list("department_code", "occurred_at")
    return {(code, at.astimezone(SHANGHAI).date()) for code, at in rows}
