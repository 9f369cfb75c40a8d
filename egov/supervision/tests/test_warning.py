"""Early warning (智能预警), pure: a sudden rise is flagged, a stable or small series is not."""

from __future__ import annotations

import math

import pytest

from egov.supervision.statistics.warning import (
    DURATION,
    OVERDUE_RATE,
    WarningSettings,
    WeekFigures,
    binomial_upper_tail,
    duration_warning,
    early_warnings,
    overdue_rate_warning,
)


def week(index: int, decided: int, overdue: int, days: list[float] | None = None) -> WeekFigures:
    """A week with ``decided`` decisions, ``overdue`` of them late, durations ``days`` (cycled)."""
    durations = [days[i % len(days)] for i in range(decided)] if days else [5.0] * decided
    return WeekFigures(
        week=index,
        decided=decided,
        overdue=overdue,
        days_sum=sum(durations),
        days_squares=sum(d * d for d in durations),
    )


STABLE_DAYS = [3.0, 4.0, 5.0, 6.0, 7.0]  # mean 5, sd about 1.4


def stable_baseline() -> list[WeekFigures]:
    """Eight weeks of 40 decisions, 2 late each (5 %), five working days on average."""
    return [week(i, 40, 2, STABLE_DAYS) for i in range(8)]


def test_binomial_tail_matches_direct_sum():
    n, p = 30, 0.1
    direct = sum(math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(7, n + 1))
    assert binomial_upper_tail(7, n, p) == pytest.approx(direct, rel=1e-9)
    assert binomial_upper_tail(0, n, p) == 1.0
    assert binomial_upper_tail(31, n, p) == 0.0


def test_binomial_tail_of_a_large_week_is_finite():
    assert 0.0 < binomial_upper_tail(900, 10_000, 0.05) < 1e-40
    assert binomial_upper_tail(500, 10_000, 0.05) == pytest.approx(0.5, abs=0.02)


def test_a_sudden_rise_in_the_overdue_rate_is_flagged():
    weeks = [*stable_baseline(), week(8, 40, 10, STABLE_DAYS)]  # 25 % late against 5 %
    warning = overdue_rate_warning(weeks)
    assert warning is not None
    assert warning.kind == OVERDUE_RATE
    assert warning.week == 8
    assert warning.observed == 0.25
    assert warning.baseline == pytest.approx((16 + 0.5) / (320 + 1))
    assert warning.p_value is not None
    assert warning.p_value < 0.01
    assert warning.observed > warning.limit  # beyond the 3-sigma control limit too
    assert (warning.cases, warning.baseline_cases) == (40, 320)


def test_a_stable_series_is_not_flagged():
    weeks = [*stable_baseline(), week(8, 40, 3, STABLE_DAYS)]  # 7.5 %: within chance
    assert early_warnings(weeks) == []


def test_a_small_week_is_not_flagged_however_bad():
    weeks = [*stable_baseline(), week(8, 10, 8, [30.0])]  # 80 % late, but 10 decisions
    assert early_warnings(weeks) == []


def test_a_small_baseline_is_not_flagged():
    weeks = [week(i, 5, 0) for i in range(8)] + [week(8, 40, 20, [30.0])]  # 40 baseline cases
    assert early_warnings(weeks) == []


def test_a_significant_but_negligible_rise_of_a_large_department_is_not_flagged():
    baseline = [week(i, 5000, 250) for i in range(8)]  # 5.0 %
    weeks = [*baseline, week(8, 5000, 300)]  # 6.0 %: p < 0.01, yet a 1-point rise
    settings = WarningSettings()
    assert binomial_upper_tail(300, 5000, 2000.5 / 40001) < settings.alpha
    assert overdue_rate_warning(weeks, settings) is None


def test_a_spotless_baseline_still_needs_several_late_cases():
    baseline = [week(i, 40, 0) for i in range(8)]
    assert overdue_rate_warning([*baseline, week(8, 40, 1)]) is None
    assert overdue_rate_warning([*baseline, week(8, 40, 4)]) is not None


def test_only_the_last_baseline_weeks_count():
    old_bad = [week(i, 40, 20) for i in range(4)]  # long ago, half were late
    weeks = [*old_bad, *stable_baseline(), week(12, 40, 10)]
    warning = overdue_rate_warning(weeks)
    assert warning is not None
    assert warning.baseline_cases == 320  # the eight weeks before, not the four older ones


def test_a_sudden_rise_in_duration_is_flagged():
    weeks = [*stable_baseline(), week(8, 40, 2, [7.0, 8.0, 9.0])]  # mean 8 against 5
    warning = duration_warning(weeks)
    assert warning is not None
    assert warning.kind == DURATION
    assert warning.observed == pytest.approx(7.975)
    assert warning.baseline == pytest.approx(5.0)
    assert warning.z is not None
    assert warning.z > 2.326
    assert warning.observed > warning.limit


def test_a_duration_within_noise_is_not_flagged():
    weeks = [*stable_baseline(), week(8, 40, 2, [3.0, 5.0, 6.0, 7.0, 5.0])]  # mean 5.2
    assert duration_warning(weeks) is None


def test_both_warnings_at_once():
    weeks = [*stable_baseline(), week(8, 40, 12, [10.0, 12.0])]
    assert {w.kind for w in early_warnings(weeks)} == {OVERDUE_RATE, DURATION}


def test_constant_durations_do_not_divide_by_zero():
    baseline = [week(i, 40, 0, [5.0]) for i in range(8)]  # sd 0: floored
    assert duration_warning([*baseline, week(8, 40, 0, [5.0])]) is None
    flagged = duration_warning([*baseline, week(8, 40, 0, [7.0])])
    assert flagged is not None
    assert flagged.z == pytest.approx(2 / (0.5 / math.sqrt(40)))


def test_no_weeks_no_warning():
    assert early_warnings([]) == []
