"""事后 review: a deterministic random sample of concluded cases for review (抽查). Pure.

A case is selected when the first 8 hex digits of SHA-256(seed + case number),
read as a fraction of 2^32, fall below the rate: the same case is always
selected or not for the same seed and rate, whichever process evaluates it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from egov.supervision.judging.rules.base import Hit, Param, Rule, _, register
from egov.supervision.judging.rules.facts import CaseFacts

SAMPLED = "review.sampled"
CONCLUDED = ("concluded", "delivered")


def sample_point(case_number: str, seed: str) -> float:
    """A number in [0, 1) fixed by the case number and the seed."""
    digest = hashlib.sha256(f"{seed}:{case_number}".encode()).hexdigest()
    return int(digest[:8], 16) / 2**32


def is_sampled(case_number: str, rate: float, seed: str = "") -> bool:
    return sample_point(case_number, seed) < rate


def sampled(facts: CaseFacts, params: Mapping[str, Any]) -> list[Hit]:
    if facts.status not in CONCLUDED:
        return []
    if not is_sampled(facts.case_number, float(params["rate"]), str(params["seed"])):
        return []
    return [
        SAMPLED_RULE.hit(
            "办结案件被随机抽中，请进行事后复查",
            {"rate": params["rate"], "seed": params["seed"]},
        )
    ]


SAMPLED_RULE = register(
    Rule(
        SAMPLED,
        "review",
        _("事后随机抽查"),
        "《中华人民共和国行政许可法》第六十条",
        "info",
        sampled,
        (Param("rate", 0.02, _("抽查比例（0–1）"), maximum=1.0), Param("seed", "", _("抽样种子"))),
        description=_("按比例随机抽取已办结案件进行事后复查；同一种子下抽中结果确定。"),
    )
)
