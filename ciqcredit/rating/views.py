"""Rating pages: evaluation runs, the confirmation worklist, an enterprise's grade, the distribution."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.charts import Bar, stacked_bars_svg
from ciqcredit.enterprises.selectors import enterprise_get_for_user
from ciqcredit.errors import DomainError
from ciqcredit.jobs.models import JobKind, JobStatus
from ciqcredit.jobs.selectors import jobs_visible_to
from ciqcredit.jobs.services import job_start
from ciqcredit.organizations.access import organization_get_for_user, visible_organizations
from ciqcredit.organizations.roles import Level, Role
from ciqcredit.pages import AuthedRequest, is_fragment_request, page, vary_on_htmx
from ciqcredit.paging import page_of, query_without_page
from ciqcredit.rating.explain import grade_explanation
from ciqcredit.rating.forms import AdjustForm, ConfirmForm, GradeOnForm, RunStartForm, first_error
from ciqcredit.rating.models import EvaluationRun, ResultStatus
from ciqcredit.rating.selectors import (
    COLUMN_AWAITING,
    COLUMN_UNRATED,
    distribution_bars,
    grade_distribution,
    grade_history,
    result_counts,
    results_search,
    run_figures,
    run_get,
)
from ciqcredit.rating.services.confirmation import result_adjust, results_confirm
from ciqcredit.rating.services.evaluation import PHASE_LABELS
from ciqcredit.replica import from_replica
from ciqcredit.rules.grading import adjustable_grades
from ciqcredit.rules.params import GRADES_DESC, RuleSetParams


@page()
def runs(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        if not user.has_role(Role.HQ_ADMIN):
            messages.error(request, "只有总局管理员可以启动周期评定")
            return redirect("rating:home")
        form = RunStartForm(request.POST)
        if not form.is_valid():
            messages.error(request, first_error(form))
            return redirect("rating:home")
        try:
            job = job_start(
                kind=JobKind.EVALUATION,
                params={"period_end": form.cleaned_data["period_end"].isoformat()},
                actor=Actor.of(user),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("rating:home")
        # Long work: a tracked job whose page shows each phase while it runs (ciqcredit.jobs).
        return redirect("jobs:detail", job_id=job.pk)
    runs = list(EvaluationRun.objects.order_by("-period_end")[:50])
    figures = run_figures(user, runs)
    return render(
        request,
        "rating/runs.html",
        {
            "runs": [(run, figures[run.pk]) for run in runs],
            "may_start": user.has_role(Role.HQ_ADMIN),
            "active_jobs": jobs_visible_to(user).filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]),
            "grades": GRADES_DESC,
        },
    )


@page()
@from_replica
def run_detail(request: AuthedRequest, run_id: int) -> HttpResponse:
    run = run_get(run_id)
    counts = result_counts(request.user, run)
    return render(
        request,
        "rating/run.html",
        {
            "run": run,
            "figures": run_figures(request.user, [run])[run.pk],
            "counts": counts,
            "statuses": ResultStatus.choices,
            "grades": GRADES_DESC,
            "mine": sum(counts.values()),
            "phase_labels": PHASE_LABELS,
            "today": clock.today(),
        },
    )


def _filters(request: AuthedRequest) -> dict[str, str]:
    return {key: request.GET.get(key, "").strip() for key in ("q", "status", "org", "grade")}


@page()
def worklist(request: AuthedRequest, run_id: int) -> HttpResponse:
    user = request.user
    run = run_get(run_id)
    may_decide = user.has_role(Role.BUREAU_CREDIT)
    if request.method == "POST":
        if not may_decide:
            messages.error(request, "只有信用管理人员可以确认评定结果")
            return redirect("rating:worklist", run_id=run.pk)
        form = ConfirmForm(request.POST)
        form.is_valid()  # every field is optional text: always valid
        data = form.cleaned_data
        try:
            if form.by_filter:
                if data["org"]:
                    organization_get_for_user(user, data["org"])  # 404 outside the caller's scope, before queueing
                params = {"run_id": run.pk, "org": data["org"], "grade": data["grade"]}
                job = job_start(kind=JobKind.CONFIRMATION, params=params, actor=Actor.of(user))
                return redirect("jobs:detail", job_id=job.pk)
            else:
                n = results_confirm(run=run, actor=Actor.of(user), credit_codes=data["codes"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已确认 {n} 家企业的评定结果")
        return redirect(request.get_full_path())
    f = _filters(request)
    results = results_search(user, run, status=f["status"], org_code=f["org"], initial_grade=f["grade"], text=f["q"])
    pending = results_search(user, run, status=ResultStatus.PENDING, org_code=f["org"], initial_grade=f["grade"])
    org = visible_organizations(user).filter(code=f["org"]).first() if f["org"] else None
    scope = f"{org.name}（含下级机构）" if org else f"{user.organization.name}管辖范围内"
    if f["grade"]:
        scope += f"初评{f['grade']}级的"
    context = {
        "pending_count": pending.count(),
        "confirm_scope": scope,
        "run": run,
        "filters": f,
        "page": page_of(results, request.GET.get("page"), per_page=50),
        "query": query_without_page(request.GET),
        "orgs": visible_organizations(user),
        "statuses": ResultStatus.choices,
        "grades": GRADES_DESC,
        "adjustable": adjustable_grades(RuleSetParams.model_validate(run.ruleset_params)),
        "may_decide": may_decide,
        "may_confirm": may_decide and clock.today() <= run.confirm_until,
        "may_adjust": may_decide and clock.today() <= run.adjust_until,
    }
    template = "rating/_worklist_rows.html" if is_fragment_request(request) else "rating/worklist.html"
    return vary_on_htmx(render(request, template, context))


@require_POST
@page(roles=[Role.BUREAU_CREDIT])
def adjust(request: AuthedRequest, run_id: int) -> HttpResponse:
    run = run_get(run_id)
    form = AdjustForm(request.POST)
    form.is_valid()  # optional text fields: the service judges the values
    data = form.cleaned_data
    code = data.get("credit_code", "")
    try:
        result_adjust(
            run=run,
            credit_code=code,
            grade=data.get("grade", ""),
            reason=data.get("reason", ""),
            actor=Actor.of(request.user),
        )
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, f"{code}：{exc.message}")
    else:
        messages.success(request, f"已调整 {code} 的评定结果")
    return redirect(data.get("next") or f"/rating/runs/{run.pk}/worklist/")


@page(staff_only=False)
def enterprise_grade(request: AuthedRequest, credit_code: str) -> HttpResponse:
    enterprise = enterprise_get_for_user(request.user, credit_code.strip().upper())
    if request.user.is_enterprise_user:  # the staff page names deciders: the enterprise reads the portal's own
        return redirect("portal:grade")
    form = GradeOnForm(request.GET)
    on = form.cleaned_data["on"] if form.is_valid() else None
    if form.errors:
        messages.error(request, first_error(form))
    try:
        explanation = grade_explanation(enterprise, on)
    except DomainError as exc:
        explanation = None
        messages.error(request, exc.message)
    return render(
        request,
        "rating/enterprise.html",
        {"enterprise": enterprise, "explanation": explanation, "history": grade_history(enterprise), "on": on},
    )


@page()
def distribution(request: AuthedRequest) -> HttpResponse:
    everything = grade_distribution(request.user)
    # A bureau with no enterprise in its whole subtree is named once below the table instead of a row of zeros.
    with_branches = {row.organization.pk for row in everything if row.subtotal}
    empty = [
        row.organization
        for row in everything
        if row.organization.level == Level.BUREAU and not row.total and row.organization.pk not in with_branches
    ]
    rows = [row for row in everything if row.organization not in empty]
    columns = [*((g, f"{g}级") for g in GRADES_DESC), (COLUMN_AWAITING, "待确认"), (COLUMN_UNRATED, "未评定")]
    plain = [row for row in rows if not row.subtotal]
    totals = [sum(cells) for cells in zip(*(row.cells for row in plain), strict=True)] if plain else []
    bars = distribution_bars(request.user, rows)
    chart = stacked_bars_svg([Bar(row.organization.name, row.cells) for row in bars], columns, title="企业信用等级分布")
    context = {
        "rows": rows,
        "columns": columns,
        "totals": totals,
        "total": sum(totals),
        "chart": chart,
        "empty_bureaus": empty,
    }
    return render(request, "rating/distribution.html", context)
