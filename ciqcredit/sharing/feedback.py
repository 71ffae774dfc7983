"""Feedback to partners (反馈, §五(三)): what their lists did. Per entry of a partner list, the release decisions
where one of its joint measures applied, by area and outcome (inspected or released), with the first and last
day; counted from the rows each decision kept (application.DecisionJointMeasure), never by deciding again."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Min

from ciqcredit.application.models import DecisionJointMeasure
from ciqcredit.catalogue.choices import MeasureArea
from ciqcredit.errors import DomainError
from ciqcredit.partners.models import PartnerList
from ciqcredit.sharing.exports import Column, ExportFile, render_file

OUTCOME_LABELS = {"inspect": "查验", "release": "放行"}
AREA_LABELS = dict(MeasureArea.choices)


@dataclass
class EntryFeedback:
    credit_code: str
    decisions: int = 0
    first_on: dt.date | None = None
    last_on: dt.date | None = None
    by: list[dict[str, Any]] = field(default_factory=list)


def feedback(partner_list: PartnerList, date_from: dt.date, date_to: dt.date) -> list[EntryFeedback]:
    if date_to < date_from:
        raise DomainError("bad_period", "截止日期不能早于起始日期", {"field": "to"})
    if (date_to - date_from).days > 366:
        raise DomainError("period_too_long", "一次至多查询一年", {"field": "to"})
    rows = (
        DecisionJointMeasure.objects.filter(list_code=partner_list.code, on__gte=date_from, on__lte=date_to)
        .values("credit_code", "area", "inspect")
        .annotate(n=Count("id"), first=Min("on"), last=Max("on"))
        .order_by("credit_code", "area", "inspect")
    )
    found: dict[str, EntryFeedback] = {}
    for r in rows:
        entry = found.setdefault(r["credit_code"], EntryFeedback(r["credit_code"]))
        outcome = "inspect" if r["inspect"] else "release"
        entry.by.append(
            {"area": r["area"], "outcome": outcome, "decisions": r["n"], "first_on": r["first"], "last_on": r["last"]}
        )
        entry.decisions += r["n"]
        entry.first_on = min(filter(None, [entry.first_on, r["first"]]))
        entry.last_on = max(filter(None, [entry.last_on, r["last"]]))
    return list(found.values())


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    try:
        first = dt.date.fromisoformat(f"{month}-01")
    except ValueError:
        raise DomainError("bad_month", "月份格式应为 YYYY-MM", {"field": "month"}) from None
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, following - dt.timedelta(days=1)


FEEDBACK_COLUMNS = [
    Column("list_code", "名单代码"),
    Column("credit_code", "统一社会信用代码"),
    Column("area", "措施领域代码"),
    Column("area_label", "措施领域"),
    Column("outcome", "结果代码"),
    Column("outcome_label", "结果"),
    Column("decisions", "放行决定（票）"),
    Column("first_on", "首次日期"),
    Column("last_on", "最近日期"),
]


def feedback_file(partner_list: PartnerList, month: str, fmt: str, snapshot_at: dt.datetime) -> ExportFile:
    """The month's feedback as a file: one row per entry, area and outcome."""
    date_from, date_to = month_bounds(month)
    rows = [
        {
            "list_code": partner_list.code,
            "credit_code": e.credit_code,
            "area": b["area"],
            "area_label": AREA_LABELS.get(b["area"], b["area"]),
            "outcome": b["outcome"],
            "outcome_label": OUTCOME_LABELS[b["outcome"]],
            "decisions": b["decisions"],
            "first_on": b["first_on"],
            "last_on": b["last_on"],
        }
        for e in feedback(partner_list, date_from, date_to)
        for b in e.by
    ]
    stem = f"{partner_list.code}-feedback-{month}"
    return render_file(rows=rows, columns=FEEDBACK_COLUMNS, fmt=fmt, stem=stem, snapshot_at=snapshot_at)
