"""The enterprise's side of its applications, in the portal (`@portal_page`, its own enterprise only):
credit repair (信用修复) and the online AA application with the eligibility rules and which of them it meets."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from ciqcredit.actors import Actor
from ciqcredit.portal.access import PortalRequest, portal_page, portal_submit
from ciqcredit.rating.models import AAApplication, AARequest
from ciqcredit.rating.services.aa import aa_open_application, aa_request_conditions, aa_request_submit
from ciqcredit.repair.selectors import applications_visible_to, repair_progress, repair_standing
from ciqcredit.repair.services import repair_apply


class RepairForm(forms.Form):
    rectification = forms.CharField(label="整改情况", max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    evidence = forms.FileField(label="整改证明材料（可选）", required=False)


@portal_page
def repair_page(request: PortalRequest) -> HttpResponse:
    enterprise = request.enterprise
    form = RepairForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            if portal_submit(
                request,
                lambda: repair_apply(
                    enterprise=enterprise,
                    rectification=form.cleaned_data["rectification"],
                    evidence=form.cleaned_data["evidence"],
                    actor=Actor.of(request.user),
                ),
                "信用修复申请已提交，请等待受理机构审核",
            ):
                return redirect("portal_repair:repair")
        else:
            messages.error(request, "请填写整改情况")
    standing = repair_standing(enterprise)
    history = applications_visible_to(request.user).select_related("removal")[:20]
    return render(
        request,
        "repair/portal_repair.html",
        {"standing": standing, "form": form, "history": [(a, repair_progress(a, standing)) for a in history]},
    )


class AAForm(forms.Form):
    clean_years_ok = forms.BooleanField(label="近年未发生质量安全事故、索赔或纠纷", required=False)
    other_regulators_clean_months = forms.IntegerField(
        label="在商务、海关、税务等部门连续无失信记录的月数", min_value=0, max_value=1200, required=False
    )
    statement = forms.CharField(
        label="申请说明（可选）", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


@portal_page
def aa_page(request: PortalRequest) -> HttpResponse:
    """The AA conditions of the rule set in force, each with whether the enterprise meets it (the two facts only
    people can attest as the enterprise states them); submitting feeds the bureau's AA procedure."""
    enterprise = request.enterprise
    form = AAForm(request.POST if request.method == "POST" else None)
    facts = form.cleaned_data if form.is_valid() else {}
    clean_years_ok = bool(facts.get("clean_years_ok"))
    months = facts.get("other_regulators_clean_months") or 0
    if request.method == "POST" and form.is_valid() and request.POST.get("action") == "submit":
        if portal_submit(
            request,
            lambda: aa_request_submit(
                enterprise=enterprise,
                clean_years_ok=clean_years_ok,
                other_regulators_clean_months=months,
                statement=facts.get("statement", ""),
                actor=Actor.of(request.user),
            ),
            "AA级申请已提交，由备案机构核实后受理",
        ):
            return redirect("portal_repair:aa")
    conditions, ruleset_version = aa_request_conditions(
        enterprise, clean_years_ok=clean_years_ok, other_regulators_clean_months=months
    )
    open_application = aa_open_application(enterprise)
    return render(
        request,
        "repair/portal_aa.html",
        {
            "form": form,
            "conditions": conditions if open_application is None else open_application.conditions,
            "all_hold": all(c.holds for c in conditions),
            "open_application": open_application,
            "ruleset_version": ruleset_version,
            "requests": AARequest.objects.filter(enterprise=enterprise).select_related("application")[:10],
            "applications": AAApplication.objects.filter(enterprise=enterprise).select_related("batch")[:10],
        },
    )
