"""Credit repair (信用修复): from which day an enterprise on the serious list may apply online to be removed.

Pure, like `ciqcredit.rules.grading`: dates and a `RuleSetParams` in, the earliest day and the reasons out, so the
application page, the API and the office's review say the same thing. The removal that follows an accepted
application is BRIEF.md's procedure (`serious_list.removal_clean_months` after the acceptance, dynamic.removal).
"""

import calendar
import datetime as dt
from dataclasses import dataclass

from ciqcredit.rules.params import RuleSetParams


def add_months(d: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's last day (31 Aug + 6 months = 28/29 Feb)."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True, slots=True)
class RepairWindow:
    earliest: dt.date  # the first day an application may be made
    reasons: tuple[str, ...]  # Chinese, one per rule that sets a bound, the binding one first

    def open_on(self, today: dt.date) -> bool:
        return today >= self.earliest


def repair_window(
    params: RuleSetParams,
    *,
    listed_on: dt.date,
    last_record_on: dt.date | None,
    last_refusal_on: dt.date | None,
) -> RepairWindow:
    """The earliest application day: `repair.clean_months` after the listing and after the last effective record
    that occurred since it, and `repair.reapply_months` after the last rejected application or refused removal."""
    repair = params.repair
    listed = f"列入名单（{listed_on:%Y-%m-%d}）满{repair.clean_months}个月"
    bounds = [(add_months(listed_on, repair.clean_months), listed)]
    if last_record_on is not None and last_record_on >= listed_on:
        bounds.append(
            (
                add_months(last_record_on, repair.clean_months),
                f"最近一条失信记录（{last_record_on:%Y-%m-%d}）后满{repair.clean_months}个月无失信记录",
            )
        )
    if last_refusal_on is not None:
        bounds.append(
            (
                add_months(last_refusal_on, repair.reapply_months),
                f"上次申请未获通过（{last_refusal_on:%Y-%m-%d}）后满{repair.reapply_months}个月",
            )
        )
    bounds.sort(key=lambda b: b[0], reverse=True)
    return RepairWindow(earliest=bounds[0][0], reasons=tuple(text for _, text in bounds))
