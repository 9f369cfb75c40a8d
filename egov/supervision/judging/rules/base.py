"""What a supervision rule is (监察规则), pure: no Django import.

A rule is a small named object, as ProzorroUKR's prozorro-risks keeps one
class per risk indicator: its code (``time.promised_overdue``), its category
(time, fee, data, irregular, catalogue, review), its Chinese name, the legal
basis it enforces, its parameters with their defaults, a severity, and one
pure function from facts to hits. A :class:`Hit` carries the evidence and a
discriminator: the fingerprint of a finding is the rule code, the case number
(or item or department-day) and the discriminator, so a rule that hits the
same thing twice makes one finding.

Rules are registered in :data:`REGISTRY` by the modules of this package.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


def _(text: str) -> str:
    """Mark a rule's name, description or parameter label for translation (gettext_noop).

    This module may not import Django; the rules page translates the marked
    strings with ``gettext`` when it shows them.
    """
    return text


CATEGORIES = ("time", "fee", "data", "irregular", "catalogue", "review", "complaint")


class Scope(StrEnum):
    """What a rule judges: one case, one catalogue item, or one department's day."""

    CASE = "case"
    ITEM = "item"
    DEPARTMENT_DAY = "department_day"


class Severity(StrEnum):
    INFO = "info"
    YELLOW = "yellow"
    RED = "red"


@dataclass(frozen=True)
class Param:
    """A rule parameter: its name, default, type and meaning (Chinese, for the rules page)."""

    name: str
    default: Any
    label: str
    maximum: float | None = None  # numbers only: the largest value allowed

    @property
    def kind(self) -> type:
        return type(self.default)

    def check(self, raw: Any) -> Any:
        """The value coerced to this parameter's type and within its bounds."""
        value = self.coerce(raw)
        if self.maximum is not None and value > self.maximum:
            raise ValueError(f"must be <= {self.maximum:g}")
        return value

    def coerce(self, raw: Any) -> Any:
        """The value as this parameter's type; ValueError says why not."""
        kind = self.kind
        if kind is bool:
            return coerce_bool(raw)
        if kind is int:
            return coerce_number(raw, int)
        if kind is float:
            return coerce_number(raw, float)
        if kind in (tuple, list):
            return coerce_list(raw)
        if not isinstance(raw, str):
            raise ValueError("expected text")
        return raw.strip()


def coerce_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off", ""):
        return False
    raise ValueError("expected true or false")


def coerce_number(raw: Any, kind: type) -> Any:
    if isinstance(raw, bool):
        raise ValueError(f"expected {'an integer' if kind is int else 'a number'}")
    try:
        value = kind(str(raw).strip()) if isinstance(raw, str) else kind(raw)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"expected {'an integer' if kind is int else 'a number'}") from exc
    if kind is int and isinstance(raw, float) and raw != value:
        raise ValueError("expected an integer")
    if value < 0:
        raise ValueError("must be >= 0")
    return value


def coerce_list(raw: Any) -> tuple[str, ...]:
    if isinstance(raw, str):
        parts = raw.replace("，", ",").split(",")
    elif isinstance(raw, list | tuple):
        parts = [str(part) for part in raw]
    else:
        raise ValueError("expected a comma-separated list")
    return tuple(part.strip() for part in parts if part.strip())


@dataclass(frozen=True)
class Hit:
    """One rule hit: what was found, how bad, the evidence, and what makes it distinct."""

    rule_code: str
    severity: str
    summary: str
    evidence: Mapping[str, Any] = field(default_factory=dict)
    discriminator: str = ""


Check = Callable[[Any, Mapping[str, Any]], list[Hit]]


@dataclass(frozen=True)
class Rule:
    """A supervision rule (监察规则): a named, parameterised, pure check with its legal basis."""

    code: str
    category: str
    name: str
    basis: str
    severity: str
    check: Check
    params: tuple[Param, ...] = ()
    scope: Scope = Scope.CASE
    description: str = ""

    def defaults(self) -> dict[str, Any]:
        return {param.name: param.default for param in self.params}

    def run(self, facts: Any, parameters: Mapping[str, Any] | None = None) -> list[Hit]:
        """The hits on ``facts`` with the defaults overridden by ``parameters``."""
        return self.check(facts, self.defaults() | dict(parameters or {}))

    def hit(
        self,
        summary: str,
        evidence: Mapping[str, Any] | None = None,
        discriminator: str = "",
        severity: str | None = None,
    ) -> Hit:
        return Hit(
            self.code, severity or self.severity, summary, dict(evidence or {}), discriminator
        )


REGISTRY: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    """Add a rule to the registry (its code is unique); returns it."""
    if rule.category not in CATEGORIES:
        raise ValueError(f"{rule.code}: unknown category {rule.category!r}")
    if rule.code in REGISTRY and REGISTRY[rule.code] is not rule:
        raise ValueError(f"{rule.code}: registered twice")
    REGISTRY[rule.code] = rule
    return rule


def rules_for(scope: Scope) -> list[Rule]:
    return [rule for rule in REGISTRY.values() if rule.scope == scope]


def check_parameters(rule: Rule, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validated parameters for ``rule``: each known and of its type.

    Raises ``ValueError`` with a mapping ``{parameter: reason}`` as its argument.
    """
    known = {param.name: param for param in rule.params}
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, value in raw.items():
        param = known.get(name)
        if param is None:
            errors[name] = "unknown parameter"
            continue
        try:
            values[name] = param.check(value)
        except ValueError as exc:
            errors[name] = str(exc)
    if errors:
        raise ValueError(errors)
    return values


def merge_parameters(rule: Rule, layers: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Defaults, then each layer (province, department, item) over the one before."""
    merged = rule.defaults()
    for layer in layers:
        merged.update({k: v for k, v in layer.items() if k in merged})
    return merged
