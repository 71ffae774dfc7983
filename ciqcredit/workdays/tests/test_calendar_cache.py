"""The in-process calendar cache: one small query per call, and a change by any process is seen."""

import datetime as dt
import uuid

from ciqcredit.workdays import calendar
from ciqcredit.workdays.models import CalendarDay, CalendarRevision, ScheduleYear

NATIONAL_DAY = dt.date(2017, 10, 2)


def test_cached_calendar_costs_one_query(seeded, django_assert_num_queries):
    calendar.add_working_days(dt.date(2017, 9, 29), 5)
    with django_assert_num_queries(1):
        assert calendar.add_working_days(dt.date(2017, 9, 29), 5).date == dt.date(2017, 10, 12)


def test_a_change_made_by_another_process_is_seen_on_the_next_call(seeded):
    assert not calendar.is_workday(NATIONAL_DAY)
    # Another process changes the calendar and its token; this process's cache must not be trusted.
    CalendarDay.objects.filter(date=NATIONAL_DAY).delete()
    assert not calendar.is_workday(NATIONAL_DAY)  # same token: the cached copy answers
    CalendarRevision.objects.filter(pk=1).update(token=uuid.uuid4().hex)
    assert calendar.is_workday(NATIONAL_DAY)


def test_an_empty_database_gives_a_provisional_weekday_calendar(db):
    assert not ScheduleYear.objects.exists()
    result = calendar.add_working_days(dt.date(2017, 9, 29), 5)
    assert result.provisional and result.date == dt.date(2017, 10, 6)
