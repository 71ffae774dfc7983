"""Export of a rules version as YAML or XLSX; the formats are described in ciqcredit.catalogue.exchange."""

import io
from decimal import Decimal
from typing import Any

import yaml
from openpyxl import Workbook

from ciqcredit.catalogue.choices import (
    PRECEDENCE_RULES,
    REFERENCE_LABEL,
    AssociationKind,
    Category,
    Collection,
    DocumentReview,
    Kind,
    MeasureArea,
    MeasureGrade,
    Stage,
)
from ciqcredit.catalogue.diff import flatten
from ciqcredit.catalogue.editing import item_snapshot, measure_snapshot
from ciqcredit.catalogue.models import CatalogueVersion, MeasureListVersion, RuleSetVersion, RulesVersion
from ciqcredit.catalogue.services import version_snapshot
from ciqcredit.catalogue.validation import ITEM_FIELDS, MEASURE_FIELDS, PARAM_LABELS
from ciqcredit.enterprises.types import EnterpriseType
from ciqcredit.errors import DomainError
from ciqcredit.spreadsheets import write_cell

FORMATS = ("yaml", "xlsx")
# The kinds this YAML/XLSX exchange carries: the checklist travels through its content service (API), the joint
# measures through their own YAML (`ciqcredit.catalogue.joint`, on the 联合奖惩措施 page).
EXCHANGED_KINDS = (Kind.CATALOGUE, Kind.MEASURES, Kind.RULESET)
CONTENT_TYPES = {
    "yaml": "application/yaml; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SHEETS: dict[str, str] = {Kind.CATALOGUE: "采集条目", Kind.MEASURES: "差异化措施", Kind.RULESET: "评定参数"}
CASES_SHEET = "规则测试用例"
META_SHEET = "版本"
HELP_SHEET = "填写说明"


def format_of(filename: str) -> str:
    lowered = filename.lower()
    if lowered.endswith((".yaml", ".yml")):
        return "yaml"
    if lowered.endswith(".xlsx"):
        return "xlsx"
    raise DomainError("unknown_format", "只支持 YAML（.yaml/.yml）和 Excel（.xlsx）文件", {"file": filename})


def version_document(version: RulesVersion) -> dict[str, Any]:
    doc = version_snapshot(version)
    if isinstance(version, CatalogueVersion):
        doc["items"] = [item_snapshot(i) for i in version.items.all()]
    elif isinstance(version, MeasureListVersion):
        doc["precedence"] = version.precedence
        doc["measures"] = [measure_snapshot(m) for m in version.measures.all()]
    elif isinstance(version, RuleSetVersion):
        doc["params"] = version.params
        doc["cases_yaml"] = version.cases_yaml
    return doc


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_presenter)
_Dumper.add_multi_representer(str, lambda dumper, data: _str_presenter(dumper, str(data)))  # TextChoices


def export_yaml(version: RulesVersion) -> bytes:
    header = f"# {version}（{version.get_status_display()}）"
    if version.is_reference:
        header += f"\n# {REFERENCE_LABEL}"
    body = yaml.dump(version_document(version), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return f"{header}\n{body}".encode()


def _bool_text(value: bool) -> str:
    return "是" if value else "否"


def _write_help(book: Workbook, version: RulesVersion) -> None:
    sheet = book.create_sheet(HELP_SHEET)
    rows: list[tuple[str, str, Any]] = [("", "", REFERENCE_LABEL if version.is_reference else "")]
    vocabularies: list[tuple[str, Any]] = {
        Kind.CATALOGUE: [
            ("类别", Category),
            ("采集方式", Collection),
            ("采集环节", Stage),
            ("业务关联号", AssociationKind),
            ("适用企业类型（多个用分号分隔；空=全部）", EnterpriseType),
        ],
        Kind.MEASURES: [("适用等级", MeasureGrade), ("措施领域", MeasureArea), ("审单方式", DocumentReview)],
        Kind.RULESET: [],
    }[Kind(version.KIND)]
    for title, choices in vocabularies:
        rows += [(title, slug, label) for slug, label in choices.choices]
    if version.KIND == Kind.CATALOGUE:
        rows.append(("是/否列", "是 / 否", "严重失信行为、直接列入严重失信名单、须录入报检员备案号"))
    if version.KIND == Kind.MEASURES:
        rows.append(("抽批比例", "5% 或 0.05", "只用于“申报放行”和“检验检疫”领域"))
        rows.append(("优先办理、绿色通道、无纸化", "是 / 否 / 空", "空：本措施不设定"))
        rows += [
            (f"precedence.{key}（版本工作表）", slug, label)
            for key, rule in PRECEDENCE_RULES.items()
            for slug, label in rule.choices
        ]
    for r, values in enumerate([("栏目", "可填值", "说明"), *rows], start=1):
        for c, value in enumerate(values, start=1):
            write_cell(sheet, r, c, value)


def export_xlsx(version: RulesVersion) -> bytes:
    book = Workbook()
    meta = book.active
    meta.title = META_SHEET
    doc = version_document(version)
    for r, key in enumerate(["kind", "number", "status", "title", "notes", "is_reference", "effective_from"], 1):
        write_cell(meta, r, 1, key)
        value = doc[key]
        write_cell(meta, r, 2, _bool_text(value) if isinstance(value, bool) else value)
    for r, (key, value) in enumerate(doc.get("precedence", {}).items(), 8):
        write_cell(meta, r, 1, f"precedence.{key}")
        write_cell(meta, r, 2, value)
    sheet = book.create_sheet(SHEETS[version.KIND])
    if version.KIND in (Kind.CATALOGUE, Kind.MEASURES):
        columns = ITEM_FIELDS if version.KIND == Kind.CATALOGUE else MEASURE_FIELDS
        for c, title in enumerate(columns.values(), 1):
            write_cell(sheet, 1, c, title)
        rows = doc["items"] if version.KIND == Kind.CATALOGUE else doc["measures"]
        for r, row in enumerate(rows, 2):
            for c, name in enumerate(columns, 1):
                value = row[name]
                if isinstance(value, bool):
                    value = _bool_text(value)
                elif value is None:
                    value = ""
                elif isinstance(value, list):
                    value = ";".join(value)
                elif name == "sampling_ratio" and value is not None:
                    value = f"{(Decimal(value) * 100).normalize():f}%"
                write_cell(sheet, r, c, value)
    elif isinstance(version, RuleSetVersion):
        for c, title in enumerate(("参数路径", "说明", "取值"), 1):
            write_cell(sheet, 1, c, title)
        for r, (path, value) in enumerate(flatten(version.params).items(), 2):
            write_cell(sheet, r, 1, path)
            write_cell(sheet, r, 2, " › ".join(PARAM_LABELS.get(p, p) for p in path.split(".") if not p.isdigit()))
            write_cell(sheet, r, 3, value)
        cases = book.create_sheet(CASES_SHEET)
        for r, line in enumerate(version.cases_yaml.split("\n"), 1):
            write_cell(cases, r, 1, line)
    _write_help(book, version)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_version(version: RulesVersion, fmt: str) -> bytes:
    if fmt == "yaml":
        return export_yaml(version)
    if fmt == "xlsx":
        return export_xlsx(version)
    raise DomainError("unknown_format", "只支持 yaml 和 xlsx 格式", {"format": fmt})
