"""Pages of dynamic management: the case list with step deadlines, a case with its notice and step actions,
the notice PDF, and the monthly HQ batches. Every change goes through the services."""

from collections.abc import Callable
from pathlib import Path

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.dynamic import forms, services
from ciqcredit.dynamic.electronic import notice_send_electronic
from ciqcredit.dynamic.models import CLOSED_STATUSES, CaseKind, CaseStatus, DynamicCase, RemovalStatus
from ciqcredit.dynamic.pdf import notice_pdf_response
from ciqcredit.dynamic.removal import records_in_observation
from ciqcredit.dynamic.selectors import (
    batch_get_for_user,
    batches_visible_to,
    case_get_for_user,
    case_list,
    case_steps,
    notice_get_for_user,
    notices_overdue,
    overdue_counts_by_organization,
)
from ciqcredit.dynamic.workflow import defence_due
from ciqcredit.errors import DomainError
from ciqcredit.organizations.roles import Level, Role
from ciqcredit.pages import AuthedRequest, page


@page()
@require_GET
def case_list_page(request: AuthedRequest) -> HttpResponse:
    form = forms.CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = list(
        case_list(
            request.user,
            status=filters.get("status", ""),
            kind=filters.get("kind", ""),
            open_only=filters.get("open", False),
        )[:200]
    )
    rows = [{"case": case, "steps": case_steps(case)} for case in cases]
    context = {
        "form": form,
        "rows": rows,
        "overdue": overdue_counts_by_organization(request.user),
        "notices_overdue": notices_overdue(request.user).count(),
    }
    return render(request, "dynamic/cases.html", context)


def _can_handle(user, case: DynamicCase) -> bool:
    return user.has_role(Role.BUREAU_CREDIT) and case.organization.is_within(user.organization)


@page()
@require_GET
def case_detail(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _case_page(request, case_get_for_user(request.user, case_id))


# The form each action posts, as the case page names it: re-shown bound after an error, so nothing typed is lost.
ACTION_FORMS: dict[str, tuple[str, type]] = {
    "deliver": ("delivery_form", forms.DeliveryForm),
    "defence": ("defence_form", forms.DefenceForm),
    "answer": ("answer_form", forms.AnswerForm),
    "cancel": ("reason_form", forms.ReasonForm),
    "removal-apply": ("removal_form", forms.RemovalApplyForm),
}


def _case_page(request: AuthedRequest, case: DynamicCase, bound: dict | None = None, status: int = 200) -> HttpResponse:
    today = clock.today()
    removals = list(case.removals.all())
    pending = next((r for r in removals if r.status == RemovalStatus.ACCEPTED), None)
    # A defence is accepted while its period runs; after it, only one received within it (dated by then).
    defence_until = defence_due(case) if case.status == CaseStatus.DEFENCE_PERIOD else None
    defence_over = defence_until is not None and today > defence_until
    context = {
        "case": case,
        "notice": case.notice,
        "voided_notices": [n for n in case.notices.all() if n.voided],
        "records": case.case_records.select_related("record__item").order_by("record__occurred_on"),
        "steps": case_steps(case),
        "transitions": case.transitions.all(),
        "can_handle": _can_handle(request.user, case),
        "is_open": case.status not in CLOSED_STATUSES,
        "kind_serious": case.kind == CaseKind.SERIOUS_LIST,
        "S": CaseStatus,
        "adjust_form": forms.AdjustForm(),
        "may_adjust": case.adjust_until is not None
        and today <= case.adjust_until
        and not getattr(case.notice, "delivered", False),
        "delivery_form": forms.DeliveryForm(initial={"delivered_on": today, "method": "direct"}),
        "defence_until": defence_until,
        "defence_over": defence_over,
        "defence_form": forms.DefenceForm(initial={"received_on": defence_until if defence_over else today}),
        "answer_form": forms.AnswerForm(initial={"answered_on": today}),
        "reason_form": forms.ReasonForm(),
        "removal_form": forms.RemovalApplyForm(initial={"accepted_on": today}),
        "removals": removals,
        "pending_removal": pending,
        "dirty_records": list(records_in_observation(pending)[:20]) if pending else [],
        **(bound or {}),
    }
    return render(request, "dynamic/case.html", context, status=status)


def _deliver(request, case, data, files):
    form = forms.DeliveryForm(data, files)
    if not form.is_valid():
        raise DomainError("invalid_form", "送达信息不完整：" + "；".join(_form_errors(form)))
    services.notice_deliver(notice=case.notice, actor=Actor.of(request.user), **form.cleaned_data)
    return "已登记送达"


def _send_electronic(request, case, data, files):
    notice = notice_send_electronic(notice=case.notice, actor=Actor.of(request.user))
    return f"已发送至企业账户；企业查阅即视为送达，未查阅的{notice.electronic_due_on:%Y-%m-%d}视为送达"


def _defence(request, case, data, files):
    form = forms.DefenceForm(data, files)
    if not form.is_valid():
        raise DomainError("invalid_form", "申辩信息不完整：" + "；".join(_form_errors(form)))
    services.case_record_defence(case=case, actor=Actor.of(request.user), **form.cleaned_data)
    return "已受理申辩"


def _answer(request, case, data, files):
    form = forms.AnswerForm(data)
    if not form.is_valid():
        raise DomainError("invalid_form", "答复信息不完整：" + "；".join(_form_errors(form)))
    services.case_answer_defence(case=case, actor=Actor.of(request.user), **form.cleaned_data)
    return "已登记答复"


def _no_defence(request, case, data, files):
    services.case_record_no_defence(case=case, actor=Actor.of(request.user))
    return "已登记未申辩"


def _report(request, case, data, files):
    services.case_report_to_bureau(case=case, actor=Actor.of(request.user))
    return "已上报直属局"


def _cancel(request, case, data, files):
    form = forms.ReasonForm(data)
    services.case_cancel(case=case, reason=form.data.get("reason", ""), actor=Actor.of(request.user))
    return "案件已撤销"


def _removal_apply(request, case, data, files):
    form = forms.RemovalApplyForm(data)
    if not form.is_valid():
        raise DomainError("invalid_form", "移出申请不完整：" + "；".join(_form_errors(form)))
    services.removal_apply(case=case, actor=Actor.of(request.user), **form.cleaned_data)
    return "已受理移出申请"


def _removal_decide(request, case, data, files):
    application = case.removals.filter(status=RemovalStatus.ACCEPTED).first()
    if application is None:
        raise Http404("没有受理中的移出申请")
    services.removal_decide(application=application, actor=Actor.of(request.user))
    return "已移出严重失信企业名单"


def _removal_refuse(request, case, data, files):
    application = case.removals.filter(status=RemovalStatus.ACCEPTED).first()
    if application is None:
        raise Http404("没有受理中的移出申请")
    services.removal_refuse(application=application, reason=data.get("reason", ""), actor=Actor.of(request.user))
    return "已不予移出"


def _confirm(request, case, data, files):
    services.case_confirm(case=case, actor=Actor.of(request.user))
    return "已确认初评结果，已拟制书面告知书"


def _adjust(request, case, data, files):
    form = forms.AdjustForm(data)
    if not form.is_valid():
        raise DomainError("invalid_form", "调整信息不完整：" + "；".join(_form_errors(form)))
    services.case_adjust(case=case, actor=Actor.of(request.user), **form.cleaned_data)
    return f"已调整初评结果为{form.cleaned_data['grade']}级，已拟制书面告知书"


ACTIONS: dict[str, Callable] = {
    "confirm": _confirm,
    "adjust": _adjust,
    "deliver": _deliver,
    "send-electronic": _send_electronic,
    "defence": _defence,
    "answer": _answer,
    "no-defence": _no_defence,
    "report": _report,
    "cancel": _cancel,
    "removal-apply": _removal_apply,
    "removal-decide": _removal_decide,
    "removal-refuse": _removal_refuse,
}


def _form_errors(form) -> list[str]:
    return [
        f"{form.fields[name].label if name in form.fields else name}：{' '.join(errs)}"
        for name, errs in form.errors.items()
    ]


@page()
@require_POST
def case_action(request: AuthedRequest, case_id: int, action: str) -> HttpResponse:
    case = case_get_for_user(request.user, case_id)
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404("未知的操作")
    try:
        messages.success(request, handler(request, case, request.POST, request.FILES))
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        details = exc.details.get("errors") if isinstance(exc.details, dict) else None
        extra = "；".join(e["message"] for e in details) if details else ""
        messages.error(request, f"{exc.message}{('：' + extra) if extra else ''}")
        if action in ACTION_FORMS:  # the same page again with what was typed (a file must be chosen again)
            name, form_class = ACTION_FORMS[action]
            return _case_page(request, case, {name: form_class(request.POST)}, status=422)
    return redirect("dynamic:case", case_id=case.pk)


@page()
@require_GET
def defence_file(request: AuthedRequest, case_id: int, file_id: int) -> FileResponse:
    case = case_get_for_user(request.user, case_id)
    found = case.defence_evidence.filter(pk=file_id).first()
    if found is None:
        raise Http404("证据文件不存在")
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)


@page()
@require_GET
def notice_pdf(request: AuthedRequest, notice_id: int) -> HttpResponse:
    notice = notice_get_for_user(request.user, notice_id)
    return notice_pdf_response(notice)


@page()
@require_GET
def notice_receipt(request: AuthedRequest, notice_id: int) -> FileResponse:
    """The signed delivery receipt (送达回证) uploaded with a paper delivery, within the case's scope."""
    notice = notice_get_for_user(request.user, notice_id)
    if not notice.proof_file:
        raise Http404("没有送达回证")
    suffix = Path(notice.proof_file.name or "").suffix
    return FileResponse(notice.proof_file.open("rb"), as_attachment=True, filename=f"{notice.number}-送达回证{suffix}")


@page()
@require_http_methods(["GET", "POST"])
def batches(request: AuthedRequest) -> HttpResponse:
    user = request.user
    bureau = user.organization if user.organization.level == Level.BUREAU else None
    form = forms.BatchCreateForm(request.POST or None, initial={"month": clock.today().replace(day=1)})
    if request.method == "POST":
        if bureau is None:
            raise Http404("只有直属局可以上报批次")
        if form.is_valid():
            try:
                batch = services.hq_batch_create(bureau=bureau, month=form.cleaned_data["month"], actor=Actor.of(user))
                messages.success(request, f"已上报批次{batch.number}")
            except DomainError as exc:
                if exc.status in (403, 404):
                    raise
                messages.error(request, exc.message)
            return redirect("dynamic:batches")
    waiting = []
    if bureau is not None:
        waiting = list(
            DynamicCase.objects.filter(
                organization__path__startswith=bureau.path, status=CaseStatus.REPORTED_TO_BUREAU
            ).select_related("enterprise", "organization")
        )
    context = {
        "batches": batches_visible_to(user).prefetch_related("cases__enterprise"),
        "form": form,
        "bureau": bureau,
        "waiting": waiting,
        "can_create": bureau is not None and user.has_role(Role.BUREAU_CREDIT),
        "can_decide": user.is_hq and user.has_role(Role.HQ_ADMIN),
    }
    return render(request, "dynamic/batches.html", context)


@page()
@require_POST
def batch_action(request: AuthedRequest, batch_id: int, action: str) -> HttpResponse:
    batch = batch_get_for_user(request.user, batch_id)
    try:
        if action == "approve":
            services.hq_batch_approve(batch=batch, actor=Actor.of(request.user))
            messages.success(request, f"已批准批次{batch.number}，相关企业已列入严重失信企业名单并公布")
        elif action == "reject":
            services.hq_batch_reject(batch=batch, reason=request.POST.get("reason", ""), actor=Actor.of(request.user))
            messages.success(request, f"已不予批准批次{batch.number}")
        else:
            raise Http404("未知的操作")
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
    return redirect("dynamic:batches")
