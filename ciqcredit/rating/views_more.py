"""Rating pages for HQ's what-if, AA applications and batches, and key enterprises with their files."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.enterprises.selectors import enterprise_get_for_user
from ciqcredit.enterprises.types import EnterpriseType
from ciqcredit.errors import DomainError
from ciqcredit.organizations.access import org_scope_q, organization_get_for_user
from ciqcredit.organizations.roles import Role
from ciqcredit.pages import AuthedRequest, page
from ciqcredit.rating.forms import (
    AAApplyForm,
    AABatchApproveForm,
    AABatchForm,
    AARequestReviewForm,
    KeyEnterpriseAddForm,
    KeyFileEntryForm,
    KeyInterviewDoneForm,
    KeyRuleForm,
    WhatIfCellForm,
    WhatIfForm,
    first_error,
)
from ciqcredit.rating.models import (
    AAApplication,
    AABatch,
    AARequest,
    AARequestStatus,
    KeyEnterprise,
    KeyEnterpriseRule,
    KeyFile,
    KeyFileAttachment,
    KeyFileEntry,
)
from ciqcredit.rating.rulesets import ruleset_by_number
from ciqcredit.rating.services.aa import (
    aa_apply,
    aa_batch_approve,
    aa_batch_create,
    aa_request_accept,
    aa_request_reject,
)
from ciqcredit.rating.services.keyfiles import (
    key_enterprise_add,
    key_entry_get_for_user,
    key_file_entry_create,
    key_interview_done,
    key_rule_create,
)
from ciqcredit.rating.whatif import ROWS, require_whatif_user, whatif_cell, whatif_matrix
from ciqcredit.rules.params import GRADES_DESC


@page()
def whatif(request: AuthedRequest) -> HttpResponse:
    from ciqcredit.catalogue.models import RuleSetVersion

    require_whatif_user(request.user)
    versions = RuleSetVersion.objects.order_by("-number")[:20]
    form = WhatIfForm(request.GET)
    valid = form.is_valid()
    number = request.GET.get("version", "")  # echoed back to the version picker as typed
    result, matrix_rows = None, []
    if valid and form.cleaned_data["version"]:
        try:
            result = whatif_matrix(
                ruleset=ruleset_by_number(form.cleaned_data["version"]),
                user=request.user,
                period_end=form.cleaned_data["period_end"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            for current in ROWS:
                row = result.matrix.get(current, {})
                matrix_rows.append(
                    {"current": current, "cells": [(g, row.get(g, 0)) for g in GRADES_DESC], "total": sum(row.values())}
                )
    return render(
        request,
        "rating/whatif.html",
        {"versions": versions, "number": number, "result": result, "rows": matrix_rows, "grades": GRADES_DESC},
    )


@page()
def whatif_cell_view(request: AuthedRequest) -> HttpResponse:
    form = WhatIfCellForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    current, new = data.get("current", ""), data.get("to", "")
    rows = whatif_cell(
        ruleset=ruleset_by_number(data.get("version") or 0),
        user=request.user,
        current=current,
        new=new,
        period_end=data.get("period_end"),
        offset=data.get("offset") or 0,
    )
    return render(request, "rating/_whatif_cell.html", {"rows": rows, "current": current, "new": new})


@page()
def aa(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST" and request.POST.get("action") in ("request_accept", "request_reject"):
        return _aa_request_review(request)
    if request.method == "POST":
        action = request.POST.get("action")  # which of the page's forms was sent
        form_class = {"apply": AAApplyForm, "batch": AABatchForm, "approve": AABatchApproveForm}.get(action or "")
        form = form_class(request.POST) if form_class else None
        if form is None or not form.is_valid():
            messages.error(request, first_error(form) if form is not None else "请求无效")
            return redirect("rating:aa")
        data = form.cleaned_data
        try:
            if action == "apply":
                enterprise = enterprise_get_for_user(user, data["credit_code"])
                application = aa_apply(
                    enterprise=enterprise,
                    clean_years_ok=data["clean_years_ok"],
                    other_regulators_clean_months=data["other_regulators_clean_months"] or 0,
                    notes=data["notes"],
                    actor=Actor.of(user),
                )
                messages.success(
                    request, "已受理AA级申请：" + ("符合全部条件" if application.eligible else "部分条件不符合")
                )
            elif action == "batch":
                chosen = list(AAApplication.objects.filter(pk__in=data["applications"]))
                batch = aa_batch_create(applications=chosen, actor=Actor.of(user))
                messages.success(request, f"已建立{batch.number}")
            else:
                batch = AABatch.objects.get(pk=data["batch"])
                aa_batch_approve(batch=batch, actor=Actor.of(user))
                messages.success(request, f"{batch.number}已批准发布")
        except (DomainError, AABatch.DoesNotExist) as exc:
            messages.error(request, getattr(exc, "message", "请求无效"))
        return redirect("rating:aa")
    applications = AAApplication.objects.filter(org_scope_q(user, "enterprise__registering_org")).select_related(
        "enterprise", "batch"
    )[:200]
    online = (
        AARequest.objects.filter(status=AARequestStatus.SUBMITTED)
        .filter(org_scope_q(user, "enterprise__registering_org"))
        .select_related("enterprise")
        .order_by("submitted_at")[:100]
    )
    return render(
        request,
        "rating/aa.html",
        {
            "online_requests": online,
            "applications": applications,
            "batches": AABatch.objects.all()[:50],
            "may_apply": user.has_role(Role.BUREAU_CREDIT),
            "is_hq_admin": user.has_role(Role.HQ_ADMIN) and user.is_hq,
        },
    )


def _aa_request_review(request: AuthedRequest) -> HttpResponse:
    """Accept (with the facts as verified) or reject an enterprise's online AA application."""
    user = request.user
    form = AARequestReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("rating:aa")
    data = form.cleaned_data
    found = (
        AARequest.objects.filter(org_scope_q(user, "enterprise__registering_org")).filter(pk=data["request"]).first()
    )
    if found is None:
        raise Http404("AA级在线申请不存在或不在您的管辖范围内")
    try:
        if request.POST.get("action") == "request_accept":
            aa_request_accept(
                request=found,
                clean_years_ok=data["clean_years_ok"],
                other_regulators_clean_months=data["other_regulators_clean_months"] or 0,
                actor=Actor.of(user),
            )
            messages.success(request, f"已受理{found.enterprise.name}的AA级在线申请，并核查条件")
        else:
            aa_request_reject(request=found, reason=data["reason"], actor=Actor.of(user))
            messages.success(request, "已不予受理")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("rating:aa")


@page()
def key_enterprises(request: AuthedRequest) -> HttpResponse:
    user = request.user
    may_define = user.is_hq and user.has_role(Role.HQ_ADMIN, Role.HQ_RULES)
    if request.method == "POST" and may_define:
        adding = request.POST.get("action") == "add"  # which of the page's forms was sent
        form = KeyEnterpriseAddForm(request.POST) if adding else KeyRuleForm(request.POST)
        form.is_valid()  # optional text fields: the services judge the values
        data = form.cleaned_data
        try:
            if adding:
                enterprise = enterprise_get_for_user(user, data["credit_code"])
                key_enterprise_add(
                    enterprise=enterprise, department=data["department"], reason=data["reason"], actor=Actor.of(user)
                )
                messages.success(request, f"已将{enterprise.name}确定为重点企业")
            else:
                rule = key_rule_create(
                    department=data["department"],
                    name=data["name"],
                    types=data["types"],
                    organization=organization_get_for_user(user, data["org"]) if data["org"] else None,
                    actor=Actor.of(user),
                )
                messages.success(request, f"已建立规则“{rule.name}”，符合规则的企业 {rule.members.count()} 家")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("rating:key")
    keys = (
        KeyEnterprise.objects.filter(active=True)
        .filter(org_scope_q(user, "enterprise__registering_org"))
        .select_related("enterprise", "rule")
        .order_by("department", "enterprise__name")[:500]
    )
    return render(
        request,
        "rating/key.html",
        {
            "keys": keys,
            "rules": KeyEnterpriseRule.objects.filter(active=True),
            "may_define": may_define,
            "types": EnterpriseType.choices,
            "default_department": user.business_department,
        },
    )


@page()
@require_GET
def key_attachment(request: AuthedRequest, credit_code: str, attachment_id: int) -> FileResponse:
    """An attachment of the enterprise's key file, within the enterprise's scope."""
    enterprise = enterprise_get_for_user(request.user, credit_code.strip().upper())
    found = KeyFileAttachment.objects.filter(pk=attachment_id, entry__enterprise=enterprise).first()
    if found is None:
        raise Http404("附件不存在")
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)


@page()
def key_files(request: AuthedRequest, credit_code: str) -> HttpResponse:
    user = request.user
    enterprise = enterprise_get_for_user(user, credit_code.strip().upper())
    if request.method == "POST":
        interview = request.POST.get("action") == "interview_done"  # which of the page's forms was sent
        form = (KeyInterviewDoneForm if interview else KeyFileEntryForm)(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, first_error(form))
            return redirect("rating:key_files", credit_code=enterprise.credit_code)
        data = form.cleaned_data
        try:
            if interview:
                entry = key_entry_get_for_user(user, data["entry"])
                key_interview_done(
                    entry=entry, held_on=data["held_on"] or clock.today(), content=data["content"], actor=Actor.of(user)
                )
            else:
                key_file_entry_create(
                    enterprise=enterprise,
                    file=data["file"],
                    entry_date=data["entry_date"] or clock.today(),
                    title=data["title"],
                    content=data["content"],
                    attachments=data["attachments"],
                    actor=Actor.of(user),
                )
            messages.success(request, "已保存")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("rating:key_files", credit_code=enterprise.credit_code)
    entries = KeyFileEntry.objects.filter(enterprise=enterprise).prefetch_related("attachments")
    files = [(value, label, [e for e in entries if e.file == value]) for value, label in KeyFile.choices]
    return render(
        request,
        "rating/key_files.html",
        {
            "enterprise": enterprise,
            "files": files,
            "file_choices": KeyFile.choices,
            "is_key": KeyEnterprise.objects.filter(enterprise=enterprise, active=True).exists(),
            "today": clock.today(),
        },
    )
