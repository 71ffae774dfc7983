"""Forms of the HQ editing pages. They only collect input: cleaning and checks are the services' (validation.py),
whose field errors are put back on the form by `apply_errors`."""

from typing import Any

from django import forms

from ciqcredit.catalogue.choices import (
    AssociationKind,
    Category,
    Collection,
    DocumentReview,
    MeasureArea,
    MeasureGrade,
    PartnerListKind,
    Stage,
)
from ciqcredit.enterprises.types import EnterpriseType
from ciqcredit.errors import DomainError

_BLANK = [("", "（无）")]


class _Tristate(forms.NullBooleanSelect):
    """是 / 否 / 不设定 (None: the measure does not set the parameter)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", "（不设定）"), ("true", "是"), ("false", "否")]


_TRISTATE = _Tristate()


class VersionForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    notes = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ItemForm(forms.Form):
    code = forms.CharField(label="条目编号", max_length=20)
    name = forms.CharField(label="条目名称", max_length=200)
    category = forms.ChoiceField(label="类别", choices=Category.choices)
    description = forms.CharField(label="失信行为描述", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(label="法律依据", max_length=300, required=False)
    points = forms.IntegerField(label="失信计分", min_value=0)
    serious = forms.BooleanField(label="严重失信行为", required=False)
    enters_blacklist = forms.BooleanField(label="直接列入严重失信企业名单", required=False)
    enterprise_types = forms.MultipleChoiceField(
        label="适用企业类型（不选：全部类型）",
        choices=EnterpriseType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    department = forms.CharField(label="主管业务司局", max_length=50)
    collection = forms.ChoiceField(label="采集方式", choices=Collection.choices)
    stage = forms.ChoiceField(label="采集环节（e-CIQ 条目必填）", choices=_BLANK + Stage.choices, required=False)
    association_kind = forms.ChoiceField(label="业务关联号", choices=AssociationKind.choices)
    declarant_required = forms.BooleanField(label="须录入报检员备案号", required=False)


class DecisionParametersForm(forms.Form):
    """The fields a measure and a joint measure share (the models' DecisionParameters, with code, area, title);
    each kind adds its own and orders them."""

    code = forms.CharField(label="措施编号", max_length=30)
    area = forms.ChoiceField(label="措施领域", choices=MeasureArea.choices)
    title = forms.CharField(label="措施名称", max_length=200)
    description = forms.CharField(label="措施内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    sampling_ratio = forms.CharField(label="抽批比例（如 30% 或 0.3，仅申报放行、检验检疫）", required=False)
    document_review = forms.ChoiceField(label="审单方式", choices=_BLANK + DocumentReview.choices, required=False)
    priority = forms.NullBooleanField(label="优先办理", required=False, widget=_TRISTATE)
    green_channel = forms.NullBooleanField(label="绿色通道", required=False, widget=_TRISTATE)
    paperless = forms.NullBooleanField(label="无纸化", required=False, widget=_TRISTATE)


class MeasureForm(DecisionParametersForm):
    grade = forms.ChoiceField(label="适用等级", choices=MeasureGrade.choices)
    visit_frequency = forms.IntegerField(label="年度监管频次（次/年，仅日常监管）", required=False, min_value=0)

    field_order = ["code", "grade", "area", "title", "description", "sampling_ratio", "visit_frequency"]


class JointMeasureForm(DecisionParametersForm):
    list_code = forms.CharField(label="合作部门名单代码", max_length=40)
    list_title = forms.CharField(label="名单名称", max_length=100)
    list_kind = forms.ChoiceField(label="名单类别", choices=PartnerListKind.choices)
    for_classes = forms.MultipleChoiceField(
        label="适用等级（不选：名单内全部企业）",
        choices=MeasureGrade.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = ["code", "list_code", "list_title", "list_kind", "area", "title", "description", "for_classes"]


class ImportForm(forms.Form):
    file = forms.FileField(label="文件（.xlsx / .yaml）")


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回理由", widget=forms.Textarea(attrs={"rows": 3}))


class PublishForm(forms.Form):
    effective_from = forms.DateField(
        label="生效日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


def apply_errors(form: forms.Form, exc: DomainError) -> list[dict[str, Any]]:
    """Put a service's field errors on the form; return those that belong to no field of it."""
    errors = exc.details.get("errors", []) if isinstance(exc.details, dict) else []
    if not errors:
        field = exc.details.get("field") if isinstance(exc.details, dict) else None
        if field in form.fields:
            form.add_error(field, exc.message)
            return []
        form.add_error(None, exc.message)
        return []
    rest = []
    for err in errors:
        field = err.get("field", "")
        if field in form.fields:
            form.add_error(field, err["message"])
        else:
            rest.append(err)
            form.add_error(None, err["message"])
    return rest
