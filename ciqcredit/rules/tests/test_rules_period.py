"""Evaluation periods: bounds from a period end, the period containing a date, and refusal of bad ends."""

import datetime as dt

import pytest

from ciqcredit.errors import DomainError
from ciqcredit.rules.grading import InvalidPeriodEnd, period_bounds, period_containing
from ciqcredit.rules.params import Period, RuleSetParams

D = dt.date
REF = RuleSetParams()


@pytest.mark.parametrize(
    ("period_end", "start"),
    [
        (D(2016, 9, 30), D(2015, 10, 1)),
        (D(2015, 9, 30), D(2014, 10, 1)),
        (D(2020, 9, 30), D(2019, 10, 1)),  # across a leap day
    ],
)
def test_reference_period_runs_from_1_october_to_30_september(period_end, start):
    assert period_bounds(REF, period_end) == (start, period_end)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2015, 10, 1), (D(2015, 10, 1), D(2016, 9, 30))),  # first day
        (D(2016, 9, 30), (D(2015, 10, 1), D(2016, 9, 30))),  # last day
        (D(2015, 9, 30), (D(2014, 10, 1), D(2015, 9, 30))),  # the day before
        (D(2016, 10, 1), (D(2016, 10, 1), D(2017, 9, 30))),  # the day after
        (D(2016, 2, 29), (D(2015, 10, 1), D(2016, 9, 30))),
        (D(2016, 1, 1), (D(2015, 10, 1), D(2016, 9, 30))),
    ],
)
def test_period_containing_a_day(day, expected):
    assert period_containing(REF, day) == expected


@pytest.mark.parametrize("bad_end", [D(2016, 10, 1), D(2016, 9, 29), D(2016, 12, 31), D(2016, 6, 30)])
def test_a_day_that_ends_no_period_is_refused_in_chinese_with_the_nearest_ends(bad_end):
    with pytest.raises(InvalidPeriodEnd) as caught:
        period_bounds(REF, bad_end)
    error = caught.value
    assert isinstance(error, ValueError) and isinstance(error, DomainError)
    assert error.code == "invalid_period_end"
    assert "不是评定周期的截止日" in error.message
    assert error.details["field"] == "period_end"
    start, end = period_containing(REF, bad_end)
    assert error.details["next_end"] == end.isoformat()
    assert error.details["previous_end"] == (start - dt.timedelta(days=1)).isoformat()


def test_a_timestamp_is_not_a_date():
    with pytest.raises(TypeError):
        period_bounds(REF, dt.datetime(2016, 9, 30, 12, 0))


@pytest.mark.parametrize(
    ("period", "day", "expected"),
    [
        # calendar year
        (Period(start_month=1), D(2016, 12, 31), (D(2016, 1, 1), D(2016, 12, 31))),
        (Period(start_month=1), D(2017, 1, 1), (D(2017, 1, 1), D(2017, 12, 31))),
        # a start day inside the month: the 14th still belongs to the previous period
        (Period(start_month=10, start_day=15), D(2016, 10, 14), (D(2015, 10, 15), D(2016, 10, 14))),
        (Period(start_month=10, start_day=15), D(2016, 10, 15), (D(2016, 10, 15), D(2017, 10, 14))),
        # half years starting 1 October: October and April
        (Period(months=6), D(2016, 3, 31), (D(2015, 10, 1), D(2016, 3, 31))),
        (Period(months=6), D(2016, 4, 1), (D(2016, 4, 1), D(2016, 9, 30))),
        # quarters starting 1 October
        (Period(months=3), D(2016, 2, 10), (D(2016, 1, 1), D(2016, 3, 31))),
        # 24 months: aligned on month index from year 0, so October of even years
        (Period(months=24), D(2015, 5, 5), (D(2014, 10, 1), D(2016, 9, 30))),
        (Period(months=24), D(2016, 10, 1), (D(2016, 10, 1), D(2018, 9, 30))),
    ],
)
def test_other_period_shapes(period, day, expected):
    params = RuleSetParams(period=period)
    assert period_containing(params, day) == expected
    assert period_bounds(params, expected[1]) == expected


def test_consecutive_periods_tile_the_calendar_without_gap_or_overlap():
    for period in (Period(), Period(months=5, start_month=3, start_day=28), Period(months=7, start_day=2)):
        params = RuleSetParams(period=period)
        day = D(2013, 1, 1)
        seen_end = None
        while day < D(2019, 1, 1):
            start, end = period_containing(params, day)
            assert start <= day <= end
            if seen_end is not None:
                assert start == seen_end + dt.timedelta(days=1)
            seen_end = end
            day = end + dt.timedelta(days=1)
