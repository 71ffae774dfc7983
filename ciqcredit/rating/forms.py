"""The input of every rating page, as Django forms (field names are those the templates post)."""

from django import forms

from ciqcredit.rules.params import GRADES_DESC


class ListField(forms.Field):
    """Every value of a repeated field (`<input name=codes>` several times, checkboxes, a multiple select)."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, digits: bool = False, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.digits = digits

    def to_python(self, value) -> list:
        values = [str(v).strip() for v in (value or []) if str(v).strip()]
        if self.digits:  # ids: what is not a number cannot name a row
            return [int(v) for v in values if v.isdigit()]
        return values


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None) -> list:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


def _code(value: str) -> str:
    return (value or "").strip().upper()


class CreditCodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 18)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value) -> str:
        return _code(super().to_python(value) or "")


# --- Evaluation runs, confirmation, adjustment -------------------------------------------------------------


class RunStartForm(forms.Form):
    period_end = forms.DateField(
        error_messages={
            "required": "请按 YYYY-MM-DD 填写评定周期截止日",
            "invalid": "请按 YYYY-MM-DD 填写评定周期截止日",
        }
    )


class ConfirmForm(forms.Form):
    scope = forms.CharField(required=False)  # "filter": everything the filters select; otherwise `codes`
    org = forms.CharField(required=False)
    grade = forms.CharField(required=False)
    codes = ListField()

    @property
    def by_filter(self) -> bool:
        return self.cleaned_data["scope"] == "filter"


class AdjustForm(forms.Form):
    credit_code = forms.CharField(required=False, max_length=18)
    grade = forms.CharField(required=False, max_length=2)
    reason = forms.CharField(required=False)
    next = forms.CharField(required=False)


class GradeOnForm(forms.Form):
    on = forms.DateField(required=False, error_messages={"invalid": "日期格式应为 YYYY-MM-DD"})


# --- What-if -------------------------------------------------------------------------------------------------


class WhatIfForm(forms.Form):
    version = forms.IntegerField(required=False, min_value=1)
    period_end = forms.DateField(required=False)


class WhatIfCellForm(WhatIfForm):
    # "from" is a Python keyword: the form reads it as `current` (see __init__).
    current = forms.ChoiceField(required=False, choices=[("", ""), *((g, g) for g in GRADES_DESC)])
    to = forms.ChoiceField(required=False, choices=[("", ""), *((g, g) for g in GRADES_DESC)])
    offset = forms.IntegerField(required=False, min_value=0)

    def __init__(self, data=None, **kwargs):
        if data is not None:
            data = data.copy()
            data["current"] = data.get("from", "")
        super().__init__(data, **kwargs)


# --- AA -----------------------------------------------------------------------------------------------------


class AAApplyForm(forms.Form):
    credit_code = CreditCodeField()
    clean_years_ok = forms.BooleanField(required=False)
    other_regulators_clean_months = forms.IntegerField(required=False, min_value=0)
    notes = forms.CharField(required=False)


class AARequestReviewForm(forms.Form):
    request = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    clean_years_ok = forms.BooleanField(required=False)
    other_regulators_clean_months = forms.IntegerField(required=False, min_value=0, max_value=1200)
    reason = forms.CharField(required=False, max_length=2000)


class AABatchForm(forms.Form):
    applications = ListField(digits=True)


class AABatchApproveForm(forms.Form):
    batch = forms.IntegerField()


# --- Key enterprises and their files ------------------------------------------------------------------------


class KeyEnterpriseAddForm(forms.Form):
    credit_code = CreditCodeField()
    department = forms.CharField(required=False)
    reason = forms.CharField(required=False)


class KeyRuleForm(forms.Form):
    department = forms.CharField(required=False)
    name = forms.CharField(required=False)
    types = ListField()
    org = forms.CharField(required=False)


class KeyInterviewDoneForm(forms.Form):
    entry = forms.IntegerField()
    held_on = forms.DateField(required=False)
    content = forms.CharField(required=False)


class KeyFileEntryForm(forms.Form):
    file = forms.CharField(required=False)
    entry_date = forms.DateField(required=False)
    title = forms.CharField(required=False)
    content = forms.CharField(required=False)
    attachments = MultipleFileField()


def first_error(form: forms.Form) -> str:
    """The first message of an invalid form, for the page's message bar."""
    for errors in form.errors.values():
        return str(errors[0])
    return "请求无效"
