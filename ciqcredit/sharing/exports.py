"""Files the sharing app hands out (lists, feedback, the access log): XLSX, CSV or JSON Lines, each with the
SHA-256 of its exact bytes and the time of its snapshot, so a partner can check what it received and HQ can
say what was handed out when."""

import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook

from ciqcredit.errors import DomainError
from ciqcredit.spreadsheets import stream_row
from ciqcredit.text import without_control_characters

FORMATS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "jsonl": ("application/x-ndjson; charset=utf-8", "jsonl"),
}
FORMULA_START = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Column:
    key: str  # the JSON Lines key (stable, for systems)
    label: str  # the heading people read (XLSX, CSV)


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str
    sha256: str
    snapshot_at: dt.datetime
    rows: int

    def response(self, extra: dict[str, str] | None = None) -> HttpResponse:
        response = HttpResponse(self.content, content_type=self.content_type)
        response["Content-Disposition"] = f'attachment; filename="{self.filename}"'
        response["X-Content-SHA256"] = self.sha256
        response["X-Snapshot-At"] = self.snapshot_at.isoformat()
        response["X-Rows"] = str(self.rows)
        for key, value in (extra or {}).items():
            response[key] = value
        return response


def require_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise DomainError("unknown_format", "文件格式应为 xlsx、csv 或 jsonl", {"field": "format"})
    return fmt


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    text = without_control_characters(str(_plain(value)))
    return f"'{text}" if text.startswith(FORMULA_START) else text  # never a formula in a spreadsheet program


def render_file(
    *, rows: Iterable[dict[str, Any]], columns: Sequence[Column], fmt: str, stem: str, snapshot_at: dt.datetime
) -> ExportFile:
    require_format(fmt)
    count = 0
    if fmt == "jsonl":
        lines = []
        for row in rows:
            lines.append(json.dumps({c.key: _plain(row.get(c.key)) for c in columns}, ensure_ascii=False))
            count += 1
        content = ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8")
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([c.label for c in columns])
        for row in rows:
            writer.writerow([_csv_cell(row.get(c.key)) for c in columns])
            count += 1
        content = ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM lets Excel read UTF-8
    else:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("数据")
        stream_row(sheet, [c.label for c in columns])
        for row in rows:
            stream_row(sheet, [_plain(row.get(c.key)) for c in columns])
            count += 1
        out = io.BytesIO()
        book.save(out)
        content = out.getvalue()
    content_type, ext = FORMATS[fmt]
    return ExportFile(
        content=content,
        content_type=content_type,
        filename=f"{stem}-{snapshot_at:%Y%m%d%H%M%S}.{ext}",
        sha256=hashlib.sha256(content).hexdigest(),
        snapshot_at=snapshot_at,
        rows=count,
    )
