"""Supervision rules (监察规则), pure: no Django import.

Importing the package registers every rule in :data:`REGISTRY`
(see :mod:`egov.supervision.rules.base`).
"""

from egov.supervision.rules import catalogue, data, fee, irregular, review, time
from egov.supervision.rules.base import REGISTRY, Hit, Param, Rule, Scope, rules_for

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
