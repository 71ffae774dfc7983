"""Working-day arithmetic over plain values: no database, no Django.

A `WorkCalendar` is the mainland-China schedule as data: the special days (named holidays, including
those that fall on a weekend, and make-up workdays 调休上班) plus the set of years whose schedule is
loaded ("covered"). Any other day is a workday when it is Monday–Friday. In a year that is not covered
only weekends are assumed to be rest days; a result that depends on such a day is marked provisional
instead of failing, and is recomputed when the year's schedule is loaded.

Convention: day 0 is the start date; counting starts the day after it. So 2017-09-29 + 5 working days
= 2017-10-12 (Saturday 2017-09-30 was a make-up workday, 2017-10-01..08 were holidays).
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from ciqcredit.errors import DomainError

DayUnit = Literal["calendar", "working"]
UNITS: dict[str, str] = {"calendar": "自然日", "working": "工作日"}
# Input limit, not a business rule: the longest period any rule may ask for, with room to spare.
MAX_DAYS = 3660
WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


@dataclass(frozen=True)
class SpecialDay:
    """A day the published schedule names: a holiday (is_workday False) or a make-up workday."""

    is_workday: bool
    name: str = ""


@dataclass(frozen=True)
class DueDate:
    """The answer to "start + n days": the date and how it was reached."""

    start: dt.date
    days: int
    unit: str
    date: dt.date
    provisional: bool = False
    skipped_holidays: list[str] = field(default_factory=list)  # ISO dates of named holidays skipped
    skipped_weekends: list[str] = field(default_factory=list)  # ordinary Saturdays/Sundays skipped
    makeup_workdays: list[str] = field(default_factory=list)  # weekend days counted as 调休 workdays
    uncovered_years: list[int] = field(default_factory=list)  # years touched whose schedule is not loaded
    explanation: str = ""

    def as_dict(self) -> dict:
        """The JSON shape of the API and of `ciqcredit workdays add`."""
        return {
            "date": self.date.isoformat(),
            "provisional": self.provisional,
            "skipped_holidays": list(self.skipped_holidays),
            "makeup_workdays": list(self.makeup_workdays),
            "skipped_weekends": list(self.skipped_weekends),
            "explanation": self.explanation,
        }


def bad_days(message: str, code: str, **details) -> DomainError:
    return DomainError(code, message, details, status=422)


def _check_days(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise bad_days("天数必须是整数", "workdays.days_not_integer", days=str(n))
    if n < 0:
        raise bad_days("天数不能为负数", "workdays.negative_days", days=n)
    if n > MAX_DAYS:
        raise bad_days(f"天数不能超过 {MAX_DAYS}", "workdays.too_many_days", days=n, max=MAX_DAYS)


def _check_unit(unit: str) -> None:
    if unit not in UNITS:
        raise bad_days("天数单位只能是 working（工作日）或 calendar（自然日）", "workdays.unknown_unit", unit=unit)


def _iso(d: dt.date) -> str:
    return d.isoformat()


class WorkCalendar:
    """The schedule as a lookup. Immutable once built; share one instance between threads freely."""

    def __init__(self, special: Mapping[dt.date, SpecialDay], covered_years: Iterable[int]):
        self.special: dict[dt.date, SpecialDay] = dict(special)
        self.covered_years: frozenset[int] = frozenset(covered_years)

    def __repr__(self) -> str:
        years = sorted(self.covered_years)
        span = f"{years[0]}–{years[-1]}" if years else "none"
        return f"<WorkCalendar covered={span} special_days={len(self.special)}>"

    # -- single days ---------------------------------------------------------------------------
    def is_covered(self, d: dt.date) -> bool:
        return d.year in self.covered_years

    def is_workday(self, d: dt.date) -> bool:
        """Mon–Fri unless a named holiday; Sat/Sun only as a make-up workday. Uncovered years: Mon–Fri."""
        special = self.special.get(d) if self.is_covered(d) else None
        if special is not None:
            return special.is_workday
        return d.weekday() < 5

    def holiday_name(self, d: dt.date) -> str:
        special = self.special.get(d) if self.is_covered(d) else None
        return special.name if special is not None else ""

    # -- arithmetic ----------------------------------------------------------------------------
    def add_days(self, start: dt.date, n: int, unit: str) -> DueDate:
        _check_unit(unit)
        if unit == "working":
            return self.add_working_days(start, n)
        return self.add_calendar_days(start, n)

    def add_calendar_days(self, start: dt.date, n: int) -> DueDate:
        _check_days(n)
        end = _shift(start, n)
        text = (
            f"自 {_iso(start)}（起算日，不计入）起计 {n} 个自然日，截止 {_iso(end)}（{WEEKDAY_NAMES[end.weekday()]}）。"
        )
        return DueDate(start=start, days=n, unit="calendar", date=end, explanation=text)

    def add_working_days(self, start: dt.date, n: int) -> DueDate:
        _check_days(n)
        holidays: list[dt.date] = []
        weekends: list[dt.date] = []
        makeup: list[dt.date] = []
        uncovered: set[int] = set()
        day, counted = start, 0
        while counted < n:
            day = _shift(day, 1)
            if not self.is_covered(day):
                uncovered.add(day.year)
            special = self.special.get(day) if self.is_covered(day) else None
            if self.is_workday(day):
                counted += 1
                if day.weekday() >= 5:
                    makeup.append(day)
            elif special is not None:
                holidays.append(day)
            else:
                weekends.append(day)
        result = DueDate(
            start=start,
            days=n,
            unit="working",
            date=day,
            provisional=bool(uncovered),
            skipped_holidays=[_iso(d) for d in holidays],
            skipped_weekends=[_iso(d) for d in weekends],
            makeup_workdays=[_iso(d) for d in makeup],
            uncovered_years=sorted(uncovered),
        )
        return _with_explanation(result, self)

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days in (a, b]; negative when b is before a. Inverse of add_working_days:
        working_days_between(s, add_working_days(s, n).date) == n. "3 working days late" is
        working_days_between(due_on, done_on) == 3."""
        if b < a:
            return -self.working_days_between(b, a)
        count, day = 0, a
        while day < b:
            day = day + dt.timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count

    def covers_range(self, a: dt.date, b: dt.date) -> bool:
        """True when every year from a to b has a loaded schedule (a result over it is not provisional)."""
        low, high = min(a, b), max(a, b)
        return all(year in self.covered_years for year in range(low.year, high.year + 1))


def _shift(d: dt.date, n: int) -> dt.date:
    try:
        return d + dt.timedelta(days=n)
    except OverflowError as exc:
        raise bad_days("日期超出可计算范围", "workdays.date_out_of_range", start=_iso(d), days=n) from exc


def _runs(dates: list[dt.date], name_of) -> list[tuple[dt.date, dt.date, str]]:
    """Consecutive dates of the same holiday grouped into (first, last, name), for a readable explanation."""
    runs: list[tuple[dt.date, dt.date, str]] = []
    for d in dates:
        name = name_of(d)
        if runs and (d - runs[-1][1]).days == 1 and runs[-1][2] == name:
            runs[-1] = (runs[-1][0], d, name)
        else:
            runs.append((d, d, name))
    return runs


def _span(first: dt.date, last: dt.date) -> str:
    return _iso(first) if first == last else f"{_iso(first)} 至 {_iso(last)}"


def _with_explanation(result: DueDate, calendar: WorkCalendar) -> DueDate:
    end = result.date
    parts = [
        f"自 {_iso(result.start)}（起算日，不计入）起计 {result.days} 个工作日，"
        f"截止 {_iso(end)}（{WEEKDAY_NAMES[end.weekday()]}）。"
    ]
    if result.skipped_holidays:
        dates = [dt.date.fromisoformat(s) for s in result.skipped_holidays]
        pieces = []
        for first, last, name in _runs(dates, calendar.holiday_name):
            pieces.append(f"{_span(first, last)}{f'（{name}）' if name else ''}")
        parts.append(f"跳过法定节假日 {len(dates)} 天：{'，'.join(pieces)}。")
    if result.skipped_weekends:
        parts.append(f"跳过周末 {len(result.skipped_weekends)} 天。")
    if result.makeup_workdays:
        pieces = []
        for iso in result.makeup_workdays:
            d = dt.date.fromisoformat(iso)
            name = calendar.holiday_name(d)
            pieces.append(f"{iso}（{WEEKDAY_NAMES[d.weekday()]}{f'，{name}调休' if name else ''}）")
        parts.append(f"计入调休上班日 {len(pieces)} 天：{'，'.join(pieces)}。")
    if result.provisional:
        years = "、".join(str(y) for y in result.uncovered_years)
        parts.append(f"{years} 年的节假日安排尚未装载，暂按周一至周五为工作日推算，结果为临时结果，装载后将重新计算。")
    return replace(result, explanation="".join(parts))
