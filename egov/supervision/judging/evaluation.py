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
  and the hit's discriminator. Each new finding gets a ``FindingRaised``
  event; the new findings of one judgement get one audit entry per department
  naming each of them (ADR 0054); all in the caller's transaction.

Rule settings (:class:`~egov.supervision.models.RuleSetting`) resolve item >
department > province-wide default: the most specific setting that exists
says whether the rule is enabled, and parameters are merged over the rule's
defaults from the widest to the narrowest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

from egov.core.events import publish_many
from egov.core.models import Organisation, Region, RoleAssignment, User
from egov.core.selectors.calendar import get_working_calendar
from egov.core.services.audit import record_audits
from egov.supervision.judging.insert_select import insert_returning_ids
from egov.supervision.judging.rules import REGISTRY, Hit, Rule, Scope, rules_for
from egov.supervision.judging.rules.base import merge_parameters
from egov.supervision.judging.rules.data import address_code
from egov.supervision.judging.rules.facts import (
    SHANGHAI,
    CaseFacts,
    Closure,
    DepartmentDayFacts,
    ReferenceFacts,
    RelatedCase,
    case_facts,
    parse_instant,
)
from egov.supervision.models import CaseEvent, Finding, ReferenceItem, RuleSetting, SupervisedCase

ENGINE = "supervision-engine"
DECIDING_ROLE = "leader"


CHUNK = 500
T = TypeVar("T")


def chunked(values: Sequence[T], size: int = CHUNK) -> Iterable[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


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
    found = {
        f.fingerprint: f
        for part in chunked(prints)
        for f in Finding.objects.filter(fingerprint__in=part)
    }
    plain = {
        (h.rule_code, t.case_number) for t, h in pairs if not h.discriminator and t.case_number
    }
    rules = {r for r, _ in plain}
    for part in chunked(sorted({c for _, c in plain})):
        others = Finding.objects.filter(rule_code__in=rules, case_number__in=part)
        for finding in others:
            if (
                finding.fingerprint not in found
                and (finding.rule_code, finding.case_number) in plain
            ):
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

    New findings: one ``FindingRaised`` event each and one audit entry per
    department naming them (ADR 0054), all written in bulk.
    Existing open findings get the latest evidence (only those whose evidence
    changed are written); others are left as they stand.
    """
    pairs = list(hits)
    if not pairs:
        return []
    now = now or timezone.now()
    with transaction.atomic():
        known = existing_findings(pairs)
        result: list[Finding] = []
        created: list[Finding] = []
        changed: dict[int, Finding] = {}
        for target, hit in pairs:
            print_ = fingerprint(hit.rule_code, target.key, hit.discriminator)
            finding = known.get(print_)
            if finding is None:
                finding = new_finding(target, hit, print_, now)
                created.append(finding)
                known[print_] = finding
            elif (
                finding.pk is not None
                and finding.status == Finding.Status.OPEN
                and finding.evidence != dict(hit.evidence)
            ):
                finding.evidence, finding.summary = dict(hit.evidence), hit.summary[:300]
                changed[finding.pk] = finding
            result.append(finding)
        insert_findings(created)
        if changed:
            Finding.objects.bulk_update(list(changed.values()), ["evidence", "summary"])
        announce_all(created, actor)
    return result


def insert_findings(findings: Sequence[Finding]) -> None:
    """Insert new findings; their ids come back by fingerprint (unique) from the INSERT."""
    if not findings:
        return
    ids = insert_returning_ids(Finding, findings, key="fingerprint")
    for finding in findings:
        finding.pk = ids[finding.fingerprint]
        finding._state.adding = False


def target_name(finding: Finding) -> str:
    return finding.case_number or finding.item_code or finding.department_code


def raised_summary(finding: Finding) -> str:
    return f"{finding.rule_code} {target_name(finding)}: {finding.summary}"[:500]


def raised_audit(finding: Finding, actor: Any) -> dict[str, Any]:
    return {
        "actor": actor,
        "action": "supervision.FindingRaised",
        "object_type": "supervision.Finding",
        "object_id": finding.fingerprint[:16],
        "summary": raised_summary(finding),
        "organisation": finding.department_code[:32],
    }


def raised_event(finding: Finding) -> tuple[str, dict[str, Any], str]:
    payload = {
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
    }
    aggregate = finding.case_number or finding.item_code or finding.department_code
    return "FindingRaised", payload, aggregate


def raised_line(finding: Finding) -> str:
    """One finding as a line of a batch's audit entry: its fingerprint's head, rule, target.

    Not its summary: the finding row holds it, and the entry's hash would cover
    ten times the bytes (SM3 is the chain's cost per byte).
    """
    return f"{finding.fingerprint[:16]} {finding.rule_code} {target_name(finding)}"


def raised_batch_audit(findings: Sequence[Finding], actor: Any) -> dict[str, Any]:
    """One audit entry for several new findings of one department (ADR 0054).

    Its object is the SHA-256 of their fingerprints in order (an auditor
    recomputes it from the findings named), its summary a count line and one
    line per finding (fingerprint head, rule, target), so the entry names every
    finding it vouches for, and stays in the department's audit view.
    """
    if len(findings) == 1:
        return raised_audit(findings[0], actor)
    digest = hashlib.sha256("\n".join(f.fingerprint for f in findings).encode()).hexdigest()
    lines = [f"{len(findings)} findings raised (新发现问题 {len(findings)} 条)"]
    lines += [raised_line(finding) for finding in findings]
    return {
        "actor": actor,
        "action": "supervision.FindingRaised",
        "object_type": "supervision.Finding",
        "object_id": f"batch:{digest}",
        "summary": "\n".join(lines),
        "organisation": findings[0].department_code[:32],
    }


def raised_audits(findings: Sequence[Finding], actor: Any) -> list[dict[str, Any]]:
    """The audit entries of new findings: one per department, in order of first finding."""
    by_department: dict[str, list[Finding]] = {}
    for finding in findings:
        by_department.setdefault(finding.department_code[:32], []).append(finding)
    return [raised_batch_audit(group, actor) for group in by_department.values()]


def announce_all(findings: Sequence[Finding], actor: Any) -> None:
    """The audit entries and events of new findings, written in bulk.

    One audit entry per department for the findings of one judgement (ADR
    0054), one ``FindingRaised`` event per finding (subscribers see each).
    """
    record_audits(entries=raised_audits(findings, actor))
    publish_many([raised_event(finding) for finding in findings])


def announce(finding: Finding, actor: Any) -> None:
    """The audit entry and the event of a new finding."""
    announce_all([finding], actor)


# --- Settings --------------------------------------------------------------------------


def resolve_rows(
    rules: Sequence[Rule],
    rows: Sequence[Mapping[str, Any]],
    department_code: str = "",
    item_code: str = "",
) -> dict[str, dict[str, Any] | None]:
    """Each rule's merged parameters, or None when switched off (item > department > default).

    An item's setting applies whatever department it names (blank or the item's own).
    """
    layers: dict[str, list[tuple[int, Mapping[str, Any], bool]]] = {}
    for row in rows:
        if row["item_code"] not in ("", item_code):
            continue
        if row["department_code"] not in ("", department_code):
            continue
        rank = 2 if row["item_code"] else 1 if row["department_code"] else 0
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


def resolve_settings(
    rules: Sequence[Rule], department_code: str = "", item_code: str = ""
) -> dict[str, dict[str, Any] | None]:
    """The settings of these rules for a department and item, read from the table."""
    rows = RuleSetting.objects.filter(rule_code__in=[r.code for r in rules]).values(
        "rule_code", "department_code", "item_code", "enabled", "parameters"
    )
    return resolve_rows(rules, list(rows), department_code, item_code)


def run_rules(scope: Scope, facts: Any, department_code: str, item_code: str = "") -> list[Hit]:
    rules = rules_for(scope)
    settings = resolve_settings(rules, department_code, item_code)
    hits: list[Hit] = []
    for rule in rules:
        parameters = settings[rule.code]
        if parameters is not None:
            hits.extend(rule.check(facts, parameters))
    return hits


# --- Case facts, loaded for many cases at once ------------------------------------------


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
        published_at=item.published_at,
    )


def submission_of(events: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    return next((e for e in events if e.get("type") == "ApplicationSubmitted"), None)


def applicant_name(payload: Mapping[str, Any]) -> str:
    return str(((payload.get("data") or {}).get("applicant") or {}).get("name", ""))


def decider_name(events: Sequence[Mapping[str, Any]]) -> str:
    decision = next((e for e in events if e.get("type") == "CaseDecided"), None)
    return str((decision or {}).get("actor", {}).get("id", "")) if decision else ""


class CaseBatch:
    """Everything the case rules need for a set of cases, read in a few queries."""

    def __init__(
        self,
        numbers: Sequence[str],
        loaded: Mapping[str, Sequence[tuple[dict[str, Any], dt.datetime, str]]] | None = None,
    ) -> None:
        """``loaded``: the cases' stored events already read (payload, received_at, source)."""
        self.calendar = get_working_calendar()
        self.events: dict[str, list[dict[str, Any]]] = {}
        self.received: dict[str, dict[str, tuple[dt.datetime, str]]] = {}
        if loaded is not None and all(number in loaded for number in numbers):
            rows: Iterable[tuple[str, dict[str, Any], dt.datetime, str]] = (
                (number, payload, at, source)
                for number in numbers
                for payload, at, source in loaded[number]
            )
        else:
            rows = (
                row
                for part in chunked(list(numbers))
                for row in CaseEvent.objects.filter(case_number__in=part).values_list(
                    "case_number", "payload", "received_at", "source"
                )
            )
        for number, payload, at, source in rows:
            self.events.setdefault(number, []).append(payload)
            self.received.setdefault(number, {})[str(payload.get("event_id"))] = (at, source)
        self.cases = {
            c.case_number: c
            for part in chunked(list(self.events))
            for c in SupervisedCase.objects.filter(case_number__in=part)
        }
        self.load_references()
        self.load_related()
        self.load_roles()
        self.load_regions()

    def load_references(self) -> None:
        codes = {str(events[0].get("item_code", "")) for events in self.events.values()}
        self.references = {
            item.code: reference_facts(item)
            for part in chunked(sorted(codes))
            for item in ReferenceItem.objects.filter(code__in=part)
        }

    def load_related(self) -> None:
        keys = sorted({c.applicant_key for c in self.cases.values() if c.applicant_key})
        rows = [
            row
            for part in chunked(keys)
            for row in SupervisedCase.objects.filter(applicant_key__in=part).values_list(
                "case_number", "item_code", "received_at", "closed_at", "applicant_key"
            )
        ]
        numbers = [row[0] for row in rows]
        names = {
            number: applicant_name(payload)
            for part in chunked(numbers)
            for number, payload in CaseEvent.objects.filter(
                case_number__in=part, type="ApplicationSubmitted"
            ).values_list("case_number", "payload")
        }
        self.related: dict[str, list[RelatedCase]] = {}
        for number, item, received, closed, key in rows:
            self.related.setdefault(key, []).append(
                RelatedCase(number, item, names.get(number, ""), received, closed)
            )

    def load_roles(self) -> None:
        """Which deciders hold the leader role at (or above) which organisation paths."""
        usernames = sorted({decider_name(e) for e in self.events.values()} - {""})
        users = dict(User.objects.filter(username__in=usernames).values_list("username", "pk"))
        self.known_users = set(users)
        self.held: dict[str, list[str]] = {}
        rows = RoleAssignment.objects.filter(
            user_id__in=list(users.values()), role=DECIDING_ROLE, organisation__is_active=True
        ).values_list("user__username", "organisation__path")
        for username, path in rows:
            self.held.setdefault(username, []).append(path)
        departments = {self.department(n) for n in self.events}
        self.paths = dict(
            Organisation.objects.filter(code__in=departments).values_list("code", "path")
        )
        self.organisation_ids = dict(
            Organisation.objects.filter(code__in=departments).values_list("code", "pk")
        )

    def load_regions(self) -> None:
        codes = set()
        for events in self.events.values():
            applicant = ((submission_of(events) or {}).get("data") or {}).get("applicant") or {}
            codes.add(
                address_code(
                    str(applicant.get("id_type", "")), str(applicant.get("identifier", ""))
                )
            )
        regions = {str(e[0].get("region_code", "")) for e in self.events.values()}
        found = Region.objects.filter(code__in=codes | regions).values_list("code", "path")
        self.region_paths = dict(found)

    def department(self, number: str) -> str:
        case = self.cases.get(number)
        return case.department_code if case else str(self.events[number][0].get("department_code"))

    def has_role(self, number: str) -> bool | None:
        username = decider_name(self.events[number])
        if not username or username not in self.known_users:
            return None
        path = self.paths.get(self.department(number))
        if not path:
            return False
        return any(path.startswith(p) for p in self.held.get(username, ()))

    def facts(self, number: str, today: dt.date) -> CaseFacts:
        events = self.events[number]
        case = self.cases.get(number)
        related = [
            r
            for r in self.related.get(case.applicant_key if case else "", [])
            if r.case_number != number
        ]
        return case_facts(
            events,
            self.calendar,
            reference=self.references.get(str(events[0].get("item_code", ""))),
            related=related,
            decider_has_role=self.has_role(number),
            # "*" keeps the set non-empty, so the rule checks the code (empty means unchecked).
            known_region_codes=set(self.region_paths) | {"*"},
            received=self.received[number],
            today=today,
        )

    def target(self, number: str, facts: CaseFacts) -> Target:
        case = self.cases.get(number)
        if case is not None:
            return Target(
                key=number,
                case_number=number,
                item_code=case.item_code,
                department_code=case.department_code,
                region_path=case.region_path,
                organisation_id=case.organisation_id,
            )
        return Target(
            key=number,
            case_number=number,
            item_code=facts.item_code,
            department_code=facts.department_code,
            region_path=self.region_paths.get(facts.region_code, ""),
            organisation_id=self.organisation_ids.get(facts.department_code),
        )


class SettingsCache:
    """Resolved rule settings per (department, item), from one read of the table."""

    def __init__(self, scope: Scope) -> None:
        self.rules = rules_for(scope)
        codes = [r.code for r in self.rules]
        self.rows = list(
            RuleSetting.objects.filter(rule_code__in=codes).values(
                "rule_code", "department_code", "item_code", "enabled", "parameters"
            )
        )
        self.cache: dict[tuple[str, str], dict[str, dict[str, Any] | None]] = {}

    def resolve(self, department_code: str, item_code: str) -> dict[str, dict[str, Any] | None]:
        key = (department_code, item_code)
        if key not in self.cache:
            self.cache[key] = resolve_rows(self.rules, self.rows, department_code, item_code)
        return self.cache[key]

    def run(self, facts: Any, department_code: str, item_code: str = "") -> list[Hit]:
        settings = self.resolve(department_code, item_code)
        hits: list[Hit] = []
        for rule in self.rules:
            parameters = settings[rule.code]
            if parameters is not None:
                hits.extend(rule.check(facts, parameters))
        return hits


def evaluate_cases(
    *,
    case_numbers: Iterable[str],
    actor: Any = ENGINE,
    loaded: Mapping[str, Sequence[tuple[dict[str, Any], dt.datetime, str]]] | None = None,
) -> list[Finding]:
    """Run the enabled case rules on many cases at once (批量评估); idempotent.

    Cases whose submission has not arrived (incomplete) are not judged. Runs in
    the caller's transaction when there is one (the ingest service's).
    """
    numbers = sorted(set(case_numbers))
    if not numbers:
        return []
    today = timezone.localdate()
    with transaction.atomic():
        batch = CaseBatch(numbers, loaded)
        settings = SettingsCache(Scope.CASE)
        pairs: list[tuple[Target, Hit]] = []
        days: set[tuple[str, dt.date]] = set()
        ran: dict[str, set[str]] = {}
        for number in numbers:
            if number not in batch.events or submission_of(batch.events[number]) is None:
                continue
            facts = batch.facts(number, today)
            target = batch.target(number, facts)
            hits = settings.run(facts, target.department_code, facts.item_code)
            pairs.extend((target, hit) for hit in hits)
            days |= days_closed(batch.events[number])
            enabled = settings.resolve(target.department_code, facts.item_code)
            ran[number] = {code for code, params in enabled.items() if params is not None}
        # A conclusion may complete a department's night-time burst (夜间集中办结).
        daily = SettingsCache(Scope.DEPARTMENT_DAY)
        closures = closures_of_days(days)
        for department, day in sorted(days):
            pairs.extend(department_day_pairs(department, day, daily, closures))
        found = record_hits(hits=pairs, actor=actor)
        withdraw_stale(ran, {f.fingerprint for f in found}, actor)
        return found


ENGINE_PRINT = re.compile(r"^[0-9a-f]{64}$")


def withdraw_stale(ran: Mapping[str, set[str]], current: set[str], actor: Any) -> int:
    """Dismiss open findings of rules that ran and no longer hit (a late event explained them).

    Only the engine's own findings (SHA-256 fingerprints) of rules that ran on
    the case are withdrawn, and only while nobody has acted on them (open): a
    rule switched off withdraws nothing; the scan's and complaints' findings
    are left alone.
    """
    # Only keys first: most open findings of a judged case are still current.
    candidates = [
        pk
        for part in chunked(sorted(ran))
        for pk, print_, rule_code, number in Finding.objects.filter(
            case_number__in=part, status=Finding.Status.OPEN
        ).values_list("pk", "fingerprint", "rule_code", "case_number")
        if print_ not in current and ENGINE_PRINT.match(print_) and rule_code in ran.get(number, ())
    ]
    stale = [f for part in chunked(candidates) for f in Finding.objects.filter(pk__in=part)]
    if not stale:
        return 0
    now = timezone.now()
    for finding in stale:
        finding.status, finding.closed_at = Finding.Status.DISMISSED, now
    Finding.objects.bulk_update(stale, ["status", "closed_at"])
    record_audits(
        entries=[
            {
                "actor": actor,
                "action": "supervision.FindingWithdrawn",
                "object_type": "supervision.Finding",
                "object_id": finding.fingerprint[:16],
                "summary": f"{finding.rule_code} {finding.case_number}: "
                "no longer found after new events",
                "organisation": finding.department_code[:32],
            }
            for finding in stale
        ]
    )
    publish_many(
        [
            (
                "FindingWithdrawn",
                {
                    "finding_id": finding.pk,
                    "rule_code": finding.rule_code,
                    "case_number": finding.case_number,
                },
                finding.case_number,
            )
            for finding in stale
        ]
    )
    return len(stale)


def evaluate_case(*, case_number: str, actor: Any = ENGINE) -> list[Finding]:
    """Run the enabled case rules on one case and upsert its findings (评估办件); idempotent."""
    return evaluate_cases(case_numbers=[case_number], actor=actor)


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


def closures_of_days(
    days: Iterable[tuple[str, dt.date]],
) -> dict[tuple[str, dt.date], list[Closure]]:
    """:func:`department_closures` of many (department, local day) pairs in a few queries.

    One query per chunk of departments over the span of the days asked for;
    rows of days not asked for are dropped.
    """
    wanted = set(days)
    if not wanted:
        return {}
    start, _ = day_bounds(min(day for _, day in wanted))
    _, end = day_bounds(max(day for _, day in wanted))
    seen: dict[tuple[str, dt.date], dict[str, Closure]] = {key: {} for key in wanted}
    for part in chunked(sorted({department for department, _ in wanted})):
        rows = CaseEvent.objects.filter(
            department_code__in=part,
            type__in=("CaseDecided", "CaseConcluded"),
            occurred_at__gte=start,
            occurred_at__lt=end,
        ).values_list("department_code", "case_number", "occurred_at", "type")
        for department, number, at, kind in rows:
            key = (department, at.astimezone(SHANGHAI).date())
            if key in seen and (number not in seen[key] or at > seen[key][number].at):
                seen[key][number] = Closure(number, at, kind)
    return {key: list(found.values()) for key, found in seen.items()}


def department_day_pairs(
    department_code: str,
    day: dt.date,
    settings: SettingsCache,
    closures: Mapping[tuple[str, dt.date], list[Closure]] | None = None,
) -> list[tuple[Target, Hit]]:
    """The department-day rules' hits on one department's local day."""
    found = (
        closures[(department_code, day)]
        if closures is not None and (department_code, day) in closures
        else department_closures(department_code, day)
    )
    facts = DepartmentDayFacts(department_code, day, tuple(found))
    if not facts.closures:
        return []
    hits = settings.run(facts, department_code)
    if not hits:
        return []
    region = (
        Organisation.objects.filter(code=department_code).values_list("region__path", "pk").first()
    )
    target = Target(
        key=f"{department_code}:{day.isoformat()}",
        department_code=department_code,
        region_path=region[0] if region else "",
        organisation_id=region[1] if region else None,
    )
    return [(target, hit) for hit in hits]


def evaluate_department_day(
    *, department_code: str, day: dt.date, actor: Any = ENGINE
) -> list[Finding]:
    """Run the department-day rules (夜间集中办结) on one department's local day."""
    with transaction.atomic():
        pairs = department_day_pairs(department_code, day, SettingsCache(Scope.DEPARTMENT_DAY))
        return record_hits(hits=pairs, actor=actor)


def days_closed(events: Sequence[Mapping[str, Any]]) -> set[tuple[str, dt.date]]:
    """The (department, local day) of a case's conclusions (办结)."""
    return {
        (str(e.get("department_code", "")), at.astimezone(SHANGHAI).date())
        for e in events
        if e.get("type") == "CaseConcluded" and (at := parse_instant(e.get("occurred_at")))
    }


def closure_days(case_numbers: Iterable[str]) -> set[tuple[str, dt.date]]:
    """The (department, local day) pairs on which these cases were decided or concluded."""
    days: set[tuple[str, dt.date]] = set()
    for part in chunked(sorted(set(case_numbers))):
        rows = CaseEvent.objects.filter(
            case_number__in=part, type__in=("CaseDecided", "CaseConcluded")
        ).values_list("department_code", "occurred_at")
        days |= {(code, at.astimezone(SHANGHAI).date()) for code, at in rows}
    return days
