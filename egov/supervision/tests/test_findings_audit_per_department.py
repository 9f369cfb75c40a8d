"""The new findings of one judgement: one audit entry per department naming each (ADR 0054)."""

from __future__ import annotations

import hashlib

import pytest

from egov.core.models import AuditEntry, Event
from egov.core.selectors.audit import verify_audit_chain
from egov.supervision.judging.evaluation import Target, fingerprint, record_hits
from egov.supervision.judging.rules import Hit

pytestmark = pytest.mark.django_db

DAOLI, NANGANG = "230102-SCJG", "230103-SCJG"


def hit_on(number: str, department: str, rule: str = "irregular.timestamps") -> tuple[Target, Hit]:
    target = Target(number, department, "/230000/230100/", case_number=number)
    return target, Hit(rule, "yellow", "报送迟延", {"late_hours": 80})


def test_findings_of_two_departments_get_one_entry_each_naming_every_finding():
    hits = [
        hit_on("230102202603020001", DAOLI),
        hit_on("230103202603020002", NANGANG),
        hit_on("230102202603020003", DAOLI),
        hit_on("230102202603020003", DAOLI, "irregular.decider_without_role"),
    ]
    findings = record_hits(hits=hits, actor="supervision-engine")
    entries = list(AuditEntry.objects.filter(action="supervision.FindingRaised").order_by("id"))
    assert [entry.organisation for entry in entries] == [DAOLI, NANGANG]
    daoli, nangang = entries
    daoli_findings = [f for f in findings if f.department_code == DAOLI]
    prints = "\n".join(f.fingerprint for f in daoli_findings)
    assert daoli.object_id == "batch:" + hashlib.sha256(prints.encode()).hexdigest()
    lines = daoli.summary.splitlines()
    assert lines[0].startswith("3 findings raised")
    assert lines[1:] == [
        f"{f.fingerprint[:16]} {f.rule_code} {f.case_number}" for f in daoli_findings
    ]
    assert daoli.actor == "supervision-engine"
    # A department with one new finding keeps the one-finding entry.
    assert nangang.object_id == fingerprint("irregular.timestamps", "230103202603020002")[:16]
    assert nangang.summary == "irregular.timestamps 230103202603020002: 报送迟延"
    # Every finding still has its own event, and the chain still verifies.
    assert Event.objects.filter(event_type="FindingRaised").count() == 4
    assert verify_audit_chain().intact


def test_judging_the_same_hits_again_writes_no_entry():
    hits = [hit_on("230102202603020001", DAOLI), hit_on("230102202603020003", DAOLI)]
    record_hits(hits=hits)
    record_hits(hits=hits)
    assert AuditEntry.objects.filter(action="supervision.FindingRaised").count() == 1
    assert Event.objects.filter(event_type="FindingRaised").count() == 2
