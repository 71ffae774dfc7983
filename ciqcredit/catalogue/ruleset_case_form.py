"""One rule case of a rule-set draft as a form: the enterprise's situation, its credit records as rows, the
expected outcome (and, for dynamic cases, the expected actions as rows).

The form turns the case into the exchange format's mapping (ciqcredit.rules.cases), writing only what differs
from the format's defaults, and back; the service (editing.ruleset_case_save) checks the whole file again.
"""

import datetime as dt
from typing import Any

from django import forms
from django.forms import formset_factory

from ciqcredit.catalogue.ruleset_tables import CASE_KIND_LABELS, DYNAMIC_ACTION_LABELS, RECORD_STATUS_LABELS
from ciqcredit.rules.grading import ACTION_RULE_LABELS, PERIODIC_RULE_LABELS, REASON_LABELS

GRADES = [(g, f"{g}级") for g in ("AA", "A", "B", "C", "D")]
NO_GRADE = [("", "无")]
NOT_COMPARED = [("", "（不比较）")]
YES_NO = [("", "（不比较）"), ("true", "是"), ("false", "否")]
ADD_ROW = {"records": "add_record", "actions": "add_action"}  # the buttons that add an empty row


PERIODIC_ONLY = frozenset({"previous_grade", "new_enterprise", "had_business", "expect_rule"})
DYNAMIC_ONLY = frozenset(
    {"current_grade", "controlled", "downgraded_this_period", "expect_controlled", "expect_actions"}
)


class CaseForm(forms.Form):
    name = forms.CharField(label="用例名称", max_length=100, widget=forms.TextInput(attrs={"size": 60}))
    kind = forms.ChoiceField(label="类别", choices=list(CASE_KIND_LABELS.items()))
    period_end = forms.DateField(
        label="评定周期截止日（空：2015-10-01至2016-09-30周期）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    serious_listed = forms.BooleanField(label="已列入严重失信企业名单", required=False)
    previous_grade = forms.ChoiceField(label="上一周期等级（周期评定）", choices=NO_GRADE + GRADES, required=False)
    new_enterprise = forms.BooleanField(label="新企业（周期评定）", required=False)
    had_business = forms.BooleanField(label="本周期有业务（周期评定）", required=False, initial=True)
    current_grade = forms.ChoiceField(label="现行等级（动态管理）", choices=NO_GRADE + GRADES, required=False)
    controlled = forms.BooleanField(label="已布控（动态管理）", required=False)
    downgraded_this_period = forms.BooleanField(label="本周期已即时降级（动态管理）", required=False)
    expect_grade = forms.ChoiceField(label="预期等级", choices=NOT_COMPARED + GRADES, required=False)
    expect_rule = forms.ChoiceField(
        label="预期评定依据（周期评定）", choices=NOT_COMPARED + list(PERIODIC_RULE_LABELS.items()), required=False
    )
    expect_points = forms.IntegerField(label="预期计分（空：不比较）", min_value=0, required=False)
    expect_serious_points = forms.IntegerField(label="预期严重违法计分（空：不比较）", min_value=0, required=False)
    expect_controlled = forms.ChoiceField(label="预期布控（动态管理）", choices=YES_NO, required=False)
    expect_actions = forms.BooleanField(
        label="比较动态管理措施（下表为预期的全部措施，按顺序；表空即预期无措施）", required=False
    )

    def situation_fields(self) -> list[tuple[forms.BoundField, str]]:
        return [(f, _only(f.name)) for f in self if not f.name.startswith("expect_")]

    def expectation_fields(self) -> list[tuple[forms.BoundField, str]]:
        return [(f, _only(f.name)) for f in self if f.name.startswith("expect_")]


def _only(name: str) -> str:
    """The class that hides a field the other kind of case does not use (see catalogue.css)."""
    return "only-periodic" if name in PERIODIC_ONLY else "only-dynamic" if name in DYNAMIC_ONLY else ""


class RecordRowForm(forms.Form):
    points = forms.IntegerField(label="计分", min_value=0)
    item = forms.CharField(label="条目编号（可空）", max_length=30, required=False)
    act = forms.CharField(label="同一行为标识（可空）", max_length=30, required=False)
    occurred_on = forms.DateField(
        label="发生日期（空：周期第一天）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    status = forms.ChoiceField(label="记录状态", choices=list(RECORD_STATUS_LABELS.items()), initial="effective")
    responsible = forms.BooleanField(label="责任主体", required=False, initial=True)
    serious = forms.BooleanField(label="严重", required=False)
    penalised = forms.BooleanField(label="受行政处罚", required=False)
    enters_blacklist = forms.BooleanField(label="直接列入名单", required=False)
    expect = forms.ChoiceField(label="预期是否计入", choices=NOT_COMPARED + list(REASON_LABELS.items()), required=False)


class ActionRowForm(forms.Form):
    kind = forms.ChoiceField(label="措施", choices=list(DYNAMIC_ACTION_LABELS.items()))
    rule = forms.ChoiceField(label="依据", choices=NOT_COMPARED + list(ACTION_RULE_LABELS.items()), required=False)
    from_grade = forms.ChoiceField(label="原等级", choices=NOT_COMPARED + GRADES, required=False)
    to_grade = forms.ChoiceField(label="降至", choices=NOT_COMPARED + GRADES, required=False)
    controlled = forms.ChoiceField(label="布控", choices=YES_NO, required=False)


RecordRows = formset_factory(RecordRowForm, extra=0, can_delete=True)
ActionRows = formset_factory(ActionRowForm, extra=0, can_delete=True)

_RECORD_DEFAULTS = {
    "item": "",
    "act": "",
    "occurred_on": None,
    "status": "effective",
    "responsible": True,
    "serious": False,
    "penalised": False,
    "enters_blacklist": False,
    "expect": "",
}


def _grow(data: Any, prefix: str, button: str) -> Any:
    """The posted data with one more (empty) row when the button that adds a row was pressed."""
    if data is None or button not in data:
        return data
    data = data.copy()
    total = f"{prefix}-TOTAL_FORMS"
    data[total] = str(int(data.get(total) or 0) + 1)
    return data


class CaseEditor:
    """The case form and its two row tables, bound together; `case()` is the exchange-format mapping."""

    def __init__(self, data: Any = None, *, case: dict[str, Any] | None = None):
        case = case or {}
        self.adding_row = data is not None and any(button in data for button in ADD_ROW.values())
        self.form = CaseForm(data, initial=_case_initial(case) if case else {"kind": "periodic"})
        expect = case.get("expect") or {}
        records = [{**_RECORD_DEFAULTS, **_record_initial(r)} for r in case.get("records") or [] if isinstance(r, dict)]
        actions = [_action_initial(a) for a in expect.get("actions") or [] if isinstance(a, dict)]
        self.records = RecordRows(_grow(data, "records", ADD_ROW["records"]), prefix="records", initial=records or None)
        self.actions = ActionRows(_grow(data, "actions", ADD_ROW["actions"]), prefix="actions", initial=actions or None)
        if data is None and not records:
            self.records = RecordRows(prefix="records")
            self.records.extra = 1  # a new case starts with one empty record row

    def is_valid(self) -> bool:
        valid = all([self.form.is_valid(), self.records.is_valid(), self.actions.is_valid()])
        if valid and not self._expectations():
            self.form.add_error(None, "请至少填写一项预期结果（等级、评定依据、计分、布控或动态管理措施）")
            return False
        return valid

    def _expectations(self) -> dict[str, Any]:
        data = self.form.cleaned_data
        kind = data["kind"]
        expect: dict[str, Any] = {}
        if data["expect_grade"]:
            expect["grade"] = data["expect_grade"]
        if kind == "periodic" and data["expect_rule"]:
            expect["rule"] = data["expect_rule"]
        for key in ("points", "serious_points"):
            if data[f"expect_{key}"] is not None:
                expect[key] = data[f"expect_{key}"]
        if kind == "dynamic" and data["expect_controlled"]:
            expect["controlled"] = data["expect_controlled"] == "true"
        if kind == "dynamic" and data["expect_actions"]:
            expect["actions"] = [_action(row) for row in _kept_rows(self.actions)]
        return expect

    def case(self) -> dict[str, Any]:
        data = self.form.cleaned_data
        kind = data["kind"]
        case: dict[str, Any] = {"name": data["name"].strip()}
        if kind != "periodic":
            case["kind"] = kind
        if data["period_end"]:
            case["period_end"] = data["period_end"]
        if data["serious_listed"]:
            case["serious_listed"] = True
        if kind == "periodic":
            if data["previous_grade"]:
                case["previous_grade"] = data["previous_grade"]
            if data["new_enterprise"]:
                case["new_enterprise"] = True
            if not data["had_business"]:
                case["had_business"] = False
        else:
            if data["current_grade"]:
                case["current_grade"] = data["current_grade"]
            for key in ("controlled", "downgraded_this_period"):
                if data[key]:
                    case[key] = True
        records = [_record(row) for row in _kept_rows(self.records)]
        if records:
            case["records"] = records
        case["expect"] = self._expectations()
        return case

    def add_service_errors(self, errors: list[dict[str, Any]]) -> None:
        for err in errors:
            field = err.get("field")
            self.form.add_error(field if field in self.form.fields else None, err["message"])


def _kept_rows(formset: Any) -> list[dict[str, Any]]:
    return [row.cleaned_data for row in formset.forms if row.cleaned_data and not row.cleaned_data.get("DELETE")]


def _record(row: dict[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {"points": row["points"]}
    for key, default in _RECORD_DEFAULTS.items():
        value = row.get(key)
        if isinstance(value, str):
            value = value.strip()
        if value != default and value is not None:
            record[key] = value
    return record


def _action(row: dict[str, Any]) -> dict[str, Any]:
    action: dict[str, Any] = {"kind": row["kind"]}
    if row["rule"]:
        action["rule"] = row["rule"]
    if row["from_grade"]:
        action["from"] = row["from_grade"]
    if row["to_grade"]:
        action["to"] = row["to_grade"]
    if row["controlled"]:
        action["controlled"] = row["controlled"] == "true"
    return action


def _case_initial(case: dict[str, Any]) -> dict[str, Any]:
    expect = case.get("expect") or {}
    controlled = expect.get("controlled")
    return {
        "name": case.get("name", ""),
        "kind": case.get("kind", "periodic"),
        "period_end": _date(case.get("period_end")),
        "serious_listed": bool(case.get("serious_listed")),
        "previous_grade": case.get("previous_grade") or "",
        "new_enterprise": bool(case.get("new_enterprise")),
        "had_business": case.get("had_business", True) is not False,
        "current_grade": case.get("current_grade") or "",
        "controlled": bool(case.get("controlled")),
        "downgraded_this_period": bool(case.get("downgraded_this_period")),
        "expect_grade": expect.get("grade") or "",
        "expect_rule": expect.get("rule") or "",
        "expect_points": expect.get("points"),
        "expect_serious_points": expect.get("serious_points"),
        "expect_controlled": "" if controlled is None else ("true" if controlled else "false"),
        "expect_actions": "actions" in expect,
    }


def _record_initial(record: dict[str, Any]) -> dict[str, Any]:
    return {key: record[key] for key in (*_RECORD_DEFAULTS, "points") if key in record} | {
        "occurred_on": _date(record.get("occurred_on"))
    }


def _action_initial(action: dict[str, Any]) -> dict[str, Any]:
    controlled = action.get("controlled")
    return {
        "kind": action.get("kind"),
        "rule": action.get("rule") or "",
        "from_grade": action.get("from") or "",
        "to_grade": action.get("to") or "",
        "controlled": "" if controlled is None else ("true" if controlled else "false"),
    }


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
