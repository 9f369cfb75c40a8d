"""Properties of working-day arithmetic, checked against a naive day-by-day reference."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from egov.core.calendar import WorkingCalendar, official_exception_days, official_years

ONE_DAY = dt.timedelta(days=1)
OFFICIAL = WorkingCalendar(
    (day.date, day.is_working) for day in official_exception_days(official_years())
)

dates = st.dates(min_value=dt.date(2003, 6, 1), max_value=dt.date(2031, 6, 30))
counts = st.integers(min_value=0, max_value=80)


@st.composite
def pauses(draw: st.DrawFn) -> list[tuple[dt.date, dt.date]]:
    intervals = []
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        first = draw(dates)
        intervals.append((first, first + dt.timedelta(days=draw(st.integers(0, 40)))))
    return intervals


# Random exception tables too, not only the official one.
exception_tables = st.dictionaries(
    st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2026, 12, 31)),
    st.booleans(),
    max_size=60,
)


def counted(calendar: WorkingCalendar, day: dt.date, paused) -> bool:
    """The reference: a day counts if it is a working day outside every pause."""
    in_pause = any(first <= day <= last for first, last in paused)
    return calendar.is_working_day(day) and not in_pause


def naive_between(calendar: WorkingCalendar, a: dt.date, b: dt.date, paused=()) -> int:
    sign, (low, high) = (1, (a, b)) if a <= b else (-1, (b, a))
    total, day = 0, low
    while day < high:
        day += ONE_DAY
        total += counted(calendar, day, paused)
    return sign * total


def naive_add(calendar: WorkingCalendar, start: dt.date, n: int, paused=()) -> dt.date:
    day, left = start, n
    while left:
        day += ONE_DAY
        left -= counted(calendar, day, paused)
    return day


@settings(max_examples=300)
@given(start=dates, n=counts, paused=pauses())
def test_add_agrees_with_the_day_by_day_reference(start, n, paused) -> None:
    assert OFFICIAL.add_working_days(start, n, paused) == naive_add(OFFICIAL, start, n, paused)


@settings(max_examples=300)
@given(a=dates, b=dates, paused=pauses())
def test_between_agrees_with_the_day_by_day_reference(a, b, paused) -> None:
    if abs((b - a).days) > 800:
        b = a + dt.timedelta(days=(b - a).days % 800)
    assert OFFICIAL.working_days_between(a, b, paused) == naive_between(OFFICIAL, a, b, paused)


@given(table=exception_tables, start=st.dates(dt.date(2024, 11, 1), dt.date(2027, 1, 31)), n=counts)
def test_random_tables_agree_with_the_reference(table, start, n) -> None:
    calendar = WorkingCalendar(table)
    result = calendar.add_working_days(start, n)
    assert result == naive_add(calendar, start, n)
    assert calendar.working_days_between(start, result) == naive_between(calendar, start, result)


@given(start=dates, n=counts, paused=pauses())
def test_add_then_count_gives_back_n(start, n, paused) -> None:
    end = OFFICIAL.add_working_days(start, n, paused)
    assert OFFICIAL.working_days_between(start, end, paused) == n


@given(start=dates, n=st.integers(min_value=1, max_value=80), paused=pauses())
def test_result_of_adding_at_least_one_is_a_counted_working_day(start, n, paused) -> None:
    end = OFFICIAL.add_working_days(start, n, paused)
    assert end > start
    assert OFFICIAL.is_working_day(end)
    assert not any(first <= end <= last for first, last in paused)


@given(start=dates, n=counts, more=st.integers(min_value=0, max_value=20))
def test_add_is_monotonic_in_n(start, n, more) -> None:
    assert OFFICIAL.add_working_days(start, n) <= OFFICIAL.add_working_days(start, n + more)
    if more:
        assert OFFICIAL.add_working_days(start, n) < OFFICIAL.add_working_days(start, n + more)


@given(start=dates, later=st.integers(min_value=0, max_value=30), n=counts, paused=pauses())
def test_add_is_monotonic_in_start(start, later, n, paused) -> None:
    moved = start + dt.timedelta(days=later)
    assert OFFICIAL.add_working_days(start, n, paused) <= OFFICIAL.add_working_days(
        moved, n, paused
    )


@given(a=dates, b=dates, c=dates, paused=pauses())
def test_counts_are_additive(a, b, c, paused) -> None:
    between = OFFICIAL.working_days_between
    assert between(a, b, paused) + between(b, c, paused) == between(a, c, paused)
    assert between(a, b, paused) == -between(b, a, paused)
