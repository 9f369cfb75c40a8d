"""Statistics periods (统计期): a month, a custom range, bad input named by field."""

from __future__ import annotations

import datetime as dt

import pytest

from egov.supervision.statistics.aggregates import PeriodError, month_period, parse_period

TODAY = dt.date(2026, 11, 29)


def test_month():
    assert month_period(2026, 12) == month_period(2026, 12)
    assert month_period(2026, 12).end == dt.date(2026, 12, 31)
    assert month_period(2026, 2).end == dt.date(2026, 2, 28)
    assert parse_period(month="2026-10", today=TODAY).start == dt.date(2026, 10, 1)


def test_nothing_given_is_this_month():
    assert parse_period(today=TODAY) == month_period(2026, 11)


def test_range_with_one_end_missing():
    period = parse_period(start="2026-11-10", today=TODAY)
    assert (period.start, period.end) == (dt.date(2026, 11, 10), TODAY)
    period = parse_period(end="2026-11-20", today=TODAY)
    assert (period.start, period.end) == (dt.date(2026, 11, 1), dt.date(2026, 11, 20))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"month": "2026-13"}, "month"),
        ({"month": "november"}, "month"),
        ({"start": "2026-11-31"}, "from"),
        ({"start": "2026-11-20", "end": "2026-11-10"}, "to"),
        ({"start": "2020-01-01", "end": "2026-11-10"}, "to"),
        ({"end": "yesterday"}, "to"),
    ],
)
def test_bad_periods_name_the_field(kwargs, field):
    with pytest.raises(PeriodError) as caught:
        parse_period(today=TODAY, **kwargs)
    assert field in caught.value.fields


def test_the_period_ends_before_the_next_midnight(db, supervisor_province):
    from egov.supervision.statistics import aggregates as stats
    from egov.supervision.tests.dashboard_data import at, make_case

    make_case("230102-SCJG", received=at(30, 11, 23))  # 23:00 on the last day
    make_case("230102-SCJG", received=at(1, 12, 0))  # midnight: December already
    scope = stats.viewer_scope(supervisor_province)
    assert stats.total_figures(scope, month_period(2026, 11)).received == 1
    assert stats.total_figures(scope, month_period(2026, 12)).received == 1
