"""§三(六) deadline arithmetic over a hand-built 2017 National Day calendar (no database)."""

import datetime as dt

from ciqcredit.collection.rules import collection_start, late_days
from ciqcredit.workdays.arith import SpecialDay, WorkCalendar

D = dt.date
NATIONAL_DAY_2017 = {D(2017, 9, 30): SpecialDay(True, "国庆节、中秋节")} | {
    D(2017, 10, day): SpecialDay(False, "国庆节、中秋节") for day in range(1, 9)
}
CALENDAR = WorkCalendar(NATIONAL_DAY_2017, {2017})


def test_deadline_starts_at_the_later_of_discovery_and_verification():
    assert collection_start(D(2017, 9, 25), D(2017, 9, 29)) == D(2017, 9, 29)
    assert collection_start(D(2017, 9, 29), D(2017, 9, 25)) == D(2017, 9, 29)


def test_five_working_days_across_national_day_and_the_makeup_saturday():
    due = CALENDAR.add_working_days(collection_start(D(2017, 9, 28), D(2017, 9, 29)), 5)
    # Sat 09-30 is a make-up workday (1), 10-01..08 holidays, then 10-09..12 (2..5).
    assert due.date == D(2017, 10, 12)
    assert not due.provisional


def test_lateness_is_counted_in_working_days_after_the_due_date():
    due = D(2017, 10, 12)
    assert late_days(due, D(2017, 10, 12), CALENDAR.working_days_between) == 0
    assert late_days(due, D(2017, 10, 10), CALENDAR.working_days_between) == 0
    assert late_days(due, D(2017, 10, 16), CALENDAR.working_days_between) == 2  # Fri 13, Mon 16
    # Due on the make-up Saturday: entering on the first day after the holiday is 1 working day late.
    assert late_days(D(2017, 9, 30), D(2017, 10, 9), CALENDAR.working_days_between) == 1
