"""Forms of the collection pages. They only parse input; the services decide."""

from django import forms
from django.urls import reverse_lazy

from ciqcredit.collection.choices import RecordStatus, Route
from ciqcredit.enterprises.codes import code_error, normalize_org_code
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.enterprises.types import EnterpriseType

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what <input type=date> accepts


def _enterprise_code(text: str) -> str:
    """A typed credit code, or a 9-character organization code resolved to its enterprise's credit code; a code
    typed wrong is refused here with what is wrong, so the collector never reads "not registered" for a typo."""
    text = text.strip().upper()
    if not text:
        return text
    error = code_error(text)
    if error is not None:
        raise forms.ValidationError(error[1], code=error[0])
    if len(text) == 18:
        return text
    found = Enterprise.objects.filter(org_code=normalize_org_code(text)).values_list("credit_code", flat=True).first()
    if found is None:
        raise forms.ValidationError(f"组织机构代码为 {text} 的企业尚未纳入企业名录", code="enterprise_not_registered")
    return found


class RecordForm(forms.Form):
    required_css_class = "required"

    route = forms.ChoiceField(label="采集途径", choices=[c for c in Route.choices if c[0] != Route.ECIQ])
    credit_code = forms.CharField(
        label="被采集企业（收发货人）统一社会信用代码或组织机构代码",
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "size": "24",
                "list": "enterprise-choices",
                "placeholder": "输入代码或企业名称查找",
                "hx-get": reverse_lazy("enterprises:lookup"),
                "hx-trigger": "input changed delay:300ms, load",
                "hx-target": "#enterprise-lookup",
            }
        ),
    )
    agent_credit_code = forms.CharField(label="同时涉及的代理报检企业（如有）", max_length=20, required=False)
    responsible = forms.ChoiceField(
        label="检验检疫机构认定的责任企业",
        choices=[("principal", "收发货人（上面的企业）"), ("agent", "代理报检企业")],
        initial="principal",
        required=False,
    )
    item_code = forms.ChoiceField(label="信用信息采集条目")
    act_ref = forms.CharField(
        label="失信行为标识（同一行为多条目时填写相同标识；空白取业务关联号）",
        max_length=60,
        required=False,
    )
    association_no = forms.CharField(
        label="业务关联号（J/W 类保持空白，保存时自动编号）",
        max_length=40,
        required=False,
    )
    declarant_responsible = forms.BooleanField(label="涉及报检员责任", required=False)
    declarant_no = forms.CharField(label="报检员备案号", max_length=30, required=False)
    occurred_on = forms.DateField(label="发生日期", widget=DATE)
    discovered_on = forms.DateField(label="发现日期", widget=DATE)
    verified_on = forms.DateField(label="查实日期", widget=DATE)
    description = forms.CharField(
        label="失信行为详情", widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=2000
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item_code"].choices = [("", "请选择")] + [
            (i.code, f"{i.code} {i.name}（{i.points}分）") for i in items
        ]

    def clean_credit_code(self) -> str:
        return _enterprise_code(self.cleaned_data["credit_code"])

    def clean_agent_credit_code(self) -> str:
        return _enterprise_code(self.cleaned_data["agent_credit_code"])

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        agent = data["agent_credit_code"].strip().upper()
        principal = data["credit_code"].strip().upper()
        responsible = ""
        if agent:
            responsible = agent if data["responsible"] == "agent" else principal
        return {
            "route": data["route"],
            "credit_code": principal,
            "agent_credit_code": agent,
            "responsible_credit_code": responsible,
            "item_code": data["item_code"],
            "act_ref": data["act_ref"],
            "association_no": data["association_no"],
            "declarant_responsible": data["declarant_responsible"],
            "declarant_no": data["declarant_no"],
            "occurred_on": data["occurred_on"],
            "discovered_on": data["discovered_on"],
            "verified_on": data["verified_on"],
            "description": data["description"],
        }


class SubjectForm(forms.Form):
    """ "Register the subject first" (§三(三)), inline in the collection form."""

    credit_code = forms.CharField(label="统一社会信用代码", max_length=18)
    name = forms.CharField(label="名称", max_length=200)
    types = forms.MultipleChoiceField(
        label="企业类型",
        choices=EnterpriseType.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class ExclusionForm(forms.Form):
    subject_name = forms.CharField(label="责任主体", max_length=200)
    subject_identifier = forms.CharField(label="主体标识（船名、车牌、证件号等）", max_length=60, required=False)
    item_code = forms.CharField(label="条目编号", max_length=30, required=False)
    association_no = forms.CharField(label="业务关联号", max_length=40, required=False)
    occurred_on = forms.DateField(label="发生日期", widget=DATE, required=False)
    reason = forms.CharField(label="不适合纳入的理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=500)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}), max_length=500)


class SearchForm(forms.Form):
    q = forms.CharField(label="企业名称、信用代码或业务关联号", required=False, max_length=100)
    item_code = forms.CharField(label="条目编号", required=False, max_length=30)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *RecordStatus.choices])
    route = forms.ChoiceField(label="采集途径", required=False, choices=[("", "全部途径"), *Route.choices])
    late = forms.ChoiceField(
        label="逾期",
        required=False,
        choices=[("", "全部"), ("1", "录入或审核逾期"), ("0", "均按期")],
    )
    occurred_from = forms.DateField(label="发生日期自", required=False, widget=DATE)
    occurred_to = forms.DateField(label="至", required=False, widget=DATE)

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "text": data["q"],
            "item_code": data["item_code"],
            "status": data["status"],
            "route": data["route"],
            "late": {"1": True, "0": False}.get(data["late"]),
            "occurred_from": data["occurred_from"],
            "occurred_to": data["occurred_to"],
        }
