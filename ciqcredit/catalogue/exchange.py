"""Import of the three kinds of rules from YAML and XLSX (export: exporting.py), for HQ's spreadsheets.

Formats (an export imports back unchanged):
- YAML: one mapping: `kind`, `number`, `title`, `notes`, `is_reference`, `effective_from`, and `items`
  (catalogue), `params` + `cases_yaml` (rule set) or `measures` (measure list).
- XLSX: a sheet "版本" (key/value: kind, title, notes…), the content sheet — "采集条目" / "差异化措施" with one
  header row (Chinese titles; slugs accepted too), or "评定参数" (path, label, value) plus "规则测试用例"
  (the cases YAML, one line per row) — and a sheet "填写说明" listing the allowed values.

Import into a draft is all-or-nothing: every row is cleaned and checked first, every error is listed with its
row (spreadsheet row number, or position in the YAML list), field and code, and nothing changes unless all
rows are good. An `hq_rules` editor imports the items of their own department only: rows of other
departments are errors, and the draft's items of other departments are kept as they are.
"""

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

import yaml
from django.db import transaction
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.catalogue.access import may_edit_department, require_editor
from ciqcredit.catalogue.choices import Kind
from ciqcredit.catalogue.diff import rows_diff
from ciqcredit.catalogue.editing import item_snapshot, measure_snapshot, raise_field_errors
from ciqcredit.catalogue.exporting import CASES_SHEET, EXCHANGED_KINDS, META_SHEET, SHEETS
from ciqcredit.catalogue.models import CatalogueItem, Measure, MeasureListVersion, RuleSetVersion, RulesVersion
from ciqcredit.catalogue.services import lock_version, require_draft
from ciqcredit.catalogue.validation import (
    ITEM_FIELDS,
    MEASURE_FIELDS,
    FieldError,
    clean_cases_yaml,
    clean_item,
    clean_measure,
    clean_params,
    clean_precedence,
    duplicate_code_errors,
)
from ciqcredit.errors import DomainError

# ---- reading files ----


@dataclass
class Parsed:
    """A file's content before validation: rows (row number, raw values) or rule-set params and cases."""

    kind: str
    meta: dict[str, Any] = field(default_factory=dict)
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    params: Any = None
    cases_yaml: str | None = None
    errors: list[FieldError] = field(default_factory=list)


def _bad_file(message: str) -> DomainError:
    error = {"row": None, "field": "", "code": "bad_file", "message": message}
    return DomainError("bad_file", message, {"errors": [error]})


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ten times faster


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_LOADER)


def parse_yaml(kind: str, content: bytes) -> Parsed:
    try:
        doc = load_yaml(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise _bad_file(f"文件不是有效的 UTF-8 YAML：{exc}") from None
    return parsed_document(kind, doc)


def parsed_document(kind: str, doc: Any) -> Parsed:
    """A loaded YAML document (see the module docstring) → rows or params to validate."""
    if not isinstance(doc, dict):
        raise _bad_file("YAML 文件须为一个映射（kind、title、items/params/measures…）")
    if doc.get("kind") not in (None, kind):
        raise _bad_file(f"文件中的规则类别为“{doc.get('kind')}”，不是“{kind}”")
    parsed = Parsed(kind=kind, meta={k: doc.get(k) for k in ("title", "notes") if doc.get(k)})
    if kind == Kind.MEASURES and doc.get("precedence") is not None:
        parsed.meta["precedence"] = doc["precedence"]
    if kind == Kind.RULESET:
        parsed.params = doc.get("params") or {}
        parsed.cases_yaml = doc.get("cases_yaml")
        if parsed.cases_yaml is not None and not isinstance(parsed.cases_yaml, str):
            parsed.cases_yaml = yaml.safe_dump(parsed.cases_yaml, allow_unicode=True, sort_keys=False)
        return parsed
    key = "items" if kind == Kind.CATALOGUE else "measures"
    rows = doc.get(key) or []
    if not isinstance(rows, list):
        raise _bad_file(f"“{key}”须为列表")
    for index, raw in enumerate(rows, 1):
        if not isinstance(raw, dict):
            parsed.errors.append(FieldError("", "bad_row", "每一项须为一个映射", index))
            continue
        parsed.rows.append((index, raw))
    return parsed


def _cell_value(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return value


def parse_xlsx(kind: str, content: bytes) -> Parsed:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise _bad_file(f"文件不是有效的 Excel（.xlsx）文件：{exc}") from None
    parsed = Parsed(kind=kind)
    if META_SHEET in book.sheetnames:
        for row in book[META_SHEET].iter_rows(values_only=True):
            if row and row[0] in ("title", "notes") and len(row) > 1 and row[1]:
                parsed.meta[row[0]] = str(row[1])
            if row and str(row[0] or "").startswith("precedence.") and len(row) > 1 and row[1]:
                parsed.meta.setdefault("precedence", {})[str(row[0]).removeprefix("precedence.")] = str(row[1])
            if row and row[0] == "kind" and len(row) > 1 and row[1] and row[1] != kind:
                raise _bad_file(f"文件中的规则类别为“{row[1]}”，不是“{kind}”")
    sheet_name = SHEETS[kind]
    if sheet_name not in book.sheetnames:
        raise _bad_file(f"文件中缺少工作表“{sheet_name}”")
    rows = list(book[sheet_name].iter_rows(values_only=True))
    if kind == Kind.RULESET:
        flat: dict[str, Any] = {}
        for row in rows[1:]:
            if not row or row[0] in (None, ""):
                continue
            value = _cell_value(row[2]) if len(row) > 2 else None
            flat[str(row[0]).strip()] = None if value == "" else value
        try:
            parsed.params = unflatten(flat)
        except ValueError as exc:
            parsed.errors.append(FieldError("params", "bad_params", str(exc)))
        if CASES_SHEET in book.sheetnames:
            cells = book[CASES_SHEET].iter_rows(values_only=True)
            lines = ["" if not row or row[0] is None else str(row[0]) for row in cells]
            parsed.cases_yaml = "\n".join(lines)
        return parsed
    if not rows:
        raise _bad_file(f"工作表“{sheet_name}”是空的")
    columns = ITEM_FIELDS if kind == Kind.CATALOGUE else MEASURE_FIELDS
    by_title = {title: name for name, title in columns.items()} | {name: name for name in columns}
    header: list[str | None] = []
    for c, title in enumerate(rows[0], 1):
        text = str(title).strip() if title is not None else ""
        if not text:
            header.append(None)
        elif text in by_title:
            header.append(by_title[text])
        else:
            header.append(None)
            parsed.errors.append(FieldError(text, "unknown_column", f"第{c}列“{text}”不是已知栏目", 1))
    if "code" not in header:
        parsed.errors.append(FieldError("code", "missing_column", f"缺少“{columns['code']}”列", 1))
    for number, row in enumerate(rows[1:], 2):
        if not row or all(v in (None, "") for v in row):
            continue
        raw = {name: _cell_value(v) for name, v in zip(header, row, strict=False) if name}
        parsed.rows.append((number, raw))
    return parsed


def unflatten(flat: dict[str, Any]) -> dict[str, Any]:
    """{"bands.0.grade": "A"} → {"bands": [{"grade": "A"}]} (numeric segments become list positions)."""
    root: dict[str, Any] = {}
    for path, value in flat.items():
        parts = path.split(".")
        node: Any = root
        for part, following in zip(parts, parts[1:], strict=False):
            key: Any = int(part) if isinstance(node, list) else part
            container: Any = [] if following.isdigit() else {}
            if isinstance(node, list):
                while len(node) <= key:
                    node.append(None)
                if node[key] is None:
                    node[key] = container
                node = node[key]
            else:
                node = node.setdefault(key, container)
        last = parts[-1]
        if isinstance(node, list):
            index = int(last)
            while len(node) <= index:
                node.append(None)
            node[index] = value
        elif isinstance(node, dict):
            node[last] = value
        else:
            raise ValueError(f"参数路径“{path}”与其他参数冲突")
    return root


def parse_file(kind: str, content: bytes, fmt: str) -> Parsed:
    if fmt == "yaml":
        return parse_yaml(kind, content)
    if fmt == "xlsx":
        return parse_xlsx(kind, content)
    raise DomainError("unknown_format", "只支持 yaml 和 xlsx 格式", {"format": fmt})


# ---- import ----


@dataclass
class ImportSummary:
    kind: str
    number: int
    rows: int = 0
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    params_changed: bool = False
    cases_changed: bool = False
    precedence_changed: bool = False

    def __str__(self) -> str:
        if self.kind == Kind.RULESET:
            parts = [
                f"参数{'已更新' if self.params_changed else '未变'}",
                f"用例{'已更新' if self.cases_changed else '未变'}",
            ]
            return f"第{self.number}版：" + "，".join(parts)
        return (
            f"第{self.number}版：共{self.rows}行，新增{len(self.added)}、删除{len(self.removed)}、"
            f"修改{len(self.changed)}"
        )


def _import_rows(version: RulesVersion, parsed: Parsed, actor: Actor, summary: ImportSummary) -> list[FieldError]:
    user = require_editor(actor)
    is_catalogue = version.KIND == Kind.CATALOGUE
    clean = clean_item if is_catalogue else clean_measure
    errors = list(parsed.errors)
    cleaned: list[dict[str, Any]] = []
    for number, raw in parsed.rows:
        data, row_errors = clean(raw, row=number)
        errors += row_errors
        if is_catalogue and data.get("department") and not may_edit_department(user, data["department"]):
            errors.append(
                FieldError(
                    "department",
                    "department_forbidden",
                    f"您只能导入本业务司局（{user.business_department if user else ''}）的条目，"
                    f"不能导入“{data['department']}”的条目",
                    number,
                )
            )
        cleaned.append(data)
    model: Any = CatalogueItem if is_catalogue else Measure  # the rows of either kind of list
    existing = list(model.objects.filter(version=version))
    kept = [row for row in existing if is_catalogue and not may_edit_department(user, row.department)]
    codes: list[tuple[int | None, str]] = [(None, row.code) for row in kept]
    codes += [(n, d["code"]) for (n, _), d in zip(parsed.rows, cleaned, strict=True)]
    errors += duplicate_code_errors(codes)
    precedence = None
    if not is_catalogue and "precedence" in parsed.meta:
        precedence, precedence_errors = clean_precedence(parsed.meta["precedence"])
        errors += precedence_errors
    if errors:
        return errors
    if isinstance(version, MeasureListVersion) and precedence is not None and precedence != version.precedence:
        version.precedence = precedence
        version.save(update_fields=["precedence"])
        summary.precedence_changed = True
    snapshot: Any = item_snapshot if is_catalogue else measure_snapshot
    model = CatalogueItem if is_catalogue else Measure
    replaced = [row for row in existing if row not in kept]
    start = max((row.position for row in kept), default=0)
    new_rows = [model(version=version, position=start + i, **data) for i, data in enumerate(cleaned, 1)]
    added, removed, changed = rows_diff(
        [snapshot(r) for r in replaced],
        [snapshot(r) for r in new_rows],
        name_field="name" if is_catalogue else "title",
    )
    model.objects.filter(pk__in=[row.pk for row in replaced]).delete()
    model.objects.bulk_create(new_rows)
    summary.rows = len(cleaned)
    summary.added = [r["code"] for r in added]
    summary.removed = [r["code"] for r in removed]
    summary.changed = [c.code for c in changed]
    return []


def _import_ruleset(version: RuleSetVersion, parsed: Parsed, summary: ImportSummary) -> list[FieldError]:
    errors = list(parsed.errors)
    params, param_errors = clean_params(parsed.params if parsed.params is not None else {})
    errors += param_errors
    if parsed.cases_yaml is not None:
        errors += clean_cases_yaml(parsed.cases_yaml)
    if errors:
        return errors
    summary.params_changed = params != version.params
    version.params = params
    fields = ["params"]
    if parsed.cases_yaml is not None:
        summary.cases_changed = parsed.cases_yaml != version.cases_yaml
        version.cases_yaml = parsed.cases_yaml
        fields.append("cases_yaml")
    version.save(update_fields=fields)
    version.__dict__.pop("rule_params", None)
    return []


def version_import(*, version: RulesVersion, content: bytes, fmt: str, actor: Actor) -> ImportSummary:
    """Replace a draft's content with a file's, all or nothing. Raises `import_invalid` listing every error."""
    require_editor(actor)
    if version.KIND not in EXCHANGED_KINDS:
        raise DomainError("not_exchanged", f"{version.kind_label}不通过此处的文件导入", {"kind": version.KIND})
    return version_import_parsed(version=version, parsed=parse_file(version.KIND, content, fmt), fmt=fmt, actor=actor)


def version_import_parsed(*, version: RulesVersion, parsed: Parsed, fmt: str, actor: Actor) -> ImportSummary:
    """The second half of `version_import`, for callers that already hold the document (the reference loader)."""
    require_editor(actor)
    with transaction.atomic():
        version = lock_version(version)
        require_draft(version)
        summary = ImportSummary(kind=version.KIND, number=version.number)
        if isinstance(version, RuleSetVersion):
            errors = _import_ruleset(version, parsed, summary)
        else:
            errors = _import_rows(version, parsed, actor, summary)
        if errors:
            raise_errors_sorted(errors)
        meta_fields = [k for k in ("title", "notes") if parsed.meta.get(k) and parsed.meta[k] != getattr(version, k)]
        for key in meta_fields:
            setattr(version, key, str(parsed.meta[key]).strip())
        if meta_fields:
            version.save(update_fields=meta_fields)
        audit_log(
            actor=actor,
            action="catalogue.version.imported",
            target=version,
            new={
                "format": fmt,
                "rows": summary.rows,
                "added": summary.added,
                "removed": summary.removed,
                "changed": summary.changed,
                "params_changed": summary.params_changed,
                "cases_changed": summary.cases_changed,
                "precedence_changed": summary.precedence_changed,
            },
        )
    return summary


def raise_errors_sorted(errors: list[FieldError]) -> None:
    ordered = sorted(errors, key=lambda e: (e.row if e.row is not None else -1, e.field))
    try:
        raise_field_errors(ordered, "导入文件有误，未作任何修改")
    except DomainError as exc:
        exc.code = "import_invalid"
        raise
