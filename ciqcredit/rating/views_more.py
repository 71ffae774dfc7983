"""Rating pages for HQ's what-if, AA applications and batches, and key enterprises with their files."""

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ciqcredit import clock
from ciqcredit.enterprises.selectors import enterprise_get_for_user
from ciqcredit.enterprises.types import EnterpriseType
from ciqcredit.errors import DomainError
from ciqcredit.organizations.access import org_scope_q, organization_get_for_user
from ciqcredit.organizations.roles import Role
from ciqcredit.pages import page
from ciqcredit.rating.aa import aa_apply, aa_batch_approve, aa_batch_create
from ciqcredit.rating.keyfiles import (
    key_enterprise_add,
    key_entry_get_for_user,
    key_file_entry_create,
    key_interview_done,
    key_rule_create,
)
from ciqcredit.rating.models import (
    AAApplication,
    AABatch,
    KeyEnterprise,
    KeyEnterpriseRule,
    KeyFile,
    KeyFileEntry,
)
from ciqcredit.rating.rulesets import ruleset_by_number
from ciqcredit.rating.whatif import ROWS, require_whatif_user, whatif_cell, whatif_matrix
from ciqcredit.rules.params import GRADES_DESC


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@page()
def whatif(request: HttpRequest) -> HttpResponse:
    from ciqcredit.catalogue.models import RuleSetVersion

    require_whatif_user(request.user)
    versions = RuleSetVersion.objects.order_by("-number")[:20]
    number = request.GET.get("version", "")
    result, matrix_rows = None, []
    if number.isdigit():
        try:
            result = whatif_matrix(
                ruleset=ruleset_by_number(int(number)),
                user=request.user,
                period_end=_date(request.GET.get("period_end", "")),
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
def whatif_cell_view(request: HttpRequest) -> HttpResponse:
    number = request.GET.get("version", "0")
    rows = whatif_cell(
        ruleset=ruleset_by_number(int(number) if number.isdigit() else 0),
        user=request.user,
        current=request.GET.get("from", ""),
        new=request.GET.get("to", ""),
        period_end=_date(request.GET.get("period_end", "")),
        offset=max(int(request.GET.get("offset", "0") or 0), 0),
    )
    return render(
        request,
        "rating/_whatif_cell.html",
        {"rows": rows, "current": request.GET.get("from", ""), "new": request.GET.get("to", "")},
    )


@page()
def aa(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "apply":
                enterprise = enterprise_get_for_user(user, request.POST.get("credit_code", "").strip().upper())
                application = aa_apply(
                    enterprise=enterprise,
                    clean_years_ok=request.POST.get("clean_years_ok") == "on",
                    other_regulators_clean_months=int(request.POST.get("other_regulators_clean_months") or 0),
                    notes=request.POST.get("notes", ""),
                    actor=user,
                )
                messages.success(
                    request, "已受理AA级申请：" + ("符合全部条件" if application.eligible else "部分条件不符合")
                )
            elif action == "batch":
                ids = [int(i) for i in request.POST.getlist("applications") if i.isdigit()]
                batch = aa_batch_create(applications=list(AAApplication.objects.filter(pk__in=ids)), actor=user)
                messages.success(request, f"已建立{batch.number}")
            elif action == "approve":
                batch = AABatch.objects.get(pk=int(request.POST.get("batch", "0")))
                aa_batch_approve(batch=batch, actor=user)
                messages.success(request, f"{batch.number}已批准发布")
        except (DomainError, AABatch.DoesNotExist, ValueError) as exc:
            messages.error(request, getattr(exc, "message", "请求无效"))
        return redirect("rating:aa")
    applications = AAApplication.objects.filter(org_scope_q(user, "enterprise__registering_org")).select_related(
        "enterprise", "batch"
    )[:200]
    return render(
        request,
        "rating/aa.html",
        {
            "applications": applications,
            "batches": AABatch.objects.all()[:50],
            "may_apply": user.has_role(Role.BUREAU_CREDIT),
            "is_hq_admin": user.has_role(Role.HQ_ADMIN) and user.is_hq,
        },
    )


@page()
def key_enterprises(request: HttpRequest) -> HttpResponse:
    user = request.user
    may_define = user.is_hq and user.has_role(Role.HQ_ADMIN, Role.HQ_RULES)
    if request.method == "POST" and may_define:
        try:
            if request.POST.get("action") == "add":
                enterprise = enterprise_get_for_user(user, request.POST.get("credit_code", "").strip().upper())
                key_enterprise_add(
                    enterprise=enterprise,
                    department=request.POST.get("department", ""),
                    reason=request.POST.get("reason", ""),
                    actor=user,
                )
                messages.success(request, f"已将{enterprise.name}确定为重点企业")
            else:
                org_code = request.POST.get("org", "")
                rule = key_rule_create(
                    department=request.POST.get("department", ""),
                    name=request.POST.get("name", ""),
                    types=request.POST.getlist("types"),
                    organization=organization_get_for_user(user, org_code) if org_code else None,
                    actor=user,
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
def key_files(request: HttpRequest, credit_code: str) -> HttpResponse:
    user = request.user
    enterprise = enterprise_get_for_user(user, credit_code.strip().upper())
    if request.method == "POST":
        try:
            if request.POST.get("action") == "interview_done":
                entry = key_entry_get_for_user(user, int(request.POST.get("entry", "0")))
                key_interview_done(
                    entry=entry,
                    held_on=_date(request.POST.get("held_on", "")) or clock.today(),
                    content=request.POST.get("content", ""),
                    actor=user,
                )
            else:
                key_file_entry_create(
                    enterprise=enterprise,
                    file=request.POST.get("file", ""),
                    entry_date=_date(request.POST.get("entry_date", "")) or clock.today(),
                    title=request.POST.get("title", ""),
                    content=request.POST.get("content", ""),
                    attachments=request.FILES.getlist("attachments"),
                    actor=user,
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
