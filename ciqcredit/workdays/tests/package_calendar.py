"""The chinese-calendar package's schedule as a pure WorkCalendar, for tests that need no database."""

import chinese_calendar

from ciqcredit.workdays.arith import SpecialDay, WorkCalendar


def package_calendar(*, without_years: frozenset[int] = frozenset()) -> WorkCalendar:
    chinese = {h.value: h.chinese for h in chinese_calendar.Holiday}
    years = {d.year for d in chinese_calendar.holidays} - set(without_years)
    special = {d: SpecialDay(False, chinese.get(n, n)) for d, n in chinese_calendar.holidays.items()}
    special.update({d: SpecialDay(True, chinese.get(n, n)) for d, n in chinese_calendar.workdays.items()})
    return WorkCalendar({d: s for d, s in special.items() if d.year in years}, years)
