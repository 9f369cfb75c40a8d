"""Early warning (智能预警): has a department's overdue rate or duration risen above its baseline?

Pure: no Django. The caller gives one department's weekly figures, oldest
first; the last week is the week under test, the ``baseline_weeks`` before it
are the department's own recent baseline (ADR 0029, docs/supervision.md
"Early warning").

* **Overdue rate** (超期率), a p-chart tested exactly: with the baseline's
  pooled rate ``p0 = (x0 + 0.5) / (n0 + 1)`` (the half-count keeps a spotless
  baseline from making a single late case "infinitely" unlikely), the week's
  ``x`` late decisions out of ``n`` raise a warning when the binomial upper
  tail ``P(X >= x | n, p0) < alpha`` *and* the rate rose by at least
  ``min_rate_rise`` (a large department is not flagged for a statistically
  real but negligible rise). The 3-sigma control limit
  ``p0 + 3 sqrt(p0 (1 - p0) / n)`` is reported beside it for the chart.
* **Average duration** (平均用时), a one-sided z-test of the week's mean
  working days against the baseline mean with the baseline's standard
  deviation ``s0`` (floored at ``min_sd_days``): ``z = (m - m0) / (s0 / sqrt(n))``,
  a warning when ``z >= z_critical`` (2.326 for alpha 0.01) and ``m`` is at
  least ``min_duration_rise`` (relative) above ``m0``.

Neither test runs on too little data: the week needs ``min_week_cases``
decisions and the baseline ``min_baseline_cases``, so a county office with
three cases a week never cries wolf.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

OVERDUE_RATE = "overdue_rate"
DURATION = "duration"


@dataclass(frozen=True)
class WeekFigures:
    """One department's decisions in one week (周统计): counts and working-day sums."""

    week: object  # the week's first day (a date); opaque here
    decided: int  # decisions judged by the engine (on_time not null)
    overdue: int  # of which late (on_time false)
    days_sum: float = 0.0  # sum of working days used over the decided cases
    days_squares: float = 0.0  # sum of the squares of those working days


@dataclass(frozen=True)
class WarningSettings:
    """The parameters of the two tests, with their defaults (documented in ADR 0029)."""

    baseline_weeks: int = 8
    alpha: float = 0.01
    z_critical: float = 2.326  # one-sided standard normal quantile for alpha = 0.01
    min_week_cases: int = 20
    min_baseline_cases: int = 60
    min_rate_rise: float = 0.05  # absolute: five percentage points
    min_duration_rise: float = 0.2  # relative: a fifth longer than the baseline mean
    min_sd_days: float = 0.5


@dataclass(frozen=True)
class EarlyWarning:
    """One raised warning with the figures that justify it."""

    kind: str  # OVERDUE_RATE or DURATION
    week: object
    observed: float  # the week's rate or mean working days
    baseline: float  # p0 or m0
    limit: float  # the 3-sigma control limit (rate) or the critical mean (duration)
    cases: int  # decisions in the tested week
    baseline_cases: int
    p_value: float | None = None  # rate test: the exact binomial tail
    z: float | None = None  # duration test


def binomial_upper_tail(successes: int, trials: int, probability: float) -> float:
    """P(X >= successes) for X ~ Binomial(trials, probability), summed in log space."""
    if successes <= 0:
        return 1.0
    if successes > trials:
        return 0.0
    if probability <= 0.0:
        return 0.0
    if probability >= 1.0:
        return 1.0
    log_p, log_q = math.log(probability), math.log1p(-probability)
    log_n = math.lgamma(trials + 1)
    total = 0.0
    for k in range(successes, trials + 1):
        log_term = log_n - math.lgamma(k + 1) - math.lgamma(trials - k + 1)
        term = math.exp(log_term + k * log_p + (trials - k) * log_q)
        total += term
        if k > trials * probability and term < total * 1e-17:
            break  # past the mode the terms only shrink: the rest cannot change the sum
    return min(total, 1.0)


def overdue_rate_warning(
    weeks: Sequence[WeekFigures], settings: WarningSettings | None = None
) -> EarlyWarning | None:
    """The last week's overdue rate against the pooled rate of the weeks before it."""
    settings = settings or WarningSettings()
    if not weeks:
        return None
    current, baseline = weeks[-1], weeks[-1 - settings.baseline_weeks : -1]
    n0 = sum(week.decided for week in baseline)
    if current.decided < settings.min_week_cases or n0 < settings.min_baseline_cases:
        return None
    p0 = (sum(week.overdue for week in baseline) + 0.5) / (n0 + 1)
    rate = current.overdue / current.decided
    tail = binomial_upper_tail(current.overdue, current.decided, p0)
    if tail >= settings.alpha or rate - p0 < settings.min_rate_rise:
        return None
    limit = p0 + 3 * math.sqrt(p0 * (1 - p0) / current.decided)
    return EarlyWarning(
        kind=OVERDUE_RATE,
        week=current.week,
        observed=rate,
        baseline=p0,
        limit=min(limit, 1.0),
        cases=current.decided,
        baseline_cases=n0,
        p_value=tail,
    )


def baseline_mean_and_sd(baseline: Sequence[WeekFigures], floor: float) -> tuple[float, float]:
    """The pooled mean and sample standard deviation of the baseline's working days."""
    n = sum(week.decided for week in baseline)
    total = sum(week.days_sum for week in baseline)
    squares = sum(week.days_squares for week in baseline)
    mean = total / n
    variance = max(squares - total * total / n, 0.0) / (n - 1) if n > 1 else 0.0
    return mean, max(math.sqrt(variance), floor)


def duration_warning(
    weeks: Sequence[WeekFigures], settings: WarningSettings | None = None
) -> EarlyWarning | None:
    """The last week's mean working days against the baseline's mean and spread."""
    settings = settings or WarningSettings()
    if not weeks:
        return None
    current, baseline = weeks[-1], weeks[-1 - settings.baseline_weeks : -1]
    n0 = sum(week.decided for week in baseline)
    if current.decided < settings.min_week_cases or n0 < settings.min_baseline_cases:
        return None
    m0, s0 = baseline_mean_and_sd(baseline, settings.min_sd_days)
    mean = current.days_sum / current.decided
    standard_error = s0 / math.sqrt(current.decided)
    z = (mean - m0) / standard_error
    if z < settings.z_critical or mean < m0 * (1 + settings.min_duration_rise):
        return None
    return EarlyWarning(
        kind=DURATION,
        week=current.week,
        observed=mean,
        baseline=m0,
        limit=m0 + settings.z_critical * standard_error,
        cases=current.decided,
        baseline_cases=n0,
        z=z,
    )


def early_warnings(
    weeks: Sequence[WeekFigures], settings: WarningSettings | None = None
) -> list[EarlyWarning]:
    """Both tests on one department's weeks (oldest first, the last one tested)."""
    found = [overdue_rate_warning(weeks, settings), duration_warning(weeks, settings)]
    return [warning for warning in found if warning is not None]
