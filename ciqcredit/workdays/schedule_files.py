"""Reading an official holiday schedule file (pure: no database).

Two formats, chosen by the file name's extension:

CSV (UTF-8, with or without BOM; GB18030 as exported by Chinese Excel is accepted too)::

    date,kind,name
    2027-01-01,holiday,元旦
    2027-02-06,workday,春节调休

JSON::

    {"year": 2027, "holidays": [{"date": "2027-01-01", "name": "元旦"}],
     "makeup_workdays": ["2027-02-06"], "notes": "国办发明电〔2026〕X号"}

`makeup_workdays` items may also be objects `{"date", "name"}`. Every problem is collected with its
line (CSV) or position (JSON) so the administrator can fix the file in one go.
"""

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from typing import Any

from ciqcredit.errors import DomainError

KINDS = {"holiday": False, "workday": True}  # kind -> is_workday
CSV_COLUMNS = ["date", "kind", "name"]
JSON_KEYS = {"year", "holidays", "makeup_workdays", "notes"}
MAX_NAME = 100
MAX_ROWS = 366
MAX_BYTES = 256 * 1024  # a year is a few dozen lines; anything larger is the wrong file


@dataclass
class ParsedSchedule:
    year: int
    days: dict[dt.date, tuple[bool, str]] = field(default_factory=dict)  # date -> (is_workday, name)
    notes: str = ""

    @property
    def holiday_count(self) -> int:
        return sum(1 for is_workday, _ in self.days.values() if not is_workday)

    @property
    def makeup_count(self) -> int:
        return sum(1 for is_workday, _ in self.days.values() if is_workday)


class _Collector:
    def __init__(self, year: int):
        self.year = year
        self.errors: list[dict[str, Any]] = []
        self.parsed = ParsedSchedule(year=year)
        self._where: dict[dt.date, str] = {}

    def error(self, where: str, field_name: str, message: str, line: int | None = None) -> None:
        entry: dict[str, Any] = {"where": where, "field": field_name, "message": message}
        if line is not None:
            entry["line"] = line
        self.errors.append(entry)

    def add(self, where: str, raw_date: Any, is_workday: bool, name: Any, line: int | None = None) -> None:
        if not isinstance(raw_date, str) or not raw_date.strip():
            self.error(where, "date", "缺少日期", line)
            return
        day = _iso_date(raw_date.strip())
        if day is None:
            self.error(where, "date", f"日期“{raw_date}”无效或格式不正确，应为 YYYY-MM-DD", line)
            return
        if day.year != self.year:
            self.error(where, "date", f"日期 {day} 不在 {self.year} 年内", line)
            return
        if name is None:
            name = ""
        if not isinstance(name, str):
            self.error(where, "name", "名称必须是文字", line)
            return
        name = name.strip()
        if len(name) > MAX_NAME:
            self.error(where, "name", f"名称不能超过 {MAX_NAME} 个字", line)
            return
        previous = self.parsed.days.get(day)
        if previous is not None:
            if previous[0] != is_workday:
                self.error(where, "date", f"{day} 同时被列为节假日和调休上班日（另见{self._where[day]}）", line)
            else:
                self.error(where, "date", f"{day} 重复出现（另见{self._where[day]}）", line)
            return
        if is_workday and day.weekday() < 5:
            self.error(where, "date", f"{day} 是周一至周五，本来就是工作日，不能列为调休上班日", line)
            return
        self.parsed.days[day] = (is_workday, name)
        self._where[day] = where


def _iso_date(text: str) -> dt.date | None:
    """YYYY-MM-DD only (Python also accepts 20270101 and week dates, which a schedule never uses)."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def parse_schedule(*, year: int, content: bytes, filename: str) -> ParsedSchedule:
    """The schedule in the file, or DomainError `workdays.schedule.invalid` listing every problem."""
    collector = _Collector(year)
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if len(content) > MAX_BYTES:
        collector.error("文件", "file", f"文件过大（最大 {MAX_BYTES // 1024} KB）")
    elif suffix == "csv":
        _read_csv(content, collector)
    elif suffix == "json":
        _read_json(content, collector)
    else:
        collector.error("文件", "file", f"无法识别文件“{filename}”的格式：请上传 .csv 或 .json 文件")
    if not collector.errors and not collector.parsed.days:
        collector.error("文件", "file", "文件中没有任何节假日或调休上班日")
    if not collector.errors and collector.parsed.holiday_count == 0:
        collector.error("文件", "holidays", "文件中没有任何节假日")
    if collector.errors:
        raise DomainError(
            "workdays.schedule.invalid",
            f"节假日安排文件有 {len(collector.errors)} 处错误，未做任何修改",
            {"errors": collector.errors},
            status=422,
        )
    return collector.parsed


def _decode(content: bytes) -> str | None:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _read_csv(content: bytes, c: _Collector) -> None:
    text = _decode(content)
    if text is None:
        c.error("文件", "file", "文件编码无法识别，请使用 UTF-8 编码")
        return
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [h.strip().lower() for h in rows[0]] != CSV_COLUMNS:
        c.error("第 1 行", "header", "表头必须是 date,kind,name", 1)
        return
    if len(rows) - 1 > MAX_ROWS:
        c.error("文件", "file", f"行数过多（最多 {MAX_ROWS} 行）")
        return
    for number, row in enumerate(rows[1:], start=2):
        where = f"第 {number} 行"
        if not any(cell.strip() for cell in row):
            continue
        if len(row) not in (2, 3):
            c.error(where, "row", f"应有 3 列（date,kind,name），实有 {len(row)} 列", number)
            continue
        raw_date, kind, name = (row + [""])[:3]
        kind = kind.strip().lower()
        if kind not in KINDS:
            c.error(where, "kind", f"类别“{kind}”无效，应为 holiday（节假日）或 workday（调休上班）", number)
            continue
        c.add(where, raw_date, KINDS[kind], name, number)


def _read_json(content: bytes, c: _Collector) -> None:
    text = _decode(content)
    try:
        data = json.loads(text) if text is not None else None
    except json.JSONDecodeError as exc:
        c.error("文件", "file", f"JSON 格式错误（第 {exc.lineno} 行第 {exc.colno} 列）：{exc.msg}", exc.lineno)
        return
    if not isinstance(data, dict):
        c.error("文件", "file", 'JSON 顶层必须是对象：{"year", "holidays", "makeup_workdays"}')
        return
    for key in sorted(set(data) - JSON_KEYS):
        c.error(key, key, f"未知字段“{key}”，允许的字段：year、holidays、makeup_workdays、notes")
    if "year" not in data:
        c.error("year", "year", "缺少 year 字段")
    elif data["year"] != c.year or isinstance(data["year"], bool):
        c.error("year", "year", f"文件中的年份 {data['year']!r} 与所选年份 {c.year} 不一致")
    notes = data.get("notes", "")
    if not isinstance(notes, str):
        c.error("notes", "notes", "notes 必须是文字")
    else:
        c.parsed.notes = notes.strip()[:500]
    holidays, makeup = data.get("holidays"), data.get("makeup_workdays", [])
    if not isinstance(holidays, list):
        c.error("holidays", "holidays", 'holidays 必须是列表：[{"date", "name"}]')
        holidays = []
    if not isinstance(makeup, list):
        c.error("makeup_workdays", "makeup_workdays", "makeup_workdays 必须是日期列表")
        makeup = []
    if len(holidays) + len(makeup) > MAX_ROWS:
        c.error("文件", "file", f"日期过多（最多 {MAX_ROWS} 个）")
        return
    for i, item in enumerate(holidays):
        where = f"holidays[{i}]"
        if not isinstance(item, dict) or set(item) - {"date", "name"}:
            c.error(where, "holidays", '每个节假日应为 {"date": "YYYY-MM-DD", "name": "名称"}')
            continue
        c.add(where, item.get("date"), False, item.get("name"))
    for i, item in enumerate(makeup):
        where = f"makeup_workdays[{i}]"
        if isinstance(item, dict) and not set(item) - {"date", "name"}:
            c.add(where, item.get("date"), True, item.get("name"))
        elif isinstance(item, str):
            c.add(where, item, True, "")
        else:
            c.error(where, "makeup_workdays", '每个调休上班日应为 "YYYY-MM-DD" 或 {"date", "name"}')
