"""The lists partners read (outbound): the change feed (rating.feed) filtered to one list's events and to the
fields the agreement grants. Entries and removals come in commit order; the cursor is the feed's row id."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Q, Sum

from ciqcredit import clock
from ciqcredit.collection.selectors import records_effective_in
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.rating.feed import FEED_LISTS, MAX_LIMIT, feed_after
from ciqcredit.rating.models import ChangeFeedEntry, FeedKind
from ciqcredit.sharing.exports import Column, ExportFile, render_file
from ciqcredit.sharing.models import SharedField, SharedList

MAX_EXPORT = 100_000  # rows in one file; a longer feed is fetched file by file with `after`
RECORD_WINDOW_DAYS = 365

BASE_COLUMNS = [
    Column("cursor", "游标"),
    Column("kind", "变更类别代码"),
    Column("kind_label", "变更类别"),
    Column("credit_code", "统一社会信用代码"),
    Column("effective_from", "生效日期"),
    Column("recorded_at", "记录时间"),
]
FIELD_COLUMNS: dict[str, list[Column]] = {
    SharedField.NAME: [Column("name", "企业名称")],
    SharedField.GRADE: [Column("grade", "信用等级")],
    SharedField.PREVIOUS_GRADE: [Column("previous_grade", "原等级")],
    SharedField.CONTROLLED: [Column("controlled", "布控")],
    SharedField.CAUSE: [Column("cause", "变更原因")],
    SharedField.RECORDS: [
        Column("records", "近一年有效信用信息（条）"),
        Column("points", "近一年失信计分"),
        Column("serious_records", "近一年严重违法信息（条）"),
    ],
}


def records_summary(enterprise_ids: set[int], today: dt.date) -> dict[int, dict[str, int]]:
    """Per enterprise: its effective records of the past year, their points and how many were serious (one
    grouped query for a page)."""
    if not enterprise_ids:
        return {}
    start = today - dt.timedelta(days=RECORD_WINDOW_DAYS)
    rows = (
        records_effective_in(start, today)
        .filter(enterprise_id__in=enterprise_ids)
        .values("enterprise_id")
        .annotate(n=Count("id"), points=Sum("points"), serious=Count("id", filter=Q(serious=True)))
    )
    return {
        r["enterprise_id"]: {"records": r["n"], "points": r["points"] or 0, "serious_records": r["serious"]}
        for r in rows
    }


def project(rows: list[ChangeFeedEntry], fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """Feed rows as a partner sees them: the base columns and only the granted fields."""
    ids = {r.enterprise_id for r in rows}
    names = dict(Enterprise.objects.filter(pk__in=ids).values_list("pk", "name")) if "name" in fields else {}
    summaries = records_summary(ids, clock.today()) if "records" in fields else {}
    kind_labels = dict(FeedKind.choices)
    out = []
    for r in rows:
        item: dict[str, Any] = {
            "cursor": r.pk,
            "kind": r.kind,
            "kind_label": kind_labels.get(r.kind, r.kind),
            "credit_code": r.credit_code,
            "effective_from": r.effective_from,
            "recorded_at": r.recorded_at,
        }
        if "name" in fields:
            item["name"] = names.get(r.enterprise_id, "")
        if "grade" in fields:
            item["grade"] = r.grade
        if "previous_grade" in fields:
            item["previous_grade"] = r.previous_grade or None
        if "controlled" in fields:
            item["controlled"] = r.controlled
        if "cause" in fields:
            item["cause"] = r.cause
        if "records" in fields:
            item.update(summaries.get(r.enterprise_id, {"records": 0, "points": 0, "serious_records": 0}))
        out.append(item)
    return out


def list_page(list_code: str, *, after: int, limit: int, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    return project(feed_after(after=after, limit=limit, kinds=FEED_LISTS[list_code]), fields)


def _all_after(list_code: str, after: int, fields: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    cursor, sent = after, 0
    while sent < MAX_EXPORT:
        rows = feed_after(after=cursor, limit=min(MAX_LIMIT, MAX_EXPORT - sent), kinds=FEED_LISTS[list_code])
        if not rows:
            return
        yield from project(rows, fields)
        cursor, sent = rows[-1].pk, sent + len(rows)


def list_file(list_code: str, *, after: int, fields: tuple[str, ...], fmt: str) -> tuple[ExportFile, int]:
    """The list's entries after a cursor as a file (at most MAX_EXPORT rows) and the cursor to go on from."""
    snapshot_at = clock.now()
    rows = list(_all_after(list_code, after, fields))
    columns = BASE_COLUMNS + [c for f in SharedField.values if f in fields for c in FIELD_COLUMNS[f]]
    stem = f"{list_code}-list"
    exported = render_file(rows=rows, columns=columns, fmt=fmt, stem=stem, snapshot_at=snapshot_at)
    return exported, (rows[-1]["cursor"] if rows else after)


LIST_LABELS = dict(SharedList.choices)
