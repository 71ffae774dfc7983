"""Result application pages: the 差异化措施 table, an enterprise's measures, decisions, daily statistics."""

import datetime as dt
from collections import defaultdict

from django import forms
from django.http import HttpResponse
from django.shortcuts import render

from ciqcredit import clock
from ciqcredit.application.measures import decision_parties, enterprise_measures
from ciqcredit.application.models import PartyRole
from ciqcredit.application.selectors import (
    DECISION_READ_ROLES,
    daily_statistics,
    decision_get_for_user,
    decision_search,
    measure_index,
)
from ciqcredit.application.whatif import measures_whatif
from ciqcredit.catalogue.choices import GRADE_ORDER, OPEN_STATUSES, Kind, MeasureArea, MeasureGrade
from ciqcredit.catalogue.models import MeasureListVersion
from ciqcredit.catalogue.selectors import measure_list_on, version_get_for_user, versions_visible_to
from ciqcredit.charts import GRADE_COLOURS, DayColumn, ShareBar, daily_chart, share_chart
from ciqcredit.enterprises.selectors import enterprise_get_for_user
from ciqcredit.organizations.access import organization_choices
from ciqcredit.organizations.models import Organization, User
from ciqcredit.organizations.roles import Role
from ciqcredit.pages import AuthedRequest, is_fragment_request, page, vary_on_htmx
from ciqcredit.paging import page_of, query_without_page

NO_GRADE_LABEL = "无等级企业"
WHATIF_ROLES = (Role.HQ_ADMIN, Role.HQ_RULES)  # drafts are HQ's


def _grade_label(grade: str) -> str:
    return f"{grade}级" if grade else NO_GRADE_LABEL


# ---- 差异化措施: the published list as a grade × area table ----


@page()
def measures_table(request: AuthedRequest) -> HttpResponse:
    number = request.GET.get("version", "")
    version: MeasureListVersion | None
    if number.isdigit():
        found = version_get_for_user(request.user, Kind.MEASURES, int(number))
        version = found if isinstance(found, MeasureListVersion) else None
    else:
        version = measure_list_on(clock.today())
    if version is None:
        return render(request, "application/measures.html", {"version": None})
    index = measure_index(version)
    measures = {m.code: m for m in version.measures.all()}
    rows = []
    for slug, label in MeasureGrade.choices:
        cells = [[measures[m.code] for m in index.by_class_area.get((slug, area), [])] for area in MeasureArea.values]
        if any(cells):
            rows.append({"label": label, "slug": slug, "cells": cells})
    return render(
        request,
        "application/measures.html",
        {
            "version": version,
            "rows": rows,
            "areas": MeasureArea.choices,
            "may_read_decisions": request.user.has_role(*DECISION_READ_ROLES),
            "drafts": [
                v
                for v in versions_visible_to(request.user, Kind.MEASURES).filter(status__in=OPEN_STATUSES)[:5]
                if request.user.has_role(*WHATIF_ROLES)
            ],
        },
    )


# ---- one enterprise's measures (a section of the enterprise page, loaded into it) ----


class OnForm(forms.Form):
    on = forms.DateField(label="日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))


@page(staff_only=False)
def enterprise_measures_section(request: AuthedRequest, credit_code: str) -> HttpResponse:
    enterprise = enterprise_get_for_user(request.user, credit_code)
    form = OnForm(request.GET)
    on = (form.cleaned_data.get("on") if form.is_valid() else None) or clock.today()
    context = {
        "enterprise": enterprise,
        "m": enterprise_measures(enterprise, on),
        "on": on,
        "form": form,
        "may_read_decisions": request.user.has_role(*DECISION_READ_ROLES),
    }
    if is_fragment_request(request):
        return vary_on_htmx(render(request, "application/_enterprise_measures.html", context))
    return vary_on_htmx(render(request, "application/enterprise_measures.html", context))


# ---- decisions ----


class DecisionFilterForm(forms.Form):
    declaration_no = forms.CharField(label="报检号", required=False, max_length=40)
    credit_code = forms.CharField(label="企业统一社会信用代码", required=False, max_length=18)
    org = forms.ChoiceField(label="受理机构", required=False)
    date_from = forms.DateField(label="自", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    grade = forms.ChoiceField(
        label="决定性等级",
        required=False,
        choices=[("", "全部"), *[(g, f"{g}级") for g in GRADE_ORDER], ("none", NO_GRADE_LABEL)],
    )
    inspect = forms.ChoiceField(label="结果", required=False, choices=[("", "全部"), ("1", "查验"), ("0", "放行")])

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = organization_choices(user)  # type: ignore[attr-defined]  # a ChoiceField


@page(roles=DECISION_READ_ROLES)
def decision_list(request: AuthedRequest) -> HttpResponse:
    form = DecisionFilterForm(request.GET, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        qs = decision_search(
            request.user,
            declaration_no=data["declaration_no"],
            credit_code=data["credit_code"],
            org_code=data["org"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            grade=data["grade"],
            inspect={"1": True, "0": False}.get(data["inspect"]),
        )
    else:
        qs = decision_search(request.user).none()
    context = {
        "form": form,
        "page_obj": page_of(qs, request.GET.get("page")),
        "query": query_without_page(request.GET),
        "may_read_decisions": True,
    }
    template = "application/_decision_rows.html" if is_fragment_request(request) else "application/decisions.html"
    return vary_on_htmx(render(request, template, context))


@page(roles=DECISION_READ_ROLES)
def decision_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    decision = decision_get_for_user(request.user, pk)
    roles = dict(PartyRole.choices)
    parties = [{"state": p, "role_label": roles.get(p.role, p.role)} for p in decision_parties(decision)]
    return render(
        request,
        "application/decision.html",
        {
            "decision": decision,
            "parties": parties,
            "area_label": MeasureArea(decision.area).label,
            "grade_label": _grade_label(decision.governing_grade),
        },
    )


# ---- daily statistics ----


class StatisticsForm(forms.Form):
    date_from = forms.DateField(label="自", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    org = forms.ChoiceField(label="受理机构", required=False)
    area = forms.ChoiceField(label="措施领域", required=False, choices=[("", "全部领域"), *MeasureArea.choices])

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = organization_choices(user)  # type: ignore[attr-defined]  # a ChoiceField


def _cell(decisions: float, inspected: float, prescribed_sum: float) -> dict:
    share = inspected / decisions if decisions else 0.0
    prescribed = prescribed_sum / decisions if decisions else 0.0
    return {
        "decisions": int(decisions),
        "inspected": int(inspected),
        "share": share,
        "prescribed": prescribed,
        "share_pct": f"{share:.1%}",
        "prescribed_pct": f"{prescribed:.1%}",
        "gap_pct": f"{share - prescribed:+.1%}",
    }


@page(roles=DECISION_READ_ROLES)
def statistics(request: AuthedRequest) -> HttpResponse:
    today = clock.today()
    form = StatisticsForm(request.GET, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    date_to = data.get("date_to") or today
    date_from = data.get("date_from") or date_to - dt.timedelta(days=29)
    if not (request.GET.get("date_from") and request.GET.get("date_to")):  # show the period used
        shown = request.GET.copy()
        shown["date_from"], shown["date_to"] = date_from.isoformat(), date_to.isoformat()
        form = StatisticsForm(shown, user=request.user)
        form.is_valid()
    rows = daily_statistics(
        request.user, date_from=date_from, date_to=date_to, area=data.get("area", ""), org_code=data.get("org", "")
    )
    grades = [g for g in (*GRADE_ORDER, "") if any(r.grade == g for r in rows)]
    # Per organization and grade over the period, and per grade over everything shown.
    by_org: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0.0]))
    by_grade: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    by_day: dict[dt.date, dict[str, int]] = defaultdict(dict)
    for r in rows:
        for acc in (by_org[r.organization_id][r.grade], by_grade[r.grade]):
            acc[0] += r.decisions
            acc[1] += r.inspected
            acc[2] += r.prescribed * r.decisions
        by_day[r.on][r.grade] = by_day[r.on].get(r.grade, 0) + r.decisions
    orgs = Organization.objects.in_bulk(list(by_org))
    org_rows = [
        {
            "organization": orgs[org_id],
            "cells": [{"grade": _grade_label(g), **_cell(*cells[g])} for g in grades if g in cells],
            "total": _cell(*[sum(c[i] for c in cells.values()) for i in range(3)]),
        }
        for org_id, cells in sorted(by_org.items(), key=lambda item: orgs[item[0]].path)
    ]
    grade_rows = [{"grade": _grade_label(g), **_cell(*by_grade[g])} for g in grades]
    days = []
    day = date_from
    while day <= date_to:
        days.append(DayColumn(f"{day:%m-%d}", by_day.get(day, {})))
        day += dt.timedelta(days=1)
    grade_pairs = [(g, _grade_label(g)) for g in grades]
    context = {
        "may_read_decisions": True,
        "form": form,
        "date_from": date_from,
        "date_to": date_to,
        "org_rows": org_rows,
        "grade_rows": grade_rows,
        "total": _cell(*[sum(v[i] for v in by_grade.values()) for i in range(3)]),
        "share_svg": share_chart(
            [
                ShareBar(_grade_label(g), GRADE_COLOURS[g], row["share"], row["prescribed"], row["decisions"])
                for g, row in zip(grades, grade_rows, strict=True)
            ],
            title="各等级实际查验比例与规定抽批比例",
        ),
        "daily_svg": daily_chart(days, grade_pairs, title="每日放行决定（按决定性等级）"),
    }
    return render(request, "application/statistics.html", context)


# ---- what-if of another measure list (a draft, before it is published) ----


class PeriodForm(forms.Form):
    date_from = forms.DateField(label="自", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))


@page(roles=WHATIF_ROLES)
def measures_whatif_page(request: AuthedRequest, number: int) -> HttpResponse:
    version = version_get_for_user(request.user, Kind.MEASURES, number)
    assert isinstance(version, MeasureListVersion)  # the kind asked for
    form = PeriodForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    date_to = data.get("date_to") or clock.today()
    date_from = data.get("date_from") or date_to - dt.timedelta(days=29)
    result = measures_whatif(version=version, user=request.user, date_from=date_from, date_to=date_to)
    rows = [
        {
            "grade": _grade_label(r.grade),
            "decisions": r.decisions,
            "rate_now": f"{r.rate_now:.1%}",
            "rate_then": f"{r.rate_then:.1%}",
            "inspected_now": r.inspected_now,
            "inspected_then": r.inspected_then,
            "facilitated_now": r.facilitated_now,
            "facilitated_then": r.facilitated_then,
            "changed": (r.inspected_now, r.facilitated_now) != (r.inspected_then, r.facilitated_then),
        }
        for r in result.rows
    ]
    return render(request, "application/whatif.html", {"result": result, "rows": rows, "form": form})
