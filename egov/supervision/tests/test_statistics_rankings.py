"""Rankings (排名): best first, too few cases unranked, a lower bar in a quiet period."""

from __future__ import annotations

from egov.supervision.statistics.aggregates import Figures, rank


def row(key: str, judged: int, on_time: int, received: int = 0, findings: int = 0) -> Figures:
    return Figures(
        key=key,
        name=key,
        received=received or judged,
        judged=judged,
        on_time=on_time,
        findings=findings,
    )


def test_on_time_rate_best_first_and_small_rows_apart():
    rows = [row("A", 20, 18), row("B", 40, 40), row("C", 12, 6), row("D", 5, 5), row("E", 30, 15)]
    ranking = rank(rows, figure="on_time_rate")
    assert [r.key for r in ranking.ranked] == ["B", "A", "E", "C"]  # E and C tie: busier first
    assert [r.key for r in ranking.unranked] == ["D"]  # 100 % of 5 cases is not ranked
    assert ranking.minimum == 10


def test_ties_go_to_the_busier_row():
    ranking = rank([row("A", 10, 5), row("B", 30, 15), row("C", 20, 10)], figure="on_time_rate")
    assert [r.key for r in ranking.ranked] == ["B", "C", "A"]


def test_findings_per_100_fewest_first():
    rows = [
        row("A", 10, 10, received=50, findings=5),
        row("B", 10, 10, received=100, findings=2),
        row("C", 10, 10, received=20, findings=6),
        row("D", 1, 1, received=2, findings=0),
    ]
    ranking = rank(rows, figure="findings_per_100")
    assert [r.key for r in ranking.ranked] == ["B", "A", "C"]
    assert [r.key for r in ranking.unranked] == ["D"]


def test_a_quiet_period_lowers_the_bar_and_says_so():
    rows = [row("A", 4, 4), row("B", 6, 3), row("C", 2, 2), row("D", 11, 11)]
    ranking = rank(rows, figure="on_time_rate")
    assert ranking.minimum == 3
    assert [r.key for r in ranking.ranked] == ["D", "A", "B"]
    assert [r.key for r in ranking.unranked] == ["C"]
