"""Working-day arithmetic on plain values: no database."""

import datetime as dt

import pytest

from ciqcredit.errors import DomainError
from ciqcredit.workdays.arith import SpecialDay, WorkCalendar
from ciqcredit.workdays.tests.package_calendar import package_calendar

D = dt.date.fromisoformat
CAL = package_calendar()


def test_national_day_2017_counts_the_saturday_makeup_day_and_skips_the_golden_week():
    result = CAL.add_working_days(D("2017-09-29"), 5)
    assert result.date == D("2017-10-12")
    assert result.makeup_workdays == ["2017-09-30"]
    assert result.skipped_holidays == [f"2017-10-0{i}" for i in range(1, 9)]
    assert result.skipped_weekends == []
    assert not result.provisional
    assert "国庆节" in result.explanation and "2017-09-30（星期六，国庆节调休）" in result.explanation


def test_spring_festival_2019_makeup_weekend_then_seven_holidays():
    result = CAL.add_working_days(D("2019-02-01"), 3)  # Fri; Sat 2-02 and Sun 2-03 were workdays
    assert result.date == D("2019-02-11")
    assert result.makeup_workdays == ["2019-02-02", "2019-02-03"]
    assert result.skipped_holidays == [f"2019-02-{d:02d}" for d in range(4, 11)]
    assert "春节" in result.explanation


def test_spring_festival_2024_lands_on_the_sunday_makeup_day():
    result = CAL.add_working_days(D("2024-02-08"), 2)  # Fri 2-09, then 2-10..2-17 off, Sun 2-18 a workday
    assert result.date == D("2024-02-18")
    assert result.makeup_workdays == ["2024-02-18"]
    assert len(result.skipped_holidays) == 8


def test_start_on_a_holiday_counts_from_the_next_workday():
    result = CAL.add_working_days(D("2017-10-03"), 1)
    assert result.date == D("2017-10-09")
    assert result.skipped_holidays == [f"2017-10-0{i}" for i in range(4, 9)]


def test_zero_days_is_the_start_date_even_on_a_holiday():
    result = CAL.add_working_days(D("2017-10-03"), 0)
    assert result.date == D("2017-10-03")
    assert (result.skipped_holidays, result.makeup_workdays, result.provisional) == ([], [], False)


def test_negative_or_oversized_days_are_refused_with_a_code():
    with pytest.raises(DomainError) as exc:
        CAL.add_working_days(D("2017-10-03"), -1)
    assert exc.value.code == "workdays.negative_days" and exc.value.status == 422
    with pytest.raises(DomainError) as exc:
        CAL.add_days(D("2017-10-03"), 100_000, "calendar")
    assert exc.value.code == "workdays.too_many_days"
    with pytest.raises(DomainError) as exc:
        CAL.add_days(D("2017-10-03"), 1, "fortnight")
    assert exc.value.code == "workdays.unknown_unit"


def test_crossing_into_a_year_without_a_schedule_is_provisional_and_skips_weekends():
    last = max(CAL.covered_years)
    uncovered = package_calendar(without_years=frozenset({2017}))
    result = uncovered.add_working_days(D("2017-09-29"), 5)  # no schedule: Mon 10-02 .. Fri 10-06
    assert result.date == D("2017-10-06")
    assert result.provisional and result.uncovered_years == [2017]
    assert result.skipped_weekends == ["2017-09-30", "2017-10-01"] and result.skipped_holidays == []
    assert "临时结果" in result.explanation

    start = dt.date(last, 12, 24)
    crossing = CAL.add_working_days(start, 10)
    assert crossing.provisional and crossing.uncovered_years == [last + 1]
    assert crossing.date.year == last + 1 and crossing.date.weekday() < 5
    assert CAL.working_days_between(start, crossing.date) == 10


def test_a_count_entirely_inside_loaded_years_is_not_provisional_even_if_start_is_not():
    cal = WorkCalendar({}, {2031})
    assert not cal.add_working_days(D("2030-12-31"), 3).provisional
    assert cal.add_working_days(D("2030-12-27"), 3).provisional  # Mon 12-30, Tue 12-31 lie in 2030


def test_calendar_days_ignore_holidays():
    result = CAL.add_days(D("2017-09-29"), 10, "calendar")
    assert result.date == D("2017-10-09") and not result.provisional
    assert CAL.add_days(D("2017-09-29"), 5, "working").date == D("2017-10-12")


@pytest.mark.parametrize(
    ("start", "n"),
    [("2017-09-29", 5), ("2019-02-01", 3), ("2024-02-08", 2), ("2017-10-03", 1), ("2020-01-20", 15), ("2021-06-01", 0)],
)
def test_working_days_between_inverts_add(start, n):
    due = CAL.add_working_days(D(start), n).date
    assert CAL.working_days_between(D(start), due) == n
    assert CAL.working_days_between(due, D(start)) == -n


def test_working_days_between_measures_lateness():
    due = D("2017-09-29")
    assert CAL.working_days_between(due, D("2017-10-10")) == 3  # Sat 9-30 (调休), Mon 10-09, Tue 10-10
    assert CAL.working_days_between(due, D("2017-10-08")) == 1


def test_is_workday_follows_the_schedule_and_assumes_weekdays_elsewhere():
    assert CAL.is_workday(D("2017-09-30"))  # Saturday make-up day
    assert not CAL.is_workday(D("2017-10-02"))  # Monday holiday
    uncovered = WorkCalendar({D("2040-01-02"): SpecialDay(False, "元旦")}, set())
    assert uncovered.is_workday(D("2040-01-02"))  # a stray row of an uncovered year is not trusted
    assert not uncovered.is_workday(D("2040-01-07"))  # Saturday
