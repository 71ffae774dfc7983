"""Tracking pages: the worklist (with HQ's view across bureaus), an item with its decisions, form and history,
and the figures with their chart and XLSX export."""

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.catalogue.choices import MeasureArea
from ciqcredit.charts import GRADE_COLOURS, Chart, Series, ShareBar, share_chart
from ciqcredit.errors import DomainError
from ciqcredit.organizations.access import organization_choices, organization_get_for_user
from ciqcredit.organizations.models import Organization
from ciqcredit.organizations.roles import Level
from ciqcredit.pages import AuthedRequest, page
from ciqcredit.paging import page_of, query_without_page
from ciqcredit.tracking.exports import figures_xlsx
from ciqcredit.tracking.models import DeviationKind, Execution, ItemStatus
from ciqcredit.tracking.selectors import (
    TRACKING_ROLES,
    item_get_for_user,
    items_visible_to,
    items_waiting_for,
    monthly_deviations,
    tracking_figures,
    trend_months,
)
from ciqcredit.tracking.services import item_answer, item_close, item_forward, item_send_back

STATUS_LABELS = dict(ItemStatus.choices)
# Short names of the deviation kinds, for the trend chart's legend (the tables use the full ones).
KIND_SHORT = {
    DeviationKind.INSPECTED_NOT_DRAWN: "未给予便利",
    DeviationKind.RELEASED_NOT_INSPECTED: "抽中未查验",
    DeviationKind.REVIEW_STRICTER: "审单从严",
    DeviationKind.REVIEW_LOOSER: "审单从宽",
    DeviationKind.PRIORITY_NOT_GIVEN: "未优先办理",
    DeviationKind.NOT_REPORTED: "逾期未报送",
}


def deviation_trend(org: Organization, date_from: dt.date, date_to: dt.date) -> Chart:
    """执行偏差的月度趋势: deviations per month of the period (at least the last six), stacked by kind."""
    counts = monthly_deviations(org=org, months=trend_months(date_from, date_to))
    return Chart(
        "执行偏差月度趋势（按偏差类型）",
        tuple(f"{month:%Y-%m}" for month in counts),
        tuple(Series(KIND_SHORT[kind], tuple(c[kind.value] for c in counts.values())) for kind in DeviationKind),
        unit="件",
        stacked=True,
        notes=("按偏差所属月份（放行决定的业务日期）统计；至少显示截至统计期末的六个月。",),
    )


class ItemFilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *ItemStatus.choices])
    org = forms.ChoiceField(label="执行机构", required=False)
    area = forms.ChoiceField(label="措施领域", required=False, choices=[("", "全部"), *MeasureArea.choices])
    mine = forms.BooleanField(label="只看待我办理", required=False)
    overdue = forms.BooleanField(label="只看逾期", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = organization_choices(user)


@page(roles=TRACKING_ROLES)
def item_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = ItemFilterForm(request.GET, user=user)
    items = items_visible_to(user).annotate(deviation_count=Count("deviations", distinct=True))
    today = clock.today()
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            items = items.filter(status=data["status"])
        if data["org"]:
            items = items.filter(organization__path__startswith=organization_get_for_user(user, data["org"]).path)
        if data["area"]:
            items = items.filter(area=data["area"])
        if data["mine"]:
            items = items.filter(items_waiting_for(user))
        if data["overdue"]:
            items = items.exclude(status=ItemStatus.CLOSED).filter(due_on__lt=today)
    bureaus: list[dict[str, Any]] = []
    if user.organization.level == Level.HQ:  # HQ's view across bureaus: open, overdue and closed per bureau
        counts: dict[str, dict[str, Any]] = {}
        for path, status, overdue, n in (
            items_visible_to(user)
            .values_list("organization__path", "status")
            .annotate(overdue=Count("pk", filter=Q(due_on__lt=today) & ~Q(status=ItemStatus.CLOSED)), n=Count("pk"))
            .order_by()
        ):
            code = path.split("/")[1] if path.count("/") > 1 else path.split("/")[0]
            row = counts.setdefault(code, {"code": code, "open": 0, "overdue": 0, "closed": 0})
            row["closed" if status == ItemStatus.CLOSED else "open"] += n
            row["overdue"] += overdue
        names = {c: organization_get_for_user(user, c).name for c in counts}
        bureaus = [{**row, "name": names[code]} for code, row in sorted(counts.items())]
    context = {
        "form": form,
        "page_obj": page_of(items.order_by("status", "due_on", "pk"), request.GET.get("page")),
        "query": query_without_page(request.GET),
        "today": today,
        "bureaus": bureaus,
    }
    return render(request, "tracking/items.html", context)


class AnswerForm(forms.Form):
    cause = forms.CharField(label="原因", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    rectification = forms.CharField(label="整改措施", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(forms.Form):
    note = forms.CharField(label="意见", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


ACTIONS = {"forward": item_forward, "return": item_send_back, "close": item_close}


@page(roles=TRACKING_ROLES)
def item_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    item = item_get_for_user(user, pk)
    answer_form, note_form, error = AnswerForm(), NoteForm(), ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "answer":
                answer_form = AnswerForm(request.POST)
                if answer_form.is_valid():
                    item_answer(item=item, actor=Actor.of(user), **answer_form.cleaned_data)
                    return redirect("tracking:item", pk=item.pk)
            elif action in ACTIONS:
                note_form = NoteForm(request.POST)
                if note_form.is_valid():
                    ACTIONS[action](item=item, note=note_form.cleaned_data["note"], actor=Actor.of(user))
                    return redirect("tracking:item", pk=item.pk)
        except DomainError as exc:
            error = exc.message
    deviations = list(item.deviations.select_related("decision").order_by("kind", "decision_id")[:200])
    executions = {e.pk: e for e in Execution.objects.filter(pk__in=[d.decision_id for d in deviations])}
    waiting = items_visible_to(user).filter(items_waiting_for(user), pk=item.pk).exists()
    context = {
        "item": item,
        "deviations": [(d, executions.get(d.decision_id)) for d in deviations],
        "deviation_total": item.deviations.count(),
        "cells": item.cells.all(),
        "transitions": [
            (t, STATUS_LABELS.get(t.from_status, ""), STATUS_LABELS[t.to_status])
            for t in item.transitions.select_related("actor__organization")
        ],
        "answer_form": answer_form,
        "note_form": note_form,
        "error": error,
        "may_answer": waiting and item.status == ItemStatus.OPEN,
        "may_review": waiting and item.status == ItemStatus.ANSWERED,
        "may_close": waiting and item.status == ItemStatus.FORWARDED,
        "overdue": item.status != ItemStatus.CLOSED and item.due_on < clock.today(),
    }
    return render(request, "tracking/item.html", context)


class FiguresForm(forms.Form):
    org = forms.ChoiceField(label="机构", required=False)
    date_from = forms.DateField(label="自", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = organization_choices(user)[1:]


@page(roles=TRACKING_ROLES)
def figures(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = FiguresForm(request.GET or {"org": user.organization.code}, user=user)
    today = clock.today()
    data = form.cleaned_data if form.is_valid() else {}
    org = organization_get_for_user(user, data.get("org") or user.organization.code)
    date_to: dt.date = data.get("date_to") or today
    date_from: dt.date = data.get("date_from") or date_to.replace(day=1)
    result = tracking_figures(org=org, date_from=date_from, date_to=date_to)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            figures_xlsx(result, org_name=org.name),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="tracking-{org.code}-{date_from}-{date_to}.xlsx"'
        return response
    areas = dict(MeasureArea.choices)
    shares = [
        {**s, "grade_label": f"{s['grade']}级" if s["grade"] else "无等级企业", "area_label": areas.get(s["area"], "")}
        for s in result["inspection_share"]
    ]
    chart = share_chart(
        [
            ShareBar(
                label=f"{s['grade_label']}·{s['area_label']}",
                colour=GRADE_COLOURS.get(s["grade"] or "", "#9ca3af"),
                actual=s["executed_share"] or 0.0,
                prescribed=s["prescribed_share"] or 0.0,
                count=s["reported"],
            )
            for s in shares
        ],
        title="实际查验比例与规定抽批比例（按等级和领域）",
        width=max(560, 90 * len(shares) + 60),
    )
    context = {
        "form": form,
        "org": org,
        "f": result,
        "deviation_rows": [(label, result["deviations"][kind]) for kind, label in DeviationKind.choices],
        "shares": shares,
        "chart": chart if shares else "",
        "trend": deviation_trend(org, date_from, date_to),
        "query": request.GET.urlencode(),
    }
    return render(request, "tracking/figures.html", context)
