from django import forms

from ciqcredit.catalogue.choices import PartnerListKind
from ciqcredit.partners.models import Partner, PartnerKind
from ciqcredit.sharing.models import SharedField, SharedList


class PartnerForm(forms.Form):
    code = forms.CharField(label="合作部门代码", max_length=6, help_text="6位数字，不与检验检疫机构代码重复")
    name = forms.CharField(label="合作部门名称", max_length=100)
    kind = forms.ChoiceField(label="部门类别", choices=PartnerKind.choices)


class PartnerListForm(forms.Form):
    partner = forms.ModelChoiceField(label="合作部门", queryset=Partner.objects.select_related("organization"))
    code = forms.CharField(
        label="名单代码", max_length=40, help_text="小写字母、数字和下划线，如 court_dishonest_debtors"
    )
    title = forms.CharField(label="名单名称", max_length=100)
    kind = forms.ChoiceField(label="名单类别", choices=PartnerListKind.choices)


class AgreementForm(forms.Form):
    partner = forms.ModelChoiceField(label="合作部门", queryset=Partner.objects.select_related("organization"))
    lists = forms.MultipleChoiceField(label="共享名单", choices=SharedList.choices, widget=forms.CheckboxSelectMultiple)
    shared_fields = forms.MultipleChoiceField(
        label="共享字段", choices=SharedField.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    purpose = forms.CharField(label="用途", max_length=300)
    valid_from = forms.DateField(label="起始日期", widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(
        label="截止日期（含当日）", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=300)


class LogFilterForm(forms.Form):
    partner = forms.CharField(label="合作部门代码", max_length=6, required=False)
    date_from = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    allowed = forms.ChoiceField(label="结果", choices=[("", "全部"), ("yes", "准予"), ("no", "拒绝")], required=False)
