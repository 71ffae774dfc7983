"""The tracking figures as an XLSX workbook (one sheet), every text written as a text cell, never a formula."""

import io
from typing import Any

from openpyxl import Workbook

from ciqcredit.catalogue.choices import MeasureArea
from ciqcredit.tracking.models import DeviationKind


def _write(sheet, row: list[Any]) -> None:
    sheet.append(row)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # a name starting with "=" stays text


def figures_xlsx(figures: dict[str, Any], *, org_name: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "跟踪落实统计"
    _write(sheet, ["机构", f"{org_name}（{figures['org']}）"])
    _write(sheet, ["业务日期", f"{figures['from']:%Y-%m-%d} 至 {figures['to']:%Y-%m-%d}"])
    _write(sheet, [])
    for label, value in (
        ("放行决定数", figures["decisions"]),
        ("已报送执行情况", figures["reported"]),
        ("按期报送", figures["reported_on_time"]),
        ("执行不到位事项（未关闭）", figures["items"]["open"]),
        ("其中逾期", figures["items"]["overdue"]),
        ("已关闭", figures["items"]["closed"]),
    ):
        _write(sheet, [label, value])
    _write(sheet, [])
    _write(sheet, ["偏差类型", "条数"])
    for kind, label in DeviationKind.choices:
        _write(sheet, [label, figures["deviations"][kind]])
    _write(sheet, [])
    _write(sheet, ["等级", "措施领域", "已报送", "实际查验比例", "规定抽批比例"])
    areas = dict(MeasureArea.choices)
    for s in figures["inspection_share"]:
        grade = f"{s['grade']}级" if s["grade"] else "无等级企业"
        _write(sheet, [grade, areas.get(s["area"], ""), s["reported"], s["executed_share"], s["prescribed_share"]])
    sheet.column_dimensions["A"].width = 28
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
