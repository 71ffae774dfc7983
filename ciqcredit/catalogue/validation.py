"""Cleaning and checking rule content: pure functions over plain values, shared by forms, the API and imports.

Every problem is a `FieldError` (row, field, stable code, Chinese message) and all of them are collected, so
an import of a spreadsheet reports every bad cell at once.

Decisions written down here:
- `stage` is required for e-CIQ items (collection `auto` or `auto_confirm`: the stage says where the record
  was registered and, for `auto_confirm`, which department confirms it: 检务部门 or 施检部门), and must be
  empty for `manual` items. A database check constraint holds the same rule.
- e-CIQ items (auto, auto_confirm) carry the declaration/certificate number (association `declaration`),
  because that is what an e-CIQ nonconformity record is keyed by (§三(七)1).
- Enums accept the slug or the Chinese label (spreadsheets are filled in by people); exports write slugs.
- `sampling_ratio` (the sampling rate of a release decision) belongs to measures of the declaration-release and
  inspection areas, `visit_frequency` (on-site checks per year) to daily supervision; `document_review` and the
  facilitations (`priority`, `green_channel`, `paperless`, empty = not set by this measure) to any area but
  daily supervision.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from pydantic import ValidationError

from ciqcredit.catalogue.choices import (
    PRECEDENCE_LABELS,
    PRECEDENCE_RULES,
    REFERENCE_PRECEDENCE,
    AssociationKind,
    Category,
    ChecklistQuestion,
    Collection,
    DocumentReview,
    MeasureArea,
    MeasureGrade,
    PartnerListKind,
    Stage,
)
from ciqcredit.enterprises.types import EnterpriseType, encode_types
from ciqcredit.rules.params import RuleSetParams


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str
    message: str
    row: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# The item contract, in order, with the column titles HQ sees in spreadsheets and forms.
ITEM_FIELDS: dict[str, str] = {
    "code": "条目编号",
    "name": "条目名称",
    "category": "类别",
    "description": "失信行为描述",
    "legal_basis": "法律依据",
    "points": "失信计分",
    "serious": "严重失信行为",
    "enters_blacklist": "直接列入严重失信名单",
    "enterprise_types": "适用企业类型",
    "department": "主管业务司局",
    "collection": "采集方式",
    "stage": "采集环节",
    "association_kind": "业务关联号",
    "declarant_required": "须录入报检员备案号",
}

MEASURE_FIELDS: dict[str, str] = {
    "code": "措施编号",
    "grade": "适用等级",
    "area": "措施领域",
    "title": "措施名称",
    "description": "措施内容",
    "sampling_ratio": "抽批比例",
    "visit_frequency": "年度监管频次",
    "document_review": "审单方式",
    "priority": "优先办理",
    "green_channel": "绿色通道",
    "paperless": "无纸化",
}
# A joint measure (联合奖惩措施): the partner list it answers and the classes it reaches instead of one grade, the
# same decision parameters as a measure (DecisionParameters), no visit frequency.
JOINT_MEASURE_FIELDS: dict[str, str] = {
    "code": "措施编号",
    "list_code": "名单代码",
    "list_title": "名单名称",
    "list_kind": "名单类别",
    "area": "措施领域",
    "title": "措施名称",
    "description": "措施内容",
    "for_classes": "适用等级",
    "sampling_ratio": "抽批比例",
    "document_review": "审单方式",
    "priority": "优先办理",
    "green_channel": "绿色通道",
    "paperless": "无纸化",
}
# A supervision checklist's item (督查检查项目, §六): the question of the guide it answers and what is checked.
CHECKLIST_ITEM_FIELDS: dict[str, str] = {
    "code": "项目编号",
    "question": "督查事项",
    "title": "检查内容",
    "standard": "评判标准",
}
FACILITATIONS = ("priority", "green_channel", "paperless")
LIST_CODE_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_")
SAMPLING_AREAS = (MeasureArea.DECLARATION_RELEASE, MeasureArea.INSPECTION)

_MAX_LENGTHS = {"code": 20, "name": 200, "legal_basis": 300, "department": 50, "title": 200}
_MEASURE_CODE_MAX = 30
_TRUE = {"true", "1", "yes", "y", "是", "√", "✓"}
_FALSE = {"false", "0", "no", "n", "否", "", "none"}
_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _choice(value: Any, choices: Any, field: str, code: str, what: str, row: int | None, errors: list) -> str | None:
    text = _text(value)
    by_label = {label: slug for slug, label in choices.choices}
    if text in choices.values:
        return text
    if text in by_label:
        return by_label[text]
    allowed = "、".join(f"{slug}（{label}）" for slug, label in choices.choices)
    errors.append(FieldError(field, code, f"未知的{what}“{text}”，应为：{allowed}", row))
    return None


def parse_bool(value: Any, field: str, row: int | None, errors: list) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    errors.append(FieldError(field, "bad_boolean", f"“{_text(value)}”不是是/否值", row))
    return False


def parse_types(value: Any, row: int | None, errors: list) -> str:
    """A list, or text separated by ; ， , 、 or spaces, of type slugs or labels → the stored ';a;b;' form."""
    if value is None:
        parts: list[str] = []
    elif isinstance(value, list | tuple | set):
        parts = [_text(v) for v in value]
    else:
        parts = re.split(r"[;；,，、\s]+", _text(value))
    by_label = {label: slug for slug, label in EnterpriseType.choices}
    slugs: list[str] = []
    unknown: list[str] = []
    for part in (p for p in parts if p):
        slug = part if part in EnterpriseType.values else by_label.get(part)
        (slugs if slug else unknown).append(slug or part)
    for part in unknown:
        errors.append(FieldError("enterprise_types", "unknown_enterprise_type", f"未知的企业类型“{part}”", row))
    return encode_types(slugs)


def _required_text(
    raw: Mapping[str, Any],
    field: str,
    row: int | None,
    errors: list,
    max_length: int,
    labels: Mapping[str, str] | None = None,
) -> str:
    text = _text(raw.get(field))
    label = (labels or {}).get(field) or {**ITEM_FIELDS, **MEASURE_FIELDS, **JOINT_MEASURE_FIELDS}.get(field, field)
    if not text:
        errors.append(FieldError(field, "missing_field", f"“{label}”不能为空", row))
    elif len(text) > max_length:
        errors.append(FieldError(field, "field_too_long", f"“{label}”不能超过{max_length}个字符", row))
    return text


def _code(raw: Mapping[str, Any], row: int | None, errors: list, max_length: int) -> str:
    code = _required_text(raw, "code", row, errors, max_length)
    if code and not _CODE_RE.match(code):
        errors.append(FieldError("code", "bad_code", f"编号“{code}”只能由字母、数字、点、横线和下划线组成", row))
    return code


def clean_item(raw: Mapping[str, Any], *, row: int | None = None) -> tuple[dict[str, Any], list[FieldError]]:
    """One catalogue item from loose input (form, YAML, spreadsheet row) → model field values and errors."""
    errors: list[FieldError] = []
    data: dict[str, Any] = {"code": _code(raw, row, errors, _MAX_LENGTHS["code"])}
    data["name"] = _required_text(raw, "name", row, errors, _MAX_LENGTHS["name"])
    data["category"] = _choice(raw.get("category"), Category, "category", "unknown_category", "类别", row, errors)
    data["description"] = _text(raw.get("description"))
    data["legal_basis"] = _text(raw.get("legal_basis"))
    if len(data["legal_basis"]) > _MAX_LENGTHS["legal_basis"]:
        errors.append(FieldError("legal_basis", "field_too_long", "“法律依据”不能超过300个字符", row))
    points_text = _text(raw.get("points"))
    data["points"] = 0
    try:
        points = int(points_text)
    except ValueError:
        errors.append(FieldError("points", "bad_points", f"失信计分“{points_text}”须为整数", row))
    else:
        if points < 0:
            errors.append(FieldError("points", "negative_points", f"失信计分不能为负数（{points}）", row))
        data["points"] = points
    data["serious"] = parse_bool(raw.get("serious"), "serious", row, errors)
    data["enters_blacklist"] = parse_bool(raw.get("enters_blacklist"), "enters_blacklist", row, errors)
    data["enterprise_types"] = parse_types(raw.get("enterprise_types"), row, errors)
    data["department"] = _required_text(raw, "department", row, errors, _MAX_LENGTHS["department"])
    collection = _choice(raw.get("collection"), Collection, "collection", "unknown_collection", "采集方式", row, errors)
    data["collection"] = collection
    stage_text = _text(raw.get("stage"))
    stage = None
    if stage_text and stage_text.lower() not in {"null", "none", "-"}:
        stage = _choice(stage_text, Stage, "stage", "unknown_stage", "采集环节", row, errors)
    data["stage"] = stage or ""
    association = _choice(
        raw.get("association_kind"),
        AssociationKind,
        "association_kind",
        "unknown_association_kind",
        "业务关联号类型",
        row,
        errors,
    )
    data["association_kind"] = association
    data["declarant_required"] = parse_bool(raw.get("declarant_required"), "declarant_required", row, errors)
    if collection in (Collection.AUTO, Collection.AUTO_CONFIRM):
        if stage is None and not stage_text:
            errors.append(
                FieldError("stage", "stage_required", "e-CIQ 自动采集的条目须注明采集环节（报检或施检）", row)
            )
        if association and association != AssociationKind.DECLARATION:
            errors.append(
                FieldError(
                    "association_kind",
                    "association_mismatch",
                    "e-CIQ 自动采集的条目以报检号/证书号为业务关联号",
                    row,
                )
            )
    elif collection == Collection.MANUAL and stage is not None:
        errors.append(FieldError("stage", "stage_not_allowed", "人工采集的条目不设采集环节", row))
    return data, errors


def clean_measure(raw: Mapping[str, Any], *, row: int | None = None) -> tuple[dict[str, Any], list[FieldError]]:
    errors: list[FieldError] = []
    data: dict[str, Any] = {"code": _code(raw, row, errors, _MEASURE_CODE_MAX)}
    data["grade"] = _choice(raw.get("grade"), MeasureGrade, "grade", "unknown_grade", "适用等级", row, errors)
    data["area"] = _choice(raw.get("area"), MeasureArea, "area", "unknown_area", "措施领域", row, errors)
    data["title"] = _required_text(raw, "title", row, errors, _MAX_LENGTHS["title"])
    data["description"] = _text(raw.get("description"))
    _clean_sampling_ratio(raw, data, row, errors)
    freq_text = _text(raw.get("visit_frequency"))
    data["visit_frequency"] = None
    if freq_text:
        try:
            freq = int(freq_text)
            if not 0 <= freq <= 366:
                raise ValueError
        except ValueError:
            errors.append(FieldError("visit_frequency", "bad_visit_frequency", "年度监管频次须为0到366之间的整数", row))
        else:
            data["visit_frequency"] = freq
            if data["area"] and data["area"] != MeasureArea.DAILY_SUPERVISION:
                errors.append(
                    FieldError(
                        "visit_frequency", "visit_frequency_wrong_area", "监管频次只适用于“日常监管”领域的措施", row
                    )
                )
    _clean_review_and_facilitations(raw, data, row, errors)
    return data, errors


def clean_checklist_item(raw: Mapping[str, Any], *, row: int | None = None) -> tuple[dict[str, Any], list[FieldError]]:
    """One checklist item from loose input (form, YAML row) → model field values and errors."""
    errors: list[FieldError] = []
    code = _required_text(raw, "code", row, errors, _MAX_LENGTHS["code"], CHECKLIST_ITEM_FIELDS)
    if code and not _CODE_RE.match(code):
        errors.append(FieldError("code", "bad_code", f"项目编号“{code}”只能由字母、数字、点、横线和下划线组成", row))
    data: dict[str, Any] = {"code": code}
    data["question"] = _choice(
        raw.get("question"), ChecklistQuestion, "question", "unknown_question", "督查事项", row, errors
    )
    data["title"] = _required_text(raw, "title", row, errors, 300, CHECKLIST_ITEM_FIELDS)
    data["standard"] = _text(raw.get("standard"))
    return data, errors


def list_code_error(code: str) -> str:
    """Why a partner list code is not acceptable ("" when it is): lower-case letters, digits, underscores."""
    if not code or len(code) > 40 or not set(code) <= LIST_CODE_CHARS or not code[0].isalpha():
        return "名单代码应为以字母开头的小写字母、数字和下划线，至多40个字符"
    return ""


def clean_joint_measure(raw: Mapping[str, Any], *, row: int | None = None) -> tuple[dict[str, Any], list[FieldError]]:
    """One joint measure from loose input (form, YAML row) → model field values and errors; its decision
    parameters are checked as a measure's."""
    errors: list[FieldError] = []
    data: dict[str, Any] = {"code": _code(raw, row, errors, _MEASURE_CODE_MAX)}
    data["list_code"] = _text(raw.get("list_code"))
    problem = list_code_error(data["list_code"])
    if problem:
        errors.append(FieldError("list_code", "bad_list_code", problem, row))
    data["list_title"] = _required_text(raw, "list_title", row, errors, 100)
    data["list_kind"] = _choice(
        raw.get("list_kind"), PartnerListKind, "list_kind", "unknown_list_kind", "名单类别", row, errors
    )
    data["area"] = _choice(raw.get("area"), MeasureArea, "area", "unknown_area", "措施领域", row, errors)
    data["title"] = _required_text(raw, "title", row, errors, _MAX_LENGTHS["title"])
    data["description"] = _text(raw.get("description"))
    classes = raw.get("for_classes") or []
    if isinstance(classes, str):
        classes = [part for part in re.split(r"[;；,，、\s]+", classes) if part]
    if not isinstance(classes, list | tuple):
        classes = [classes]
    data["for_classes"] = []
    for value in classes:
        slug = _choice(value, MeasureGrade, "for_classes", "unknown_class", "适用等级", row, errors)
        if slug and slug not in data["for_classes"]:
            data["for_classes"].append(slug)
    _clean_sampling_ratio(raw, data, row, errors)
    _clean_review_and_facilitations(raw, data, row, errors)
    return data, errors


def _clean_sampling_ratio(raw: Mapping[str, Any], data: dict[str, Any], row: int | None, errors: list) -> None:
    """The sampling rate of a measure or a joint measure (DecisionParameters): 0–1 or a percentage."""
    ratio_text = _text(raw.get("sampling_ratio")).rstrip()
    data["sampling_ratio"] = None
    if ratio_text:
        percent = ratio_text.endswith("%")
        try:
            ratio = Decimal(ratio_text.rstrip("%").strip())
            if percent:
                ratio = ratio / 100
            if not ratio.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors.append(FieldError("sampling_ratio", "bad_sampling_ratio", f"抽批比例“{ratio_text}”须为数字", row))
        else:
            if not Decimal(0) <= ratio <= Decimal(1):
                errors.append(
                    FieldError("sampling_ratio", "bad_sampling_ratio", "抽批比例须在0到1（0%–100%）之间", row)
                )
            elif ratio != ratio.quantize(Decimal("0.0001")):
                errors.append(FieldError("sampling_ratio", "bad_sampling_ratio", "抽批比例最多精确到0.01%", row))
            else:
                data["sampling_ratio"] = ratio.quantize(Decimal("0.0001")).normalize()
            if data["area"] and data["area"] not in SAMPLING_AREAS:
                errors.append(
                    FieldError(
                        "sampling_ratio", "sampling_ratio_wrong_area", "抽批比例只适用于“申报放行”和“检验检疫”领域", row
                    )
                )


def _clean_review_and_facilitations(
    raw: Mapping[str, Any], data: dict[str, Any], row: int | None, errors: list
) -> None:
    """The document review and the facilitations of a measure or a joint measure (None: not set)."""
    review_text = _text(raw.get("document_review"))
    data["document_review"] = ""
    if review_text and review_text.lower() not in {"null", "none", "-"}:
        review = _choice(
            review_text, DocumentReview, "document_review", "unknown_document_review", "审单方式", row, errors
        )
        data["document_review"] = review or ""
    for name in FACILITATIONS:
        value = raw.get(name)
        text = _text(value).lower()
        data[name] = (
            None if value is None or text in {"", "null", "none", "-"} else parse_bool(value, name, row, errors)
        )
    if data["area"] == MeasureArea.DAILY_SUPERVISION:
        for name in ("document_review", *FACILITATIONS):
            if data[name] not in (None, ""):
                label = MEASURE_FIELDS[name]
                errors.append(FieldError(name, f"{name}_wrong_area", f"“{label}”不适用于“日常监管”领域的措施", row))


def clean_precedence(raw: Any) -> tuple[dict[str, str], list[FieldError]]:
    """The precedence of a measure list (None: the reference); every rule must name one of its choices."""
    if raw in (None, ""):
        return dict(REFERENCE_PRECEDENCE), []
    if not isinstance(raw, Mapping):
        return {}, [
            FieldError("precedence", "bad_precedence", "措施竞合规则须为映射（sampling_rate、document_review…）")
        ]
    errors: list[FieldError] = []
    data = dict(REFERENCE_PRECEDENCE)
    for key, value in raw.items():
        rule = PRECEDENCE_RULES.get(str(key))
        if rule is None:
            errors.append(FieldError(f"precedence.{key}", "bad_precedence", f"“{key}”不是已知的措施竞合规则"))
            continue
        label = PRECEDENCE_LABELS[str(key)]
        choice = _choice(value, rule, f"precedence.{key}", "bad_precedence", f"{label}竞合规则", None, errors)
        if choice:
            data[str(key)] = choice
    return data, errors


def duplicate_code_errors(rows: Iterable[tuple[int | None, str]]) -> list[FieldError]:
    """(row, code) pairs → one error per repeated code, naming the row that used it first."""
    seen: dict[str, int | None] = {}
    errors = []
    for row, code in rows:
        if not code:
            continue
        if code in seen:
            where = f"（首次出现在第{seen[code]}行）" if seen[code] is not None else ""
            errors.append(FieldError("code", "duplicate_code", f"编号“{code}”重复{where}", row))
        else:
            seen[code] = row
    return errors


# ---- rule-set parameters: pydantic errors in Chinese, with Chinese field paths ----

PARAM_LABELS: dict[str, str] = {
    "period": "评定周期",
    "months": "月数",
    "start_month": "起始月",
    "start_day": "起始日",
    "bands": "分值区间",
    "min_points": "最低分",
    "max_points": "最高分",
    "grade": "等级",
    "aa": "AA级条件",
    "months_at_a": "连续A级月数",
    "clean_years": "无质量安全事故年数",
    "max_declaration_error_rate": "报检差错率上限",
    "other_regulators_clean_months": "其他部门无失信记录月数",
    "keep_max_points": "保持AA级的最高分",
    "immediate_downgrade": "即时降级",
    "threshold": "分值门槛",
    "steps": "降级级数",
    "floor": "最低降至",
    "controlled": "同时布控",
    "serious_list": "严重失信企业名单",
    "serious_penalised_only": "仅计受行政处罚的严重失信分值",
    "notice_before_report": "上报前书面告知",
    "defence": "企业陈述申辩期",
    "answer": "答复期",
    "hq_report_day_of_month": "每月上报总局日",
    "removal_clean_months": "移出名单所需无违规月数",
    "new_enterprise": "新企业",
    "no_business": "无业务企业",
    "action": "处理方式",
    "fallback_grade": "无既往等级时的等级",
    "confirmation_window": "初评确认期",
    "adjustment_window": "初评调整期",
    "collection_deadline": "采集时限",
    "review_deadline": "审核确认时限",
    "notice_delivery": "书面告知书送达期限",
    "notice_electronic_delivery": "电子送达：发送至企业账户后视为送达的期限",
    "objection": "企业异议",
    "window": "提出异议期限（信息对企业可见之日起）",
    "review": "审核期限（提出或申请之日起）",
    "adjustment": "评定结果调整规则",
    "rules": "规则",
    "from_grades": "可调整的初评等级",
    "to_grades": "可调整为",
    "max_steps": "最多调整级数",
    "department_kinds": "可调整的部门类别",
    "tracking": "跟踪落实",
    "report_deadline": "执行情况报送时限",
    "answer_deadline": "执行机构说明整改时限",
    "forward_deadline": "直属局审核反馈时限",
    "acknowledge_deadline": "总局业务司局确认时限",
    "confidence": "查验比例容许偏差的置信水平",
    "min_cell_decisions": "按月判定查验比例的最少决定数",
    "departments": "各领域主管业务司局",
    "approval": "审批许可",
    "declaration_release": "申报放行",
    "inspection": "检验检疫",
    "daily_supervision": "日常监管",
    "repair": "信用修复",
    "clean_months": "申请前须无失信记录的月数",
    "reapply_months": "申请未获通过后再次申请的间隔月数",
    "disclosure": "信息公开",
    "public_grades": "向社会公开的信用等级",
    "days": "天数",
    "unit": "日单位",
}


def param_path_label(loc: Iterable[Any]) -> str:
    parts = []
    for part in loc:
        if isinstance(part, int) or (isinstance(part, str) and part.isdigit()):
            parts.append(f"第{int(part) + 1}项")
        else:
            parts.append(PARAM_LABELS.get(str(part), str(part)))
    return " › ".join(parts) or "评定参数"


def _param_message(err: Mapping[str, Any]) -> str:
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    if kind == "greater_than_equal":
        return f"不能小于{ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"不能大于{ctx.get('le')}"
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return "须为整数"
    if kind in {"decimal_parsing", "decimal_type", "float_parsing"}:
        return "须为数字"
    if kind in {"bool_parsing", "bool_type"}:
        return "须为是/否"
    if kind == "literal_error":
        return f"须为以下之一：{ctx.get('expected', '')}"
    if kind == "extra_forbidden":
        return "不是已知参数"
    if kind == "missing":
        return "缺少此参数"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return "须为一组参数（映射）"
    if kind in {"tuple_type", "list_type"}:
        return "须为列表"
    if kind == "value_error":
        return str(err.get("msg", "")).removeprefix("Value error, ")
    return str(err.get("msg", ""))


def clean_params(params: Any) -> tuple[dict[str, Any], list[FieldError]]:
    """Validate rule-set params; return them normalized (defaults filled, JSON-ready) or the errors."""
    if not isinstance(params, Mapping):
        return {}, [FieldError("params", "bad_params", "评定参数须为一组参数（YAML 映射）")]
    try:
        parsed = RuleSetParams.model_validate(dict(params))
    except ValidationError as exc:
        errors = []
        for err in exc.errors():
            loc = err.get("loc", ())
            path = ".".join(str(p) for p in loc) or "params"
            errors.append(FieldError(path, "bad_params", f"{param_path_label(loc)}：{_param_message(err)}"))
        return {}, errors
    return parsed.model_dump(mode="json"), []


def clean_cases_yaml(text: str) -> list[FieldError]:
    """The cases' format is the rating engine's (ciqcredit.rules.cases); it reports every problem by line.

    Whether the cases pass is checked at publication, against the parameters then in the draft.
    """
    from ciqcredit.rules.cases import CaseFormatError, parse_cases

    try:
        parse_cases(text or "")
    except CaseFormatError as exc:
        errors = []
        for err in exc.errors:
            case = f"用例“{err['case']}”：" if err.get("case") else ""
            errors.append(FieldError("cases_yaml", "rule_case_format", f"{case}{err['message']}", err.get("line")))
        return errors
    return []


def parse_params_yaml(text: str) -> tuple[dict[str, Any], list[FieldError]]:
    try:
        loaded = yaml.safe_load(text or "") or {}
    except yaml.YAMLError as exc:
        return {}, [FieldError("params", "bad_params_yaml", f"评定参数不是有效的 YAML：{exc}")]
    return clean_params(loaded)
