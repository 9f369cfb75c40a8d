"""How well the rules find what was injected (规则质量): precision and recall per rule.

Ground truth is the generator's labels (:class:`egov.supervision.judging.violations.Month`):
pairs ``(rule code, target)`` where the target is a case number, an item
code (catalogue rules) or ``department:day`` (the night-time rule). Found is
every finding in the table, keyed the same way. Used by
``bench/supervision_quality.py`` and ``tests/test_quality_small.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from egov.supervision.judging.rules import REGISTRY
from egov.supervision.models import Finding


@dataclass(frozen=True)
class RuleScore:
    """One rule's counts: injected (truth), found, and found that was injected."""

    rule_code: str
    injected: int
    found: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.injected if self.injected else 1.0


def finding_key(finding: Finding) -> str:
    if finding.case_number:
        return finding.case_number
    if finding.category == "catalogue":
        return finding.item_code
    return f"{finding.department_code}:{(finding.evidence or {}).get('day', '')}"


def found_pairs(rule_codes: Iterable[str] | None = None) -> set[tuple[str, str]]:
    """Every finding of the rules (all registered rules by default) as (rule, target)."""
    codes = list(rule_codes) if rule_codes is not None else list(REGISTRY)
    rows = Finding.objects.filter(rule_code__in=codes)
    return {(f.rule_code, finding_key(f)) for f in rows}


def score(truth: set[tuple[str, str]], found: set[tuple[str, str]]) -> list[RuleScore]:
    """Precision and recall of every registered rule."""
    scores = []
    for code in sorted(REGISTRY):
        injected = {t for t in truth if t[0] == code}
        hits = {f for f in found if f[0] == code}
        scores.append(RuleScore(code, len(injected), len(hits), len(injected & hits)))
    return scores
