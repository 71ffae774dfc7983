"""A rating rule set as people read and edit it: labelled tables of its parameters and cases, and a form.

YAML stays the exchange format (export, import); pages show the same data as tables in Chinese, and a draft's
parameters are edited field by field. The labels are those of validation.PARAM_LABELS, so an error message,
a comparison and a table name a parameter alike.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from ciqcredit.catalogue.validation import PARAM_LABELS, param_path_label
from ciqcredit.organizations.roles import DepartmentKind
from ciqcredit.rules.params import REFERENCE_PARAMS

GRADE_CHOICES = [(g, f"{g}级") for g in ("AA", "A", "B", "C", "D")]
UNIT_LABELS = {"calendar": "日历日", "working": "工作日"}
ACTION_LABELS = {"keep_previous": "保持上一周期等级", "fixed_grade": "评为规定等级"}
GRADE_KEYS = frozenset({"grade", "floor", "fallback_grade"})
RECORD_STATUS_LABELS = {
    "effective": "已生效",
    "superseded": "已被取代",
    "revoked": "已撤销",
    "corrected": "已更正",
    "draft": "草稿",
    "awaiting_confirmation": "待审核确认",
}
CASE_KIND_LABELS = {"periodic": "周期评定", "dynamic": "动态管理"}
DYNAMIC_ACTION_LABELS = {"downgrade": "即时降级", "control": "布控", "serious_list": "列入严重失信企业名单"}
DEPARTMENT_LABELS = dict(DepartmentKind.choices)
BAND_ROWS_EXTRA = 1  # one empty band row to add a band
ADJUSTMENT_PATH = ("adjustment", "rules")  # edited as rows of the form, not as a scalar parameter
ADJUSTMENT_FROM_CHOICES = GRADE_CHOICES
ADJUSTMENT_TO_CHOICES = GRADE_CHOICES[1:4]  # D comes only from the serious list, AA only from HQ's AA batches


def _is_period(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"days", "unit"}


def _value_text(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if key in GRADE_KEYS and isinstance(value, str):
        return f"{value}级"
    if key == "action":
        return ACTION_LABELS.get(value, str(value))
    if key.endswith("_rate"):
        return f"{Decimal(str(value)) * 100:g}%"
    return str(value)


def _leaves(params: dict[str, Any], path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    """Every scalar parameter with its path, except the bands and the periods (shown as their own tables)."""
    found = []
    for key, value in params.items():
        here = (*path, key)
        if key == "bands" and not path or _is_period(value) or isinstance(value, list):
            continue
        if isinstance(value, dict):
            found += _leaves(value, here)
        else:
            found.append((here, value))
    return found


def _lists(params: dict[str, Any], path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], list]]:
    """Parameters that are lists of rules (the adjustment rules): shown as sentences; the form edits the
    adjustment rules as rows and keeps any other list as it is."""
    found = []
    for key, value in params.items():
        if isinstance(value, list) and (path or key != "bands"):
            found.append(((*path, key), value))
        elif isinstance(value, dict) and not _is_period(value):
            found += _lists(value, (*path, key))
    return found


def _rule_text(rule: Any) -> str:
    if not isinstance(rule, dict):
        return str(rule)
    grades = "、".join(f"{g}级" for g in rule.get("from_grades", []))
    targets = "、".join(f"{g}级" for g in rule.get("to_grades", []))
    kinds = "、".join(DEPARTMENT_LABELS.get(k, k) for k in rule.get("department_kinds", []))
    return f"{grades}可调整为{targets}，最多{rule.get('max_steps')}级，由{kinds}调整"


def _periods(params: dict[str, Any], path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], dict]]:
    found = []
    for key, value in params.items():
        if _is_period(value):
            found.append(((*path, key), value))
        elif isinstance(value, dict):
            found += _periods(value, (*path, key))
    return found


def _band_points(low: int, high: int | None) -> str:
    if high is None:
        return f"{low} 分及以上"
    return f"{low} 分" if low == high else f"{low}–{high} 分"


def params_tables(params: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """Bands, periods and conditions of a rule set's parameters, labelled in Chinese."""
    bands = sorted(params.get("bands", []), key=lambda b: b["min_points"])
    return {
        "bands": [
            {
                "points": _band_points(b["min_points"], b["max_points"]),
                "grade": f"{b['grade']}级",
            }
            for b in bands
        ],
        "periods": [
            {"label": param_path_label(path), "days": str(p["days"]), "unit": UNIT_LABELS.get(p["unit"], p["unit"])}
            for path, p in _periods(params)
        ],
        "conditions": [
            {
                "section": PARAM_LABELS.get(path[0], path[0]) if len(path) > 1 else "通用",
                "label": param_path_label(path[1:] or path),
                "value": _value_text(path[-1], value),
            }
            for path, value in _leaves(params)
        ]
        + [
            {
                "section": PARAM_LABELS.get(path[0], path[0]),
                "label": f"第{i}条",
                "value": _rule_text(rule),
            }
            for path, rules in _lists(params)
            for i, rule in enumerate(rules, start=1)
        ],
    }


# ---- cases ----


def _record_text(record: Any) -> str:
    flags = [
        text
        for flag, text in (
            (record.serious, "严重"),
            (record.penalised, "受行政处罚"),
            (record.enters_blacklist, "直接列入名单"),
            (not record.responsible, "非责任主体"),
        )
        if flag
    ]
    status = "" if record.status == "effective" else f"，{RECORD_STATUS_LABELS.get(record.status, record.status)}"
    act = f"，同一行为 {record.act}" if record.act else ""
    return f"{record.points} 分{'（' + '、'.join(flags) + '）' if flags else ''}{act}{status}"


def _inputs_text(case: Any) -> list[str]:
    shown = []
    if case.kind == "periodic":
        shown.append(f"上一等级：{case.previous_grade + '级' if case.previous_grade else '无'}")
        if case.new_enterprise:
            shown.append("新企业")
        if not case.had_business:
            shown.append("本周期无业务")
    else:
        shown.append(f"现行等级：{case.current_grade + '级' if case.current_grade else '无'}")
        if case.controlled:
            shown.append("已布控")
        if case.downgraded_this_period:
            shown.append("本周期已即时降级")
    if case.serious_listed:
        shown.append("已列入严重失信企业名单")
    if case.period_end:
        shown.append(f"周期截至 {case.period_end:%Y-%m-%d}")
    return shown


def _expect_text(expect: dict[str, Any]) -> list[str]:
    from ciqcredit.rules.grading import PERIODIC_RULE_LABELS

    shown = []
    if "grade" in expect:
        shown.append(f"等级 {expect['grade']}级" if expect["grade"] else "无等级")
    if "rule" in expect:
        shown.append(PERIODIC_RULE_LABELS.get(expect["rule"], expect["rule"]))
    if "points" in expect:
        shown.append(f"计分 {expect['points']}")
    if "serious_points" in expect:
        shown.append(f"严重违法计分 {expect['serious_points']}")
    if "controlled" in expect:
        shown.append("布控" if expect["controlled"] else "不布控")
    if "actions" in expect:
        actions = [
            DYNAMIC_ACTION_LABELS.get(a.get("kind"), a.get("kind"))
            + (f"（{a.get('from') or '无'} → {a['to']}）" if a.get("to") else "")
            for a in expect["actions"]
        ]
        shown.append("措施：" + ("、".join(actions) if actions else "无"))
    return shown


def ruleset_cases_raw(cases_yaml: str) -> list[dict[str, Any]]:
    """The cases as the mappings written in the file (only what they set), for the case form."""
    import yaml

    try:
        loaded = yaml.safe_load(cases_yaml or "") or []
    except yaml.YAMLError:
        return []
    return [case if isinstance(case, dict) else {} for case in loaded] if isinstance(loaded, list) else []


def cases_table(cases_yaml: str) -> tuple[list[dict[str, Any]], str]:
    """The cases as rows (name, kind, inputs, records, expected outcome); an error text if they do not parse."""
    from ciqcredit.rules.cases import CaseFormatError, parse_cases

    try:
        cases = parse_cases(cases_yaml or "")
    except CaseFormatError as exc:
        return [], exc.message
    return [
        {
            "position": position,
            "name": case.name,
            "kind": CASE_KIND_LABELS.get(case.kind, case.kind),
            "inputs": _inputs_text(case),
            "records": [_record_text(r) for r in case.records],
            "expect": _expect_text(case.expect),
        }
        for position, case in enumerate(cases, start=1)
    ], ""


# ---- the parameters form ----


def _field_name(path: tuple[str, ...]) -> str:
    return "p__" + "__".join(path)


class RuleSetParamsForm(forms.Form):
    """One field per parameter of the draft, and rows of point bands (an empty row adds one, a cleared row
    removes it). `params()` rebuilds the nested parameters for the service, which validates them."""

    def __init__(self, *args: Any, params: dict[str, Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.base = params
        bands = sorted(params.get("bands", []), key=lambda b: b["min_points"])
        self.band_count = len(bands) + BAND_ROWS_EXTRA
        for i in range(self.band_count):
            band = bands[i] if i < len(bands) else {}
            self.fields[f"band_{i}_min"] = forms.IntegerField(
                label=f"第{i + 1}区间 最低分", required=False, min_value=0, initial=band.get("min_points")
            )
            self.fields[f"band_{i}_max"] = forms.IntegerField(
                label=f"第{i + 1}区间 最高分（空为无上限）", required=False, min_value=0, initial=band.get("max_points")
            )
            self.fields[f"band_{i}_grade"] = forms.ChoiceField(
                label=f"第{i + 1}区间 等级",
                required=False,
                choices=[("", "—"), *GRADE_CHOICES[1:]],
                initial=band.get("grade"),
            )
        for path, period in _periods(params):
            label = param_path_label(path)
            self.fields[_field_name((*path, "days"))] = forms.IntegerField(
                label=f"{label} 天数", min_value=0, initial=period["days"]
            )
            self.fields[_field_name((*path, "unit"))] = forms.ChoiceField(
                label=f"{label} 日单位", choices=list(UNIT_LABELS.items()), initial=period["unit"]
            )
        for path, value in _leaves(params):
            self.fields[_field_name(path)] = self._scalar_field(path, value)
        self._add_adjustment_rows(params)

    def _add_adjustment_rows(self, params: dict[str, Any]) -> None:
        """The adjustment rules as rows: the rules there are, one empty row to add one (and as many more as
        「再增加一条」 asked for); a row is removed by ticking 删除."""
        stored = params.get("adjustment", {}).get("rules")
        rules = list(REFERENCE_PARAMS.model_dump(mode="json")["adjustment"]["rules"] if stored is None else stored)
        asked = self.data.get("adjustment_row_count") if self.is_bound else None
        count = len(rules) + 1
        if asked and str(asked).isdigit():
            count = max(count, min(int(asked), len(rules) + 20))
        if self.is_bound and "more_adjustment" in self.data:
            count += 1
        self.adjustment_count = count
        self.fields["adjustment_row_count"] = forms.IntegerField(
            widget=forms.HiddenInput, initial=count, required=False
        )
        for i in range(count):
            rule = rules[i] if i < len(rules) else {}
            n = i + 1
            self.fields[f"adj_{i}_from"] = forms.MultipleChoiceField(
                label=f"第{n}条 可调整的初评等级",
                choices=ADJUSTMENT_FROM_CHOICES,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=list(rule.get("from_grades", [])),
            )
            self.fields[f"adj_{i}_to"] = forms.MultipleChoiceField(
                label=f"第{n}条 可调整为",
                choices=ADJUSTMENT_TO_CHOICES,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=list(rule.get("to_grades", [])),
            )
            self.fields[f"adj_{i}_steps"] = forms.IntegerField(
                label=f"第{n}条 最多调整级数",
                required=False,
                min_value=1,
                max_value=4,
                initial=rule.get("max_steps"),
            )
            self.fields[f"adj_{i}_kinds"] = forms.MultipleChoiceField(
                label=f"第{n}条 可调整的部门类别",
                choices=DepartmentKind.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=list(rule.get("department_kinds", [])),
            )
            self.fields[f"adj_{i}_delete"] = forms.BooleanField(label=f"删除第{n}条", required=False)

    @staticmethod
    def _scalar_field(path: tuple[str, ...], value: Any) -> forms.Field:
        label, key = param_path_label(path), path[-1]
        if isinstance(value, bool):
            return forms.BooleanField(label=label, required=False, initial=value)
        if key in GRADE_KEYS:
            return forms.ChoiceField(label=label, choices=GRADE_CHOICES, initial=value)
        if key == "action":
            return forms.ChoiceField(label=label, choices=list(ACTION_LABELS.items()), initial=value)
        if isinstance(value, int):
            return forms.IntegerField(label=label, initial=value)
        try:
            return forms.DecimalField(label=label, initial=Decimal(str(value)))
        except InvalidOperation:
            return forms.CharField(label=label, initial=value, max_length=100)

    def band_rows(self) -> list[list[forms.BoundField]]:
        return [[self[f"band_{i}_{part}"] for part in ("min", "max", "grade")] for i in range(self.band_count)]

    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("p__")]

    def adjustment_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "number": i + 1,
                "fields": [self[f"adj_{i}_{part}"] for part in ("from", "to", "steps", "kinds")],
                "delete": self[f"adj_{i}_delete"],
            }
            for i in range(self.adjustment_count)
        ]

    def _adjustment_row_used(self, i: int) -> bool:
        data = self.cleaned_data
        if data.get(f"adj_{i}_delete"):
            return False
        return any(data.get(f"adj_{i}_{part}") for part in ("from", "to", "steps", "kinds"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        for i in range(self.adjustment_count):
            if not self._adjustment_row_used(i):
                continue
            for part, message in (
                ("from", "请至少选择一个可调整的初评等级"),
                ("to", "请至少选择一个可调整为的等级"),
                ("steps", "请填写最多调整级数（1–4）"),
                ("kinds", "请至少选择一个可调整的部门类别"),
            ):
                if not data.get(f"adj_{i}_{part}") and f"adj_{i}_{part}" not in self.errors:
                    self.add_error(f"adj_{i}_{part}", message)
        return data

    def _adjustment_rules(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        self._adjustment_rows_used = [i for i in range(self.adjustment_count) if self._adjustment_row_used(i)]
        return [
            {
                "from_grades": list(data[f"adj_{i}_from"]),
                "to_grades": list(data[f"adj_{i}_to"]),
                "max_steps": data[f"adj_{i}_steps"],
                "department_kinds": list(data[f"adj_{i}_kinds"]),
            }
            for i in self._adjustment_rows_used
        ]

    def params(self) -> dict[str, Any]:
        data = self.cleaned_data
        result: dict[str, Any] = {}
        for name, value in data.items():
            if not name.startswith("p__"):
                continue
            path = name.removeprefix("p__").split("__")
            node = result
            for part in path[:-1]:
                node = node.setdefault(part, {})
            node[path[-1]] = str(value) if isinstance(value, Decimal) else value
        result.setdefault("adjustment", {})["rules"] = self._adjustment_rules()
        for keys, value in _lists(self.base):
            if keys == ADJUSTMENT_PATH:
                continue
            node = result
            for part in keys[:-1]:
                node = node.setdefault(part, {})
            node[keys[-1]] = value
        result["bands"] = [
            {"min_points": data[f"band_{i}_min"], "max_points": data[f"band_{i}_max"], "grade": data[f"band_{i}_grade"]}
            for i in range(self.band_count)
            if data.get(f"band_{i}_min") is not None
        ]
        return result

    def add_service_error(self, path: str, message: str) -> None:
        """A service error on `serious_list.defence.days` lands on its field, one on `adjustment.rules.0.to_grades`
        on its row's field; band and other errors on the form."""
        parts = tuple(path.split("."))
        name = _field_name(parts)
        if parts[:2] == ADJUSTMENT_PATH and len(parts) > 3 and parts[2].isdigit():
            used = getattr(self, "_adjustment_rows_used", [])
            index = int(parts[2])
            short = {"from_grades": "from", "to_grades": "to", "max_steps": "steps", "department_kinds": "kinds"}
            if index < len(used) and parts[3] in short:
                name = f"adj_{used[index]}_{short[parts[3]]}"
        self.add_error(name if name in self.fields else None, message)
