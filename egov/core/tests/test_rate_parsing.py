"""Rates of limited actions (egov.core.ratelimit): parsing, windows, waits. Pure: no database."""

from __future__ import annotations

import datetime as dt

import pytest

from egov.core.ratelimit import Rate, parse_rate, seconds_until, window_of

UTC = dt.UTC


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("20/h", Rate(20, 3600)),
        (" 100 / d ", Rate(100, 86400)),
        ("5/10m", Rate(5, 600)),
        ("1/S", Rate(1, 1)),
        ("off", None),
        ("", None),
    ],
)
def test_rates_are_read_from_their_text(text, rate):
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["20", "20/x", "h/20", "0/h", "5/0m", "-1/h", "20/h/2"])
def test_malformed_rates_are_refused(text):
    with pytest.raises(ValueError, match="not a rate"):
        parse_rate(text)


def test_a_rate_says_what_it_allows():
    assert str(Rate(20, 3600)) == "20 per hour"
    assert str(Rate(5, 600)) == "5 per 10 minutes"
    assert str(Rate(100, 86400)) == "100 per day"
    assert str(Rate(3, 90)) == "3 per 90 seconds"


def test_windows_are_aligned_on_the_epoch_whatever_the_zone():
    shanghai = dt.timezone(dt.timedelta(hours=8))
    moment = dt.datetime(2026, 12, 3, 16, 25, 30, tzinfo=shanghai)  # 08:25:30 UTC
    start, end = window_of(moment, Rate(20, 3600))
    assert (start, end) == (
        dt.datetime(2026, 12, 3, 8, tzinfo=UTC),
        dt.datetime(2026, 12, 3, 9, tzinfo=UTC),
    )
    assert window_of(moment, Rate(5, 600))[0] == dt.datetime(2026, 12, 3, 8, 20, tzinfo=UTC)


def test_the_wait_is_whole_seconds_and_at_least_one():
    end = dt.datetime(2026, 12, 3, 9, tzinfo=UTC)
    assert seconds_until(dt.datetime(2026, 12, 3, 8, 25, 30, tzinfo=UTC), end) == 2070
    assert seconds_until(dt.datetime(2026, 12, 3, 8, 59, 59, 500000, tzinfo=UTC), end) == 1
    assert seconds_until(end, end) == 1
