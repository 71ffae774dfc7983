"""Reads: the calendar of a year for display, the loaded schedules, deadlines within the caller's scope."""

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.db.models import QuerySet

from ciqcredit.audit.services import target_key
from ciqcredit.errors import NotFound
from ciqcredit.organizations.access import org_scope_q
from ciqcredit.organizations.models import User
from ciqcredit.workdays.arith import WorkCalendar
from ciqcredit.workdays.models import CalendarDay, Deadline, ScheduleYear

MONTH_NAMES = [f"{m} 月" for m in range(1, 13)]


@dataclass(frozen=True)
class DayCell:
    date: dt.date
    kind: str  # "workday", "weekend", "holiday", "makeup"
    name: str

    @property
    def css(self) -> str:
        return f"day-{self.kind}"

    @property
    def title(self) -> str:
        label = {"workday": "工作日", "weekend": "周末", "holiday": "放假", "makeup": "调休上班"}[self.kind]
        return f"{self.date.isoformat()} {label}{f'（{self.name}）' if self.name else ''}"


@dataclass(frozen=True)
class MonthGrid:
    name: str
    weeks: list[list[DayCell | None]]  # Monday first; None pads days of other months


def day_cell(calendar: WorkCalendar, day: dt.date) -> DayCell:
    name = calendar.holiday_name(day)
    weekend = day.weekday() >= 5
    if calendar.is_workday(day):
        kind = "makeup" if weekend else "workday"
    else:
        kind = "holiday" if name or not weekend else "weekend"
    return DayCell(day, kind, name)


def year_grid(calendar: WorkCalendar, year: int) -> list[MonthGrid]:
    months = []
    for month in range(1, 13):
        weeks = [
            [day_cell(calendar, d) if d.month == month else None for d in week]
            for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
        ]
        months.append(MonthGrid(MONTH_NAMES[month - 1], weeks))
    return months


def schedule_years() -> QuerySet[ScheduleYear]:
    return ScheduleYear.objects.order_by("year")


def schedule_for_year(year: int) -> ScheduleYear | None:
    return ScheduleYear.objects.filter(year=year).first()


def special_days(year: int) -> QuerySet[CalendarDay]:
    return CalendarDay.objects.filter(schedule__year=year).order_by("date")


def deadlines_visible_to(user: User) -> QuerySet[Deadline]:
    """Deadlines of the caller's organization subtree (HQ: all)."""
    return Deadline.objects.filter(org_scope_q(user, "organization"))


def deadline_get_for_user(user: User, pk: int) -> Deadline:
    deadline = deadlines_visible_to(user).filter(pk=pk).first()
    if deadline is None:
        raise NotFound("期限")
    return deadline


def deadlines_for(target: models.Model) -> QuerySet[Deadline]:
    """The deadlines tracked for one object (unscoped: the caller already holds the object)."""
    target_type, target_id, _ = target_key(target)
    return Deadline.objects.filter(target_type=target_type, target_id=target_id).order_by("created_at", "id")
