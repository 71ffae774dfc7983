"""Forms of the supervision pages: they read and check input; the services decide."""

import datetime as dt

from django import forms

from ciqcredit.catalogue.choices import PlanKind
from ciqcredit.organizations.access import organization_choices
from ciqcredit.organizations.models import User
from ciqcredit.oversight.models import PlanMode, Verdict
from ciqcredit.oversight.services import last_period

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    return last_period(PlanKind.QUARTERLY, today)


class PeriodForm(forms.Form):
    # Chosen from a list by name; the value stays a code, so a code outside the user's scope (a hand-made
    # address) reaches the selector and answers 404 rather than silently showing the user's own figures.
    org = forms.CharField(label="机构", required=False, max_length=6, widget=forms.Select)
    start = forms.DateField(label="期间起", widget=DATE)
    end = forms.DateField(label="期间止", widget=DATE)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        # The organizations within the user's scope, by name (the filters' "all" entry left out: figures are one
        # organization's, its own subtree included); none chosen is the user's own organization.
        self.fields["org"].widget.choices = organization_choices(user)[1:]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError("期间止不能早于期间起")
        return data


class PlanForm(forms.Form):
    mode = forms.ChoiceField(label="方式", choices=PlanMode.choices)
    kind = forms.ChoiceField(label="类别", choices=PlanKind.choices)
    title = forms.CharField(label="计划名称（可不填，按期间自动命名）", required=False, max_length=200)
    period_start = forms.DateField(label="督查期间起", widget=DATE)
    period_end = forms.DateField(label="督查期间止", widget=DATE)
    offices = forms.MultipleChoiceField(label="被检查单位", widget=forms.CheckboxSelectMultiple)
    inspectors = forms.MultipleChoiceField(label="检查人员", widget=forms.CheckboxSelectMultiple, required=False)
    extra_items = forms.CharField(
        label="本单位增加的检查项目（每行一项：编号｜检查内容｜评判标准）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, offices=(), inspectors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offices"].choices = [(o.code, f"{o.name}（{o.code}）") for o in offices]
        self.fields["inspectors"].choices = [(u.username, u.full_name or u.username) for u in inspectors]

    def clean_extra_items(self) -> list[dict[str, str]]:
        items = []
        for n, line in enumerate(self.cleaned_data["extra_items"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("|", "｜").split("｜")]
            if len(parts) < 2 or not parts[0] or not parts[1]:
                raise forms.ValidationError(f"第{n}行应为“编号｜检查内容｜评判标准”")
            items.append({"code": parts[0], "title": parts[1], "standard": parts[2] if len(parts) > 2 else ""})
        return items


class JudgeForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    verdict = forms.ChoiceField(label="检查结果", choices=Verdict.choices, widget=forms.RadioSelect)
    notes = forms.CharField(label="检查情况", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label="证明材料", required=False)


class SubmitForm(forms.Form):
    conclusion = forms.CharField(label="检查结论", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.FileField(label="证明材料", required=False)


class DecisionForm(forms.Form):
    reason = forms.CharField(label="验收意见（退回须填写）", required=False, widget=forms.Textarea(attrs={"rows": 2}))
