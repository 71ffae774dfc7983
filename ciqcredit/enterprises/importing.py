"""Reading and checking enterprise registry rows (§三(一)): files from the enterprise management system.

Pure: no database. Readers turn a CSV, XLSX or JSON Lines file into (line number, raw dict) pairs; the
`RowValidator` turns one raw dict into a clean `EnterpriseRow` or the list of everything wrong with it.
The service (services.py) does the writing. The column names are the integration contract: keep them.
"""

import codecs
import csv
import datetime as dt
import io
import json
from collections.abc import Container, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from ciqcredit.enterprises.codes import credit_code_error, normalize_org_code, org_code_error
from ciqcredit.enterprises.models import EnterpriseStatus
from ciqcredit.enterprises.types import encode_types, unknown_types
from ciqcredit.text import CONTROL_MESSAGE, has_control_characters

CONTRACT_FIELDS = (
    "credit_code",
    "name",
    "org_code",
    "ciq_registration_no",
    "legal_representative",
    "address",
    "main_business",
    "types",
    "registering_org",
    "registered_on",
    "status",
)
FORMATS = ("csv", "xlsx", "jsonl")
_EXTENSIONS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}
# Column widths of the Enterprise model; a longer value is refused rather than cut.
MAX_LENGTHS = {
    "name": 200,
    "ciq_registration_no": 30,
    "legal_representative": 50,
    "address": 200,
    "main_business": 500,
}
FIELD_LABELS = {
    "credit_code": "统一社会信用代码",
    "name": "企业名称",
    "org_code": "组织机构代码",
    "ciq_registration_no": "检验检疫备案号",
    "legal_representative": "法定代表人",
    "address": "地址",
    "main_business": "主营业务",
    "types": "企业类型",
    "registering_org": "备案地机构代码",
    "registered_on": "备案日期",
    "status": "状态",
}
_STATUS_ALIASES = {
    EnterpriseStatus.ACTIVE.value: EnterpriseStatus.ACTIVE.value,
    EnterpriseStatus.CANCELLED.value: EnterpriseStatus.CANCELLED.value,
    EnterpriseStatus.ACTIVE.label: EnterpriseStatus.ACTIVE.value,
    EnterpriseStatus.CANCELLED.label: EnterpriseStatus.CANCELLED.value,
    "": EnterpriseStatus.ACTIVE.value,  # absent status: the model's default
}


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class EnterpriseRow:
    """One checked registry row, ready to be compared with the stored enterprise."""

    line: int
    credit_code: str
    name: str
    org_code: str
    ciq_registration_no: str
    legal_representative: str
    address: str
    main_business: str
    types: str  # encoded, ';importer;exporter;'
    registering_org: str  # 6-digit organization code
    registered_on: dt.date | None
    status: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [e.as_dict() for e in self.rejected],
        }


class MalformedRow(dict):
    """A line that could not be read as a row at all (bad JSON, wrong number of cells): yielded, then refused."""

    def __init__(self, reason: str):
        super().__init__()
        self.reason = reason


class ImportFileError(Exception):
    """The file as a whole cannot be read (unknown format, missing columns, undecodable): nothing is imported."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


def _file_error(code: str, message: str, *, line: int = 0, field: str = "") -> ImportFileError:
    return ImportFileError([RowError(line=line, field=field, code=code, message=message)])


# --- readers -------------------------------------------------------------------------------------------------


def guess_format(filename: str) -> str:
    fmt = _EXTENSIONS.get(Path(filename).suffix.lower())
    if fmt is None:
        raise _file_error("bad_format", f"无法从文件名“{Path(filename).name}”判断格式，请指定 csv、xlsx 或 jsonl")
    return fmt


def _check_header(header: list[str]) -> None:
    missing = [name for name in CONTRACT_FIELDS if name not in header]
    if missing:
        raise ImportFileError(
            [RowError(1, name, "missing_column", f"表头缺少列“{name}”（{FIELD_LABELS[name]}）") for name in missing]
        )
    seen: set[str] = set()
    for name in header:
        if name in seen and name in CONTRACT_FIELDS:
            raise _file_error("bad_format", f"表头中列“{name}”重复出现", line=1, field=name)
        seen.add(name)


def _is_utf8(handle: IO[bytes]) -> bool:
    """Decode the whole file in chunks: an invalid byte late in a large file must not slip through."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := handle.read(1 << 20):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        handle.seek(0)
    return True


def read_csv(handle: IO[bytes]) -> Iterator[tuple[int, dict]]:
    """UTF-8 with or without BOM; GB18030 (a superset of GBK/GB2312) when the file is not valid UTF-8."""
    encoding = "utf-8-sig" if _is_utf8(handle) else "gb18030"
    text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    try:
        reader = csv.reader(text)
        try:
            header = [cell.strip() for cell in next(reader)]
        except StopIteration:
            raise _file_error("missing_column", "文件为空，缺少表头行", line=1) from None
        _check_header(header)
        width = len(header)
        previous_end = reader.line_num
        for cells in reader:
            line, previous_end = previous_end + 1, reader.line_num
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue  # blank line
            if len(cells) != width:
                yield line, MalformedRow(f"本行有{len(cells)}列，表头有{width}列")
                continue
            yield line, dict(zip(header, cells, strict=True))
    except UnicodeDecodeError:
        raise _file_error("bad_format", "文件编码无法识别（应为 UTF-8 或 GB18030）") from None
    except csv.Error as exc:
        raise _file_error("bad_format", f"CSV 格式错误：{exc}", line=reader.line_num) from None
    finally:
        text.detach()


def _cell(value: Any) -> Any:
    # Spreadsheets turn code-like columns (registering_org 470000) into numbers; the contract wants text.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return "" if value is None else value


def read_xlsx(handle: IO[bytes]) -> Iterator[tuple[int, dict]]:
    """The first sheet; row 1 is the header. Read-only mode streams the sheet instead of loading it whole."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError or its own errors for a file that is not XLSX
        raise _file_error("bad_format", f"无法读取 XLSX 文件：{type(exc).__name__}") from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        first = next(rows, None)
        if first is None:
            raise _file_error("missing_column", "工作表为空，缺少表头行", line=1)
        header = [str(cell).strip() if cell is not None else "" for cell in first]
        _check_header(header)
        columns = [(i, name) for i, name in enumerate(header) if name]
        width = columns[-1][0] + 1  # the sheet's dimension may pad the header with empty cells
        for line, values in enumerate(rows, start=2):
            if values is None or all(v is None or v == "" for v in values):
                continue
            if any(v not in (None, "") for v in values[width:]):
                yield line, MalformedRow("本行数据超出表头的列")
                continue
            yield line, {name: _cell(values[i]) if i < len(values) else "" for i, name in columns}
    finally:
        workbook.close()


def read_jsonl(handle: IO[bytes]) -> Iterator[tuple[int, dict]]:
    for line, raw in enumerate(handle, start=1):
        try:
            text = raw.decode("utf-8-sig" if line == 1 else "utf-8").strip()
        except UnicodeDecodeError:
            yield line, MalformedRow("本行不是 UTF-8 编码")
            continue
        if not text:
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            yield line, MalformedRow(f"本行不是合法的 JSON：{exc.msg}")
            continue
        if not isinstance(value, dict):
            yield line, MalformedRow("本行应为一个 JSON 对象")
            continue
        yield line, value


_READERS = {"csv": read_csv, "xlsx": read_xlsx, "jsonl": read_jsonl}


def read_rows(handle: IO[bytes], fmt: str) -> Iterator[tuple[int, dict]]:
    """(line number, raw row) pairs from a binary, seekable file in one of FORMATS."""
    reader = _READERS.get(fmt)
    if reader is None:
        raise _file_error("bad_format", f"不支持的文件格式“{fmt}”，应为 csv、xlsx 或 jsonl")
    return reader(handle)


def estimate_rows(handle: IO[bytes], fmt: str) -> int | None:
    """A cheap row count for a progress bar (lines for text formats, the sheet's dimension for XLSX)."""
    if fmt in ("csv", "jsonl"):
        count = 0
        while chunk := handle.read(1 << 20):
            count += chunk.count(b"\n")
        handle.seek(0)
        return max(count - (1 if fmt == "csv" else 0), 0)
    return None


# --- validation ----------------------------------------------------------------------------------------------


def _text(raw: Mapping[str, Any], name: str) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else str(_cell(value)).strip()


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise ValueError(text)
    return dt.date.fromisoformat(text)


def _split_types(value: Any) -> list[str] | None:
    """A list of slugs (JSON) or a ';'-joined string (CSV/XLSX, also accepted in JSON); None if neither."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    return None


@dataclass
class RowValidator:
    """Checks raw rows against the contract and the organization table.

    `org_codes`: every organization code that exists. `scope`: the codes the caller may register enterprises
    at (None: everywhere, HQ). Remembers credit codes across calls to spot duplicates within one file.
    """

    org_codes: Container[str]
    scope: Container[str] | None = None
    seen: dict[str, int] = field(default_factory=dict)
    _types_of: dict[str, str | list[str] | None] = field(default_factory=dict)  # a file holds a few combinations

    def _types(self, value: Any) -> str | list[str] | None:
        """The types cell encoded for storage; else the unknown slugs it names, or None when it is no list."""
        if isinstance(value, str) and value in self._types_of:
            return self._types_of[value]
        slugs = _split_types(value)
        if slugs is None:
            out: str | list[str] | None = None
        else:
            out = unknown_types(slugs) or encode_types(slugs)
        if isinstance(value, str):
            self._types_of[value] = out
        return out

    def validate(self, line: int, raw: Mapping[str, Any]) -> EnterpriseRow | list[RowError]:
        if isinstance(raw, MalformedRow):
            return [RowError(line, "", "bad_format", raw.reason)]
        errors: list[RowError] = []

        def bad(name: str, code: str, message: str) -> None:
            errors.append(RowError(line, name, code, message))

        # One search over the row's text; only a row that has a control character is looked at field by field.
        if has_control_characters("".join(v for v in map(raw.get, CONTRACT_FIELDS) if isinstance(v, str))):
            for name in CONTRACT_FIELDS:
                value = raw.get(name)
                if isinstance(value, str) and has_control_characters(value):
                    bad(name, "control_character", f"{FIELD_LABELS[name]}{CONTROL_MESSAGE}")
            return errors  # nothing else is looked at, nor looked up, with such a value

        credit_code = _text(raw, "credit_code")
        problem = credit_code_error(credit_code)
        if problem:
            bad("credit_code", *problem)
        elif credit_code in self.seen:
            bad("credit_code", "duplicate_in_file", f"统一社会信用代码{credit_code}与第{self.seen[credit_code]}行重复")

        name = _text(raw, "name")
        if not name:
            bad("name", "missing_name", "企业名称不能为空")

        org_code = _text(raw, "org_code")
        if org_code:
            org_code = normalize_org_code(org_code)
            problem = org_code_error(org_code)
            if problem:
                bad("org_code", *problem)

        texts = {}
        for column, limit in MAX_LENGTHS.items():
            texts[column] = value = name if column == "name" else _text(raw, column)
            if len(value) > limit:
                bad(column, "too_long", f"{FIELD_LABELS[column]}最长{limit}个字符，实为{len(value)}个")

        types = self._types(raw.get("types"))
        if types is None:
            bad("types", "bad_format", "企业类型应为类型代码列表，或以“;”分隔的类型代码")
        elif isinstance(types, list):
            bad("types", "unknown_type", f"未知的企业类型：{'、'.join(types)}")

        registering_org = _text(raw, "registering_org")
        if registering_org not in self.org_codes:
            shown = registering_org or "（空）"
            bad("registering_org", "unknown_org_code", f"备案地机构代码“{shown}”不存在")
        elif self.scope is not None and registering_org not in self.scope:
            bad("registering_org", "out_of_scope", f"备案地机构“{registering_org}”不在您的管辖范围内")

        try:
            registered_on = _parse_date(raw.get("registered_on") or "")
        except (TypeError, ValueError):
            registered_on = None
            bad("registered_on", "bad_date", f"备案日期“{raw.get('registered_on')}”不是有效日期（格式 YYYY-MM-DD）")

        status = _STATUS_ALIASES.get(_text(raw, "status"))
        if status is None:
            bad("status", "bad_status", f"状态“{_text(raw, 'status')}”无效，应为 active（正常）或 cancelled（注销）")

        if errors:
            return errors
        assert status is not None and isinstance(types, str)  # else an error above
        self.seen[credit_code] = line
        return EnterpriseRow(
            line=line,
            credit_code=credit_code,
            name=name,
            org_code=org_code,
            ciq_registration_no=texts["ciq_registration_no"],
            legal_representative=texts["legal_representative"],
            address=texts["address"],
            main_business=texts["main_business"],
            types=types,
            registering_org=registering_org,
            registered_on=registered_on,
            status=status,
        )
