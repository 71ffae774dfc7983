"""Pages of supervision (督查): the figures and the rows behind them, plans, inspection sheets, rectification
tasks and circulars. Every change goes through the services; every lookup is scoped (404 outside)."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.charts import Chart, Series
from ciqcredit.errors import DomainError, NotFound
from ciqcredit.organizations.models import Organization, User
from ciqcredit.organizations.roles import Role
from ciqcredit.oversight import forms
from ciqcredit.oversight.access import (
    READER_ROLES,
    may_answer,
    may_inspect,
    may_organize,
    plan_get_for_user,
    plans_visible,
    sheet_get_for_user,
    task_get_for_user,
    tasks_visible,
)
from ciqcredit.oversight.circulars import circular_charts, circular_publish, short_name
from ciqcredit.oversight.documents import circular_response, ranking_rows
from ciqcredit.oversight.figures import FIGURES, SECTION_LABELS, figure_label, figures_for
from ciqcredit.oversight.models import PlanStatus, SheetStatus, TaskStatus, Verdict
from ciqcredit.oversight.selectors import circular_get_for_user, circulars_visible, drill_rows, figures_organization
from ciqcredit.oversight.services import (
    plan_close,
    plan_create,
    sheet_evidence_add,
    sheet_item_judge,
    sheet_submit,
    task_accept,
    task_answer,
    task_return,
)
from ciqcredit.pages import AuthedRequest, page

ROWS_PER_PAGE = 50


def _period(request: AuthedRequest) -> tuple[forms.PeriodForm, Organization, dt.date, dt.date]:
    start, end = forms.default_period(clock.today())
    initial = {"org": request.user.organization.code, "start": start, "end": end}
    form = forms.PeriodForm(request.GET if "start" in request.GET else None, initial=initial, user=request.user)
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        organization = figures_organization(request.user, form.cleaned_data["org"])
    else:
        organization = request.user.organization
    return form, organization, start, end


def period_query(organization: Organization, start: dt.date, end: dt.date) -> str:
    return f"org={organization.code}&start={start:%Y-%m-%d}&end={end:%Y-%m-%d}"


def figure_sections(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """The figures as labelled sections of (label, value, drill key or None), for the page and the sheet."""
    sections = []
    for section, label in SECTION_LABELS.items():
        values = figures.get(section, {})
        rows = []
        for name, value in values.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                continue
            key = f"{section}.{name}"
            shown = f"{value * 100:.1f}%" if name.startswith("share") else value
            rows.append({"label": figure_label(key), "value": shown, "key": key if key in FIGURES else None})
        sections.append({"key": section, "label": label, "rows": rows})
    return sections


def collection_charts(figures: dict[str, Any]) -> list[Chart]:
    routes = figures["collection"]["by_route"]
    depts = figures["collection"]["by_department"][:12]
    return [
        Chart(
            "信用信息采集时效（按采集途径）",
            tuple(r["label"].split("（")[0] for r in routes),
            (
                Series("按时", tuple(r["collected"] - r["late"] for r in routes)),
                Series("逾期", tuple(r["late"] for r in routes)),
            ),
            unit="条",
            stacked=True,
        ),
        Chart(
            "信用信息采集时效（按部门）",
            tuple(f"{short_name(d['organization_name'])}{d['department']}" for d in depts),
            (
                Series("按时", tuple(d["collected"] - d["late"] for d in depts)),
                Series("逾期", tuple(d["late"] for d in depts)),
            ),
            unit="条",
            stacked=True,
        ),
    ]


@page(roles=READER_ROLES)
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    form, organization, start, end = _period(request)
    figures = figures_for(organization, start, end)
    user = request.user
    context = {
        "form": form,
        "organization": organization,
        "start": start,
        "end": end,
        "figures": figures,
        "sections": figure_sections(figures),
        "charts": collection_charts(figures),
        "plans": plans_visible(user).select_related("organization")[:20],
        "tasks": tasks_visible(user).select_related("office").filter(status__in=TaskStatus.values[:3])[:20],
        "circulars": circulars_visible(user)[:20],
        "may_plan": may_organize(user, user.organization),
    }
    return render(request, "oversight/home.html", context)


@page(roles=READER_ROLES)
@require_GET
def figure_rows_page(request: AuthedRequest, key: str) -> HttpResponse:
    form, organization, start, end = _period(request)
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    try:
        figure, count, rows = drill_rows(
            organization, start, end, key, offset=(number - 1) * ROWS_PER_PAGE, limit=ROWS_PER_PAGE
        )
    except DomainError as exc:
        raise NotFound("督查数据项") from exc
    context = {
        "form": form,
        "organization": organization,
        "start": start,
        "end": end,
        "key": key,
        "figure": figure,
        "count": count,
        "rows": rows,
        "page": number,
        "has_next": number * ROWS_PER_PAGE < count,
        "section_label": SECTION_LABELS[key.split(".")[0]],
    }
    return render(request, "oversight/rows.html", context)


@page(roles=(Role.SUPERVISOR, Role.BUREAU_CREDIT, Role.HQ_ADMIN))
@require_http_methods(["GET", "POST"])
def plan_new(request: AuthedRequest) -> HttpResponse:
    user = request.user
    offices = [user.organization, *user.organization.children.filter(active=True).order_by("path")]
    inspectors = list(
        User.objects.filter(organization=user.organization, is_system=False, is_active=True).order_by("username")
    )
    inspectors = [u for u in inspectors if u.has_role(Role.SUPERVISOR, Role.BUREAU_CREDIT, Role.HQ_ADMIN)]
    start, end = forms.default_period(clock.today())
    form = forms.PlanForm(
        request.POST or None,
        offices=offices,
        inspectors=inspectors,
        initial={
            "mode": "inspection",
            "kind": "quarterly",
            "period_start": start,
            "period_end": end,
            "inspectors": [user.username],
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_code = {o.code: o for o in offices}
        try:
            plan = plan_create(
                mode=data["mode"],
                kind=data["kind"],
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                offices=[by_code[c] for c in data["offices"]],
                inspectors=[u for u in inspectors if u.username in data["inspectors"]],
                extra_items=data["extra_items"],
                actor=Actor.of(user),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已制定督查计划“{plan.title}”，检查表已按被检查单位预填督查数据")
            return redirect("oversight:plan", plan.pk)
    return render(request, "oversight/plan_new.html", {"form": form})


@page(roles=READER_ROLES)
@require_http_methods(["GET", "POST"])
def plan_detail(request: AuthedRequest, plan_id: int) -> HttpResponse:
    user = request.user
    plan = plan_get_for_user(user, plan_id)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "close":
                plan_close(plan=plan, actor=Actor.of(user))
                messages.success(request, "督查计划已结束")
            elif action == "circular":
                published = circular_publish(plan=plan, actor=Actor.of(user))
                messages.success(request, f"已发布督查通报 {published.number}")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("oversight:plan", plan.pk)
    circular = getattr(plan, "circular", None)
    sheets: list[dict[str, Any]] = []
    for sheet in plan.sheets.select_related("office").prefetch_related("items"):
        verdicts = [i.verdict for i in sheet.items.all()]
        sheets.append(
            {
                "sheet": sheet,
                "judged": sum(1 for v in verdicts if v),
                "total": len(verdicts),
                "noncompliant": verdicts.count(Verdict.NONCOMPLIANT),
            }
        )
    context = {
        "plan": plan,
        "sheets": sheets,
        "circular": circular,
        "charts": circular_charts(circular.content) if circular else [],
        "ranking": ranking_rows(circular.content) if circular else [],
        "may_organize": may_organize(user, plan.organization),
        "all_submitted": all(s["sheet"].status == SheetStatus.SUBMITTED for s in sheets),
        "is_open": plan.status == PlanStatus.OPEN,
        "inspectors": plan.inspectors.all(),
        "offices": plan.offices.all(),
    }
    return render(request, "oversight/plan.html", context)


@page(roles=READER_ROLES)
@require_http_methods(["GET", "POST"])
def sheet_detail(request: AuthedRequest, sheet_id: int) -> HttpResponse:
    user = request.user
    sheet = sheet_get_for_user(user, sheet_id)
    can_fill = may_inspect(user, sheet.plan) and sheet.status == SheetStatus.OPEN and sheet.plan.status == "open"
    if request.method == "POST":
        who = Actor.of(user)
        try:
            if request.POST.get("action") == "submit":
                submit = forms.SubmitForm(request.POST)
                submit.is_valid()
                sheet_submit(sheet=sheet, conclusion=submit.cleaned_data.get("conclusion", ""), actor=who)
                messages.success(request, "检查表已提交；判定为不符合的项目已生成整改任务")
                return redirect("oversight:sheet", sheet.pk)
            judge = forms.JudgeForm(request.POST, request.FILES)
            if not judge.is_valid():
                raise DomainError("invalid_input", "请选择检查结果", status=422)
            item = sheet.items.filter(pk=judge.cleaned_data["item"]).first()
            if item is None:
                raise NotFound("检查项目")
            sheet_item_judge(
                item=item, verdict=judge.cleaned_data["verdict"], notes=judge.cleaned_data["notes"], actor=who
            )
            if judge.cleaned_data.get("evidence"):
                sheet_evidence_add(item=item, upload=judge.cleaned_data["evidence"], actor=who)
            messages.success(request, f"已保存 {item.code} 的检查结果")
        except NotFound:
            raise
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(f"{request.path}#items")
    items = list(sheet.items.prefetch_related("evidence").select_related("task"))
    context = {
        "sheet": sheet,
        "plan": sheet.plan,
        "sections": figure_sections(sheet.figures),
        "items": [
            {
                "item": i,
                "form": forms.JudgeForm(
                    initial={"item": i.pk, "verdict": i.verdict, "notes": i.notes}, prefix=f"i{i.pk}"
                ),
                "task": getattr(i, "task", None),
            }
            for i in items
        ],
        "can_fill": can_fill,
        "unjudged": sum(1 for i in items if not i.verdict),
        "submit_form": forms.SubmitForm(initial={"conclusion": sheet.conclusion}),
        "period_query": period_query(sheet.office, sheet.plan.period_start, sheet.plan.period_end),
    }
    return render(request, "oversight/sheet.html", context)


@page(roles=READER_ROLES)
@require_http_methods(["GET", "POST"])
def task_detail(request: AuthedRequest, task_id: int) -> HttpResponse:
    user = request.user
    task = task_get_for_user(user, task_id)
    if request.method == "POST":
        who = Actor.of(user)
        action = request.POST.get("action")
        try:
            if action == "answer":
                form = forms.AnswerForm(request.POST, request.FILES)
                if not form.is_valid():
                    raise DomainError("missing_answer", "请填写整改情况", status=422)
                files = [form.cleaned_data["evidence"]] if form.cleaned_data.get("evidence") else []
                task_answer(task=task, answer=form.cleaned_data["answer"], evidence=files, actor=who)
                messages.success(request, "整改情况已报送，等待检查人员验收")
            elif action in ("accept", "return"):
                decision = forms.DecisionForm(request.POST)
                decision.is_valid()
                reason = decision.cleaned_data.get("reason", "")
                if action == "accept":
                    task_accept(task=task, reason=reason, actor=who)
                    messages.success(request, "整改已验收")
                else:
                    task_return(task=task, reason=reason, actor=who)
                    messages.success(request, "已退回，整改单位须重新整改")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("oversight:task", task.pk)
    context = {
        "task": task,
        "transitions": task.transitions.all(),
        "evidence": task.evidence.all(),
        "can_answer": may_answer(user, task) and task.status in (TaskStatus.OPEN, TaskStatus.RETURNED),
        "can_decide": may_inspect(user, task.plan) and task.status == TaskStatus.ANSWERED,
        "answer_form": forms.AnswerForm(),
        "decision_form": forms.DecisionForm(),
        "overdue": task.status != TaskStatus.ACCEPTED and task.due_on < clock.today(),
    }
    return render(request, "oversight/task.html", context)


@page(roles=READER_ROLES)
@require_GET
def circular_file(request: AuthedRequest, circular_id: int, fmt: str) -> HttpResponse:
    circular = circular_get_for_user(request.user, circular_id)
    if fmt not in ("pdf", "docx"):
        raise NotFound("文件")
    return circular_response(circular, fmt)
