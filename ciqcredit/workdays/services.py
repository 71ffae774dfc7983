"""Every change to the calendar and to tracked deadlines."""

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log, audit_log_many, target_key
from ciqcredit.errors import Conflict, DomainError
from ciqcredit.organizations.access import require_role
from ciqcredit.organizations.models import Organization
from ciqcredit.organizations.roles import Role
from ciqcredit.workdays.arith import WorkCalendar
from ciqcredit.workdays.calendar import calendar_build, calendar_changed, current_calendar
from ciqcredit.workdays.models import CalendarDay, Deadline, ScheduleSource, ScheduleYear
from ciqcredit.workdays.schedule_files import parse_schedule

DayMap = dict[dt.date, tuple[bool, str]]  # date -> (is_workday, name)
KIND_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
# Years an administrator may load: wide enough for any real schedule, narrow enough to catch typos.
LOADABLE_YEARS = range(2000, 2101)


# -- the calendar --------------------------------------------------------------------------------------
def _package_schedule() -> dict[int, DayMap]:
    """The years the installed chinese-calendar carries, asked at run time (it raises for others)."""
    import chinese_calendar

    chinese = {h.value: h.chinese for h in chinese_calendar.Holiday}
    candidates = {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}
    years: dict[int, DayMap] = {}
    for year in sorted(candidates):
        try:
            chinese_calendar.is_workday(dt.date(year, 1, 1))
        except NotImplementedError:
            continue
        years[year] = {}
    for day, name in chinese_calendar.holidays.items():
        if day.year in years:
            years[day.year][day] = (False, chinese.get(name, name or ""))
    for day, name in chinese_calendar.workdays.items():
        if day.year in years and day.weekday() >= 5:  # a listed Mon–Fri workday is no exception
            years[day.year][day] = (True, chinese.get(name, name or ""))
    return years


def _stored_days(schedule: ScheduleYear) -> DayMap:
    return {d: (w, n) for d, w, n in schedule.days.values_list("date", "is_workday", "name")}


def _summary(schedule: ScheduleYear) -> dict[str, Any]:
    return {
        "year": schedule.year,
        "source": schedule.source,
        "holidays": schedule.holiday_count,
        "makeup_workdays": schedule.makeup_count,
        "notes": schedule.notes,
    }


def _write_year(*, year: int, days: DayMap, source: str, notes: str, actor: Actor) -> tuple[ScheduleYear, dict | None]:
    """Replace one year's stored days; returns the schedule and its summary before (None if new)."""
    schedule = ScheduleYear.objects.select_for_update().filter(year=year).first()
    before = _summary(schedule) if schedule is not None else None
    values = {
        "source": source,
        "loaded_at": clock.now(),
        "loaded_by": actor.user,
        "loaded_by_label": actor.label,
        "notes": notes,
        "holiday_count": sum(1 for w, _ in days.values() if not w),
        "makeup_count": sum(1 for w, _ in days.values() if w),
    }
    if schedule is None:
        schedule = ScheduleYear.objects.create(year=year, **values)
    else:
        for name, value in values.items():
            setattr(schedule, name, value)
        schedule.save(update_fields=list(values))
        schedule.days.all().delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(schedule=schedule, date=day, is_workday=w, name=name) for day, (w, name) in sorted(days.items())
    )
    return schedule, before


@transaction.atomic
def calendar_seed(*, actor: Actor) -> str:
    """Load every year the chinese-calendar package carries. Idempotent: unchanged years are left as they
    are, and a year an administrator loaded from the official notice is never overwritten."""
    package = _package_schedule()
    if not package:
        return "chinese-calendar 软件包未提供任何年份"
    existing = {s.year: s for s in ScheduleYear.objects.filter(year__in=package)}
    changes = []
    added = updated = kept_official = 0
    for year, days in package.items():
        schedule = existing.get(year)
        if schedule is not None and schedule.source == ScheduleSource.OFFICIAL:
            kept_official += 1
            continue
        if schedule is not None and _stored_days(schedule) == days:
            continue
        schedule, before = _write_year(
            year=year, days=days, source=ScheduleSource.CHINESE_CALENDAR, notes="平台内置的历年节假日安排", actor=actor
        )
        changes.append((schedule, before, _summary(schedule)))
        added, updated = (added + 1, updated) if before is None else (added, updated + 1)
    if changes:
        audit_log_many(actor=actor, action="workdays.schedule.seeded", changes=changes)
        calendar_changed()
        _deadlines_recompute(Deadline.objects.filter(closed_at__isnull=True, unit="working"), calendar_build(), actor)
    first, last = min(package), max(package)
    text = f"已装载 {first}–{last} 年，共 {len(package)} 年"
    details = [f"新增 {added} 年" if added else "", f"更新 {updated} 年" if updated else ""]
    details.append(f"管理员装载的官方安排 {kept_official} 年保持不变" if kept_official else "")
    details = [d for d in details if d]
    return f"{text}（{'，'.join(details)}）" if details else f"{text}（已是最新）"


@dataclass(frozen=True)
class ScheduleLoaded:
    schedule: ScheduleYear
    recomputed: int  # open deadlines whose due date or provisional flag changed

    @property
    def summary(self) -> str:
        s = self.schedule
        return (
            f"已装载 {s.year} 年官方节假日安排：放假 {s.holiday_count} 天，调休上班 {s.makeup_count} 天；"
            f"重新计算期限 {self.recomputed} 个"
        )


@transaction.atomic
def schedule_load(*, year: int, content: bytes, filename: str, actor: Actor) -> ScheduleLoaded:
    """An HQ administrator loads a year's official schedule (国务院办公厅 notice), replacing that year's
    days; open deadlines the change affects are recomputed and each change audited. All or nothing."""
    if actor.user is not None:
        require_role(actor.user, Role.HQ_ADMIN)
    if isinstance(year, bool) or not isinstance(year, int) or year not in LOADABLE_YEARS:
        raise DomainError(
            "workdays.schedule.bad_year",
            f"年份必须在 {LOADABLE_YEARS.start}–{LOADABLE_YEARS.stop - 1} 之间",
            {"year": year},
            status=422,
        )
    parsed = parse_schedule(year=year, content=content, filename=filename)
    notes = parsed.notes or f"管理员装载：{filename}"[:500]
    schedule, before = _write_year(
        year=year, days=parsed.days, source=ScheduleSource.OFFICIAL, notes=notes, actor=actor
    )
    audit_log(actor=actor, action="workdays.schedule.loaded", target=schedule, old=before, new=_summary(schedule))
    calendar_changed()
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    affected = Deadline.objects.filter(closed_at__isnull=True, unit="working").filter(
        models.Q(provisional=True) | models.Q(start__lte=year_end, due_on__gte=year_start)
    )
    recomputed = _deadlines_recompute(affected, calendar_build(), actor)
    return ScheduleLoaded(schedule, recomputed)


# -- deadlines ------------------------------------------------------------------------------------------
def _deadline_state(deadline: Deadline) -> dict[str, Any]:
    return {"due_on": deadline.due_on.isoformat(), "provisional": deadline.provisional}


def _deadlines_recompute(queryset: models.QuerySet[Deadline], calendar: WorkCalendar, actor: Actor) -> int:
    changed: dict[int, list[tuple[Deadline, dict, dict]]] = defaultdict(list)
    rows = []
    for deadline in queryset.select_for_update().order_by("id"):
        result = calendar.add_days(deadline.start, deadline.days, deadline.unit)
        if (result.date, result.provisional) == (deadline.due_on, deadline.provisional):
            continue
        old = _deadline_state(deadline)
        deadline.due_on, deadline.provisional = result.date, result.provisional
        rows.append(deadline)
        changed[deadline.organization_id].append((deadline, old, _deadline_state(deadline)))
    if rows:
        Deadline.objects.bulk_update(rows, ["due_on", "provisional"], batch_size=1000)
    for organization_id, changes in changed.items():
        audit_log_many(
            actor=actor, action="workdays.deadline.recomputed", changes=changes, organization_id=organization_id
        )
    return len(rows)


@transaction.atomic
def deadlines_recompute_provisional(*, actor: Actor) -> int:
    """Recompute every open provisional deadline against the calendar as now stored; returns how many
    changed (due date or provisional flag). Each change writes an audit row with old and new values."""
    queryset = Deadline.objects.filter(closed_at__isnull=True, provisional=True)
    return _deadlines_recompute(queryset, calendar_build(), actor)


@transaction.atomic
def deadline_open(
    *,
    kind: str,
    target: models.Model,
    organization: Organization,
    start: dt.date,
    days: int,
    unit: str,
    actor: Actor,
) -> Deadline:
    """Start tracking a due date: `days` `unit` ("working" or "calendar") counted from the day after `start`."""
    if not isinstance(kind, str) or not KIND_PATTERN.match(kind) or len(kind) > 100:
        raise DomainError(
            "workdays.deadline.bad_kind", "期限类别必须是点分隔的小写代码，例如 collection.entry", {"kind": kind}
        )
    if target.pk is None:
        raise DomainError("workdays.deadline.unsaved_target", "期限对象尚未保存")
    result = current_calendar().add_days(start, days, unit)
    target_type, target_id, target_label = target_key(target)
    deadline = Deadline.objects.create(
        kind=kind,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        organization=organization,
        start=start,
        days=days,
        unit=unit,
        due_on=result.date,
        provisional=result.provisional,
        created_at=clock.now(),
    )
    new = {"kind": kind, "start": start.isoformat(), "days": days, "unit": unit, **_deadline_state(deadline)}
    audit_log(actor=actor, action="workdays.deadline.opened", target=deadline, new=new, organization_id=organization.pk)
    return deadline


@transaction.atomic
def deadline_close(*, deadline: Deadline, actor: Actor, closed_on: dt.date | None = None) -> Deadline:
    """The duty was done on `closed_on` (default today). Closed deadlines are never recomputed."""
    current = Deadline.objects.select_for_update().get(pk=deadline.pk)
    if current.closed_at is not None:
        raise Conflict("workdays.deadline.already_closed", "该期限已经关闭", {"closed_on": str(current.closed_on)})
    closed_on = closed_on or clock.today()
    if closed_on < current.start:
        raise DomainError(
            "workdays.deadline.closed_before_start",
            "完成日期不能早于起算日",
            {"start": current.start.isoformat(), "closed_on": closed_on.isoformat()},
        )
    current.closed_at, current.closed_on = clock.now(), closed_on
    current.save(update_fields=["closed_at", "closed_on"])
    late = max(0, current_calendar().working_days_between(current.due_on, closed_on))
    audit_log(
        actor=actor,
        action="workdays.deadline.closed",
        target=current,
        old={"closed_on": None},
        new={"closed_on": closed_on.isoformat(), "met": current.met, "late_working_days": late},
        organization_id=current.organization_id,
    )
    deadline.closed_at, deadline.closed_on = current.closed_at, current.closed_on
    return current
