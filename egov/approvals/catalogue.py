"""Service catalogue rules (事项清单), pure: no Django import.

Checks what an item of the catalogue says about itself: its kind, its limits
(the promised limit 承诺时限 may not exceed the statutory limit 法定时限), its
fees (收费项目, amounts in fen), its required materials (申请材料) and its
process (办理流程: steps with the role that acts and each step's own limit).
The Django side stores these as JSON and calls :func:`check_item` before
saving, so nothing malformed reaches the table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from egov.approvals.forms_spec import Errors, SpecError, check_form_spec
from egov.core.text_input import LINE_MAX, NOTE_MAX, TextLimit, text_problems

ITEM_KINDS = {
    "licence": "行政许可",
    "confirmation": "行政确认",
    "benefit": "行政给付",
    "other_power": "其他行政权力",
    "public_service": "公共服务",
}
MATERIAL_FORMS = {"original": "原件", "copy": "复印件", "original_and_copy": "原件及复印件"}
STEP_NAMES = ("受理", "审查", "现场核查", "听证", "专家评审", "检验检测", "决定", "办结", "送达")
STEP_ROLES = frozenset({"clerk", "leader"})
MAX_LIMIT_DAYS = 365
# What each text of an item may hold (characters), as its table column does.
ITEM_TEXTS = {
    "code": TextLimit(48, required=True),
    "base_code": TextLimit(32),
    "name": TextLimit(128, required=True),
    "legal_basis": TextLimit(NOTE_MAX, multiline=True, required=True),
    "conditions": TextLimit(NOTE_MAX, multiline=True),
    "place": TextLimit(LINE_MAX),
    "hours": TextLimit(LINE_MAX),
    "contact": TextLimit(64),
}
FEE_TEXTS = {
    "name": TextLimit(128, required=True),
    "basis": TextLimit(NOTE_MAX, multiline=True, required=True),
}
MATERIAL_TEXTS = {"code": TextLimit(32, required=True), "name": TextLimit(128, required=True)}


def texts_problems(
    where: str, values: Mapping[str, Any], limits: Mapping[str, TextLimit]
) -> Errors:
    """Each text of ``values`` named in ``limits`` that is not typed, bounded text."""
    _, errors = text_problems({name: (values.get(name), limit) for name, limit in limits.items()})
    prefix = f"{where}." if where else ""
    return {f"{prefix}{name}": reason for name, reason in errors.items()}


@dataclass(frozen=True)
class Limits:
    """An item's limits in working days."""

    statutory: int
    promised: int


def limit_problems(statutory: Any, promised: Any) -> Errors:
    """Both limits are whole working days; the promise is not longer than the law."""
    errors: Errors = {}
    for name, value in (("statutory_limit_days", statutory), ("promised_limit_days", promised)):
        if isinstance(value, bool) or not isinstance(value, int):
            errors[name] = "a whole number of working days"
        elif not 1 <= value <= MAX_LIMIT_DAYS:
            errors[name] = f"between 1 and {MAX_LIMIT_DAYS} working days"
    if not errors and promised > statutory:
        errors["promised_limit_days"] = (
            f"the promised limit ({promised}) may not exceed the statutory limit ({statutory})"
        )
    return errors


def fee_problems(fees: Any) -> Errors:
    """Each fee has a name, an amount in fen (>= 0, whole) and a legal basis."""
    if not isinstance(fees, list):
        return {"fees": "expected a list (empty when the item is free)"}
    errors: Errors = {}
    for index, fee in enumerate(fees):
        where = f"fees[{index}]"
        if not isinstance(fee, Mapping):
            errors[where] = "expected an object with name, amount_fen and basis"
            continue
        errors |= texts_problems(where, fee, FEE_TEXTS)
        if errors.get(f"{where}.basis") == "required":
            errors[f"{where}.basis"] = "required: the document that authorises the fee"
        amount = fee.get("amount_fen")
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            errors[f"{where}.amount_fen"] = "a whole number of fen, >= 0"
    return errors


def material_problems(materials: Any) -> Errors:
    """Each material has a code, a name, a form, a number of copies and a mandatory flag."""
    if not isinstance(materials, list):
        return {"materials": "expected a list"}
    errors: Errors = {}
    codes: set[str] = set()
    for index, material in enumerate(materials):
        where = f"materials[{index}]"
        if not isinstance(material, Mapping):
            errors[where] = "expected an object"
            continue
        errors |= texts_problems(where, material, MATERIAL_TEXTS)
        code = material.get("code")
        if f"{where}.code" not in errors:
            if code in codes:
                errors[f"{where}.code"] = "required and unique within the item"
            codes.add(str(code))
        if material.get("form") not in MATERIAL_FORMS:
            errors[f"{where}.form"] = f"one of {', '.join(MATERIAL_FORMS)}"
        copies = material.get("copies")
        if isinstance(copies, bool) or not isinstance(copies, int) or copies < 1:
            errors[f"{where}.copies"] = "a whole number >= 1"
        if not isinstance(material.get("mandatory"), bool):
            errors[f"{where}.mandatory"] = "true or false"
    return errors


def process_problems(steps: Any, promised: int) -> Errors:
    """Steps in a known order, each with a role and a limit; limits fit the promise."""
    if not isinstance(steps, list) or not steps:
        return {"process": "expected a non-empty list of steps"}
    errors: Errors = {}
    total = 0
    for index, step in enumerate(steps):
        where = f"process[{index}]"
        if not isinstance(step, Mapping):
            errors[where] = "expected an object with name, role and limit_days"
            continue
        if step.get("name") not in STEP_NAMES:
            errors[f"{where}.name"] = f"one of {', '.join(STEP_NAMES)}"
        if step.get("role") not in STEP_ROLES:
            errors[f"{where}.role"] = f"one of {', '.join(sorted(STEP_ROLES))}"
        limit = step.get("limit_days")
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            errors[f"{where}.limit_days"] = "a whole number of working days, >= 0"
        else:
            total += limit
    if not errors and total > promised:
        errors["process"] = f"the steps' limits add up to {total}, more than the promise {promised}"
    return errors


def check_item(item: Mapping[str, Any]) -> None:
    """Check a catalogue item's rules; SpecError names every field at fault."""
    errors: Errors = {}
    if item.get("kind") not in ITEM_KINDS:
        errors["kind"] = f"one of {', '.join(ITEM_KINDS)}"
    errors |= texts_problems("", item, ITEM_TEXTS)
    errors |= limit_problems(item.get("statutory_limit_days"), item.get("promised_limit_days"))
    errors |= fee_problems(item.get("fees", []))
    errors |= material_problems(item.get("materials", []))
    promised = item.get("promised_limit_days")
    if isinstance(promised, int):
        errors |= process_problems(item.get("process"), promised)
    try:
        check_form_spec(item.get("form_fields", []))
    except SpecError as exc:
        errors |= exc.errors
    if errors:
        raise SpecError(errors)


def yuan(amount_fen: int) -> Decimal:
    """An amount in fen shown in yuan (元), two places."""
    return (Decimal(amount_fen) / 100).quantize(Decimal("0.01"))


def mandatory_codes(materials: list[Mapping[str, Any]]) -> list[str]:
    """The codes of the materials an application must include."""
    return [m["code"] for m in materials if m.get("mandatory")]
