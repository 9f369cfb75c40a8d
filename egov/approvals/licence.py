"""Ending a licence before its time (证照撤销与注销), no Django import.

Once a case is approved (准予许可) its licence stands until it expires, or
until the issuing department ends it by one of two acts of the Administrative
Licensing Law (《中华人民共和国行政许可法》), ADR 0058:

* **撤销** (revoke, 第六十九条): the licence should never have been granted:
  the department's own fault (abuse of power, no competence, wrong procedure,
  an unqualified applicant) or the holder's (deception, bribery);
* **注销** (cancel, 第七十条): the licence ends for a reason arising later:
  expiry without renewal, the holder's death or dissolution, force majeure,
  or the holder's own request where a law or regulation provides for it.

Each act needs a ground (事由) from :data:`GROUNDS`, which carries its article;
the grounds "other cases provided by law" also need the provision itself
(``needs_provision``). The public verification page shows the act, its date
and the ground's label, never the free-text reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

LAW = "《中华人民共和国行政许可法》"


class Ending(StrEnum):
    """How a licence ended before its time."""

    REVOKED = "revoked"  # 撤销
    CANCELLED = "cancelled"  # 注销


ENDING_LABELS = {Ending.REVOKED: "已撤销", Ending.CANCELLED: "已注销"}


@dataclass(frozen=True)
class Ground:
    """A ground for ending a licence (撤销或注销事由) and the article that provides it."""

    code: str
    ending: Ending
    label: str
    article: str
    needs_provision: bool = False

    @property
    def legal_basis(self) -> str:
        return f"{LAW}{self.article}"


GROUNDS: dict[str, Ground] = {
    ground.code: ground
    for ground in (
        Ground(
            "abuse_of_power",
            Ending.REVOKED,
            "行政机关工作人员滥用职权、玩忽职守作出准予行政许可决定",
            "第六十九条第一款第（一）项",
        ),
        Ground(
            "beyond_authority",
            Ending.REVOKED,
            "超越法定职权作出准予行政许可决定",
            "第六十九条第一款第（二）项",
        ),
        Ground(
            "procedure_violated",
            Ending.REVOKED,
            "违反法定程序作出准予行政许可决定",
            "第六十九条第一款第（三）项",
        ),
        Ground(
            "unqualified_applicant",
            Ending.REVOKED,
            "对不具备申请资格或者不符合法定条件的申请人准予行政许可",
            "第六十九条第一款第（四）项",
        ),
        Ground(
            "improper_means",
            Ending.REVOKED,
            "被许可人以欺骗、贿赂等不正当手段取得行政许可",
            "第六十九条第二款",
        ),
        Ground(
            "other_revocation",
            Ending.REVOKED,
            "依法可以撤销行政许可的其他情形",
            "第六十九条第一款第（五）项",
            needs_provision=True,
        ),
        Ground("expired", Ending.CANCELLED, "行政许可有效期届满未延续", "第七十条第（一）项"),
        Ground(
            "holder_died",
            Ending.CANCELLED,
            "被许可的公民死亡或者丧失行为能力",
            "第七十条第（二）项",
        ),
        Ground(
            "holder_dissolved", Ending.CANCELLED, "法人或者其他组织依法终止", "第七十条第（三）项"
        ),
        Ground(
            "force_majeure",
            Ending.CANCELLED,
            "因不可抗力导致行政许可事项无法实施",
            "第七十条第（五）项",
        ),
        Ground(
            "holder_request",
            Ending.CANCELLED,
            "被许可人申请注销",
            "第七十条第（六）项",
            needs_provision=True,
        ),
    )
}


def grounds_for(ending: Ending) -> list[Ground]:
    """The grounds of one act, in the law's order."""
    return [ground for ground in GROUNDS.values() if ground.ending is ending]


def ground_problem(ending: Ending, code: str) -> str:
    """Why ``code`` is not a ground of this act ("" if it is one)."""
    ground = GROUNDS.get(code)
    if ground is None or ground.ending is not ending:
        return "must be one of: " + ", ".join(g.code for g in grounds_for(ending))
    return ""


def legal_basis(ground: Ground, provision: str) -> str:
    """The basis as recorded: the article, then the provision named for an "other" ground."""
    return f"{ground.legal_basis}；{provision}" if provision else ground.legal_basis
