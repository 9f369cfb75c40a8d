"""Supervision rules (监察规则), pure: no Django import.

Importing the package registers every rule in :data:`REGISTRY`
(see :mod:`egov.supervision.judging.rules.base`).
"""

from egov.supervision.judging.rules import catalogue, data, fee, irregular, review, time
from egov.supervision.judging.rules.base import REGISTRY, Hit, Param, Rule, Scope, rules_for

__all__ = [
    "REGISTRY",
    "Hit",
    "Param",
    "Rule",
    "Scope",
    "catalogue",
    "data",
    "fee",
    "irregular",
    "review",
    "rules_for",
    "time",
]
