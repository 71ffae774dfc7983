"""`calendar_seed`: every year chinese-calendar carries, idempotent, never over an official schedule."""

import datetime as dt

import chinese_calendar

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.workdays import calendar
from ciqcredit.workdays.models import CalendarDay, ScheduleYear
from ciqcredit.workdays.services import calendar_seed, schedule_load
from ciqcredit.workdays.tests.conftest import SETUP


def package_years() -> list[int]:
    """Asked the way the service asks: the package raises for years it does not carry."""
    years = []
    for year in range(2000, 2100):
        try:
            chinese_calendar.is_workday(dt.date(year, 6, 1))
        except NotImplementedError:
            continue
        years.append(year)
    return years


def test_seed_loads_every_year_the_package_carries(seeded):
    years = package_years()
    assert list(ScheduleYear.objects.values_list("year", flat=True)) == years
    assert seeded == f"已装载 {years[0]}–{years[-1]} 年，共 {len(years)} 年（新增 {len(years)} 年）"
    assert set(ScheduleYear.objects.values_list("source", flat=True)) == {"chinese-calendar"}
    assert AuditEntry.objects.filter(action="workdays.schedule.seeded").count() == len(years)
    national_day = CalendarDay.objects.get(date="2017-10-01")
    assert (national_day.is_workday, national_day.name) == (False, "国庆节")
    assert CalendarDay.objects.get(date="2017-09-30").is_workday
    assert calendar.add_working_days(dt.date(2017, 9, 29), 5).date == dt.date(2017, 10, 12)


def test_seed_again_changes_nothing(seeded):
    rows, audits = CalendarDay.objects.count(), AuditEntry.objects.count()
    assert calendar_seed(actor=SETUP).endswith("（已是最新）")
    assert (CalendarDay.objects.count(), AuditEntry.objects.count()) == (rows, audits)


def test_seed_leaves_an_officially_loaded_year_alone(seeded, cast):
    year = package_years()[-1]
    content = f"date,kind,name\n{year}-01-01,holiday,元旦（官方）\n".encode()
    schedule_load(year=year, content=content, filename="official.csv", actor=Actor.of(cast.hq_admin))
    summary = calendar_seed(actor=SETUP)
    assert "官方安排 1 年保持不变" in summary
    assert ScheduleYear.objects.get(year=year).source == "official"
    assert list(CalendarDay.objects.filter(schedule__year=year).values_list("name", flat=True)) == ["元旦（官方）"]


def test_setup_names_this_seed_step():
    from ciqcredit.administration.reference import REFERENCE_STEPS, resolve

    assert any(resolve(target) is calendar_seed for _, target in REFERENCE_STEPS)
