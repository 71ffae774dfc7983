"""Staff pages of credit repair: the applications in scope, and one application with its review."""

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render

from ciqcredit.actors import Actor
from ciqcredit.errors import DomainError
from ciqcredit.organizations.roles import Role
from ciqcredit.pages import AuthedRequest, page
from ciqcredit.paging import page_of, query_without_page
from ciqcredit.repair.models import RepairStatus
from ciqcredit.repair.selectors import (
    application_get_for_user,
    applications_visible_to,
    repair_progress,
    repair_standing,
)
from ciqcredit.repair.services import repair_accept, repair_reject

READERS = (Role.HQ_ADMIN, Role.BUREAU_CREDIT, Role.SUPERVISOR)


class FilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *RepairStatus.choices])


@page(roles=READERS)
def application_list(request: AuthedRequest) -> HttpResponse:
    form = FilterForm(request.GET)
    rows = applications_visible_to(request.user).select_related("enterprise", "organization", "removal")
    if form.is_valid() and form.cleaned_data["status"]:
        rows = rows.filter(status=form.cleaned_data["status"])
    paged = page_of(rows.order_by("-submitted_at", "-id"), request.GET.get("page"))
    return render(
        request,
        "repair/list.html",
        {
            "form": form,
            "page_obj": paged,
            "query": query_without_page(request.GET),
            "rows": [(a, repair_progress(a)) for a in paged.object_list],
        },
    )


@page(roles=READERS)
def application_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    application = application_get_for_user(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")  # which of the page's two forms was sent
        try:
            if action == "accept":
                repair_accept(application=application, actor=Actor.of(request.user))
                messages.success(request, "已受理信用修复申请，观察期开始")
            elif action == "reject":
                reason = request.POST.get("reason", "")
                repair_reject(application=application, reason=reason, actor=Actor.of(request.user))
                messages.success(request, "已不予受理，并告知企业可再次申请的日期")
            else:
                messages.error(request, "请求无效")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("repair:application", pk=application.pk)
    standing = repair_standing(application.enterprise)
    return render(
        request,
        "repair/detail.html",
        {
            "a": application,
            "progress": repair_progress(application, standing),
            "standing": standing,
            "may_review": application.status == RepairStatus.SUBMITTED and request.user.has_role(Role.BUREAU_CREDIT),
        },
    )


@page(roles=READERS)
def application_evidence(request: AuthedRequest, pk: int) -> FileResponse:
    application = application_get_for_user(request.user, pk)
    if not application.evidence:
        raise Http404("没有证明材料")
    name = (application.evidence.name or "evidence").split("/")[-1]
    return FileResponse(application.evidence.open("rb"), as_attachment=True, filename=name)
