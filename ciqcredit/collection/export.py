"""XLSX export of records in scope: openpyxl write-only mode, rows streamed from an iterator query."""

import tempfile
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook

from ciqcredit.collection.choices import RecordStatus, Route
from ciqcredit.spreadsheets import stream_row

HEADER = [
    "编号",
    "统一社会信用代码",
    "企业名称",
    "条目编号",
    "条目名称",
    "条目版本",
    "失信计分",
    "状态",
    "采集途径",
    "业务关联号",
    "失信行为标识",
    "发生日期",
    "发现日期",
    "查实日期",
    "录入时间",
    "采集机构",
    "采集部门",
    "采集期限",
    "逾期工作日数",
    "审核逾期工作日数",
    "替代本条的信息",
]
EXPORT_LIMIT = 1_000_000  # an Excel sheet holds 1,048,576 rows


def _rows(records: QuerySet) -> Iterator[list]:
    statuses, routes = dict(RecordStatus.choices), dict(Route.choices)
    for r in records.iterator(chunk_size=2000):
        yield [
            r.pk,
            r.enterprise.credit_code,
            r.enterprise.name,
            r.item_code,
            r.item.name if r.item_id else "",
            r.catalogue_version,
            r.points,
            statuses.get(r.status, r.status),
            routes.get(r.route, r.route),
            r.association_no,
            r.act_ref,
            r.occurred_on,
            r.discovered_on,
            r.verified_on,
            timezone.localtime(r.entered_at).replace(tzinfo=None),
            r.organization.name,
            r.department.name if r.department_id else "",
            r.entry_due_on,
            r.late_days,
            r.review_late_days,
            r.superseded_by_id,
        ]


def records_xlsx(records: QuerySet) -> tempfile.SpooledTemporaryFile:
    """The workbook in a spooled temporary file (memory for small exports, disk for large ones)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("信用信息")
    sheet.append(HEADER)
    for row in _rows(records[:EXPORT_LIMIT]):
        stream_row(sheet, row)
    out = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)
    workbook.save(out)
    out.seek(0)
    return out
