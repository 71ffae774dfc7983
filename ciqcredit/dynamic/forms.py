"""Page forms of dynamic management: they only parse input; the services decide."""

from django import forms

from ciqcredit.dynamic.models import CaseKind, CaseStatus, DeliveryMethod

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what <input type=date> accepts


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + CaseStatus.choices)
    kind = forms.ChoiceField(label="类别", required=False, choices=[("", "全部")] + CaseKind.choices)
    open = forms.BooleanField(label="只看未结案件", required=False)


class DeliveryForm(forms.Form):
    method = forms.ChoiceField(label="送达方式", choices=DeliveryMethod.choices)
    delivered_on = forms.DateField(label="送达日期", widget=DATE)
    recipient = forms.CharField(label="签收人", max_length=100)
    proof_file = forms.FileField(label="送达回证（扫描件）")


class DefenceForm(forms.Form):
    received_on = forms.DateField(label="受理申辩日期", widget=DATE)
    text = forms.CharField(label="申辩意见摘要", widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label="申辩材料", required=False)


class AnswerForm(forms.Form):
    answered_on = forms.DateField(label="答复日期", widget=DATE)
    answer = forms.CharField(label="答复意见", widget=forms.Textarea(attrs={"rows": 3}))
    upheld = forms.BooleanField(label="申辩理由成立（撤销本案）", required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


class RemovalApplyForm(forms.Form):
    rectification = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 3}))
    accepted_on = forms.DateField(label="受理日期", widget=DATE)


class BatchCreateForm(forms.Form):
    month = forms.DateField(label="所属月份（任一日期）", widget=DATE)
