"""The calendar as stored, for the rest of the platform: date arithmetic in one call.

The calendar (a few hundred rows) is read once per process and kept in memory under the token of
`CalendarRevision`; every call costs one primary-key lookup to check the token, so a schedule loaded
by any process (web worker, command, batch job) is seen by all the others on their next call. Batch
jobs that compute thousands of dates may call `current_calendar()` once and use its methods directly.
"""

import datetime as dt
import threading
import uuid

from ciqcredit import clock
from ciqcredit.workdays.arith import DueDate, SpecialDay, WorkCalendar
from ciqcredit.workdays.models import CalendarDay, CalendarRevision, ScheduleYear

_lock = threading.Lock()
_cached: tuple[str, WorkCalendar] | None = None


def calendar_token() -> str:
    return CalendarRevision.objects.filter(pk=1).values_list("token", flat=True).first() or ""


def calendar_build() -> WorkCalendar:
    """The calendar straight from the database, bypassing the cache."""
    special = {
        day: SpecialDay(is_workday=is_workday, name=name)
        for day, is_workday, name in CalendarDay.objects.values_list("date", "is_workday", "name")
    }
    return WorkCalendar(special, ScheduleYear.objects.values_list("year", flat=True))


def current_calendar() -> WorkCalendar:
    global _cached
    token = calendar_token()
    cached = _cached
    if cached is not None and cached[0] == token:
        return cached[1]
    with _lock:
        calendar = calendar_build()
        _cached = (token, calendar)
    return calendar


def calendar_changed() -> None:
    """Record that the calendar changed. Call inside the transaction that changed it."""
    global _cached
    CalendarRevision.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex, "changed_at": clock.now()})
    _cached = None


def add_working_days(start: dt.date, n: int) -> DueDate:
    return current_calendar().add_working_days(start, n)


def add_days(start: dt.date, n: int, unit: str) -> DueDate:
    return current_calendar().add_days(start, n, unit)


def working_days_between(a: dt.date, b: dt.date) -> int:
    return current_calendar().working_days_between(a, b)


def is_workday(d: dt.date) -> bool:
    return current_calendar().is_workday(d)


SOON_WORKING_DAYS = 3  # a deadline "needs attention" from three working days before it (issue 13)


def due_soon(due_on: dt.date | None, today: dt.date, working_days: int = SOON_WORKING_DAYS) -> bool:
    """True when `due_on` is today or within the next `working_days` working days (not yet past)."""
    if due_on is None or due_on < today:
        return False
    return working_days_between(today, due_on) <= working_days
