"""The supervision checklist of a draft as forms: one item at a time (added, edited, removed and moved on the
version's page through catalogue.editing), and the schedule of plans as rows (an empty row adds one, 删除 removes
one) with the rectification period (checklist.checklist_schedule_update)."""

from typing import Any

from django import forms
from django.forms import formset_factory

from ciqcredit.catalogue.checklist import SCHEDULE_LEVELS, SCHEDULE_MODES
from ciqcredit.catalogue.choices import ChecklistQuestion, PlanKind
from ciqcredit.catalogue.models import ChecklistVersion


class ChecklistForm(forms.Form):
    rectification_days = forms.IntegerField(label="整改期限（自然日）", min_value=1, max_value=365)


class ChecklistItemForm(forms.Form):
    code = forms.CharField(label="项目编号", max_length=20)
    question = forms.ChoiceField(label="督查事项", choices=ChecklistQuestion.choices)
    title = forms.CharField(label="检查内容", max_length=300)
    standard = forms.CharField(label="评判标准", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ScheduleRow(forms.Form):
    kind = forms.ChoiceField(label="计划类别", choices=PlanKind.choices)
    inspector_level = forms.ChoiceField(label="组织层级", choices=list(SCHEDULE_LEVELS.items()))
    mode = forms.ChoiceField(label="方式", choices=list(SCHEDULE_MODES.items()))
    open_after_days = forms.IntegerField(label="期末后开启天数", min_value=0, max_value=90)


ScheduleRows = formset_factory(ScheduleRow, extra=1, can_delete=True)


def schedule_rows(schedule: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The schedule as people read it."""
    return [
        {
            "kind": dict(PlanKind.choices).get(entry.get("kind", ""), "—"),
            "level": SCHEDULE_LEVELS.get(entry.get("inspector_level", ""), "—"),
            "mode": SCHEDULE_MODES.get(entry.get("mode", "inspection"), "—"),
            "days": str(entry.get("open_after_days", 0)),
        }
        for entry in schedule
    ]


class ScheduleEditor:
    """The schedule's rows and the rectification period of a draft, saved together."""

    def __init__(self, data: Any, *, version: ChecklistVersion):
        self.form = ChecklistForm(data, initial={"rectification_days": version.rectification_days})
        self.schedule = ScheduleRows(data, prefix="schedule", initial=list(version.schedule))

    def is_valid(self) -> bool:
        return all([self.form.is_valid(), self.schedule.is_valid()])

    def content(self) -> dict[str, Any]:
        rows = [
            {k: v for k, v in row.cleaned_data.items() if k != "DELETE"}
            for row in self.schedule.forms
            if row.cleaned_data and not row.cleaned_data.get("DELETE")
        ]
        return {"schedule": rows, "rectification_days": self.form.cleaned_data["rectification_days"]}
