"""Reads of rating data, always scoped to the caller."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from ciqcredit.enterprises.models import Enterprise
from ciqcredit.errors import Forbidden, NotFound
from ciqcredit.organizations.access import org_scope_q
from ciqcredit.organizations.models import Organization, User
from ciqcredit.organizations.roles import Level, Scope
from ciqcredit.rating.models import CurrentGrade, EvaluationResult, EvaluationRun, GradeChange
from ciqcredit.rating.services.evaluation import run_summary
from ciqcredit.rules.params import GRADES_DESC

GRADE_READ_SCOPES = (Scope.SHARING_READ, Scope.ECIQ_INTAKE)


def require_grade_reader(user: User) -> None:
    """Staff and enterprise users read grades (in their scope); systems need sharing_read or eciq_intake."""
    if user.is_system and not any(user.has_scope(s) for s in GRADE_READ_SCOPES):
        raise Forbidden(
            "接口令牌缺少权限范围“sharing_read”或“eciq_intake”",
            {"scopes": list(GRADE_READ_SCOPES)},
            code="missing_scope",
        )


def run_get(pk: int) -> EvaluationRun:
    """Runs are national (HQ starts them); what a caller may see of one is its results in scope."""
    run = EvaluationRun.objects.filter(pk=pk).first()
    if run is None:
        raise NotFound("周期评定")
    return run


def results_visible_to(user: User, run: EvaluationRun) -> QuerySet[EvaluationResult]:
    if user.is_enterprise_user:
        return EvaluationResult.objects.filter(run=run, enterprise_id=user.enterprise_id)
    return EvaluationResult.objects.filter(run=run).filter(org_scope_q(user, "organization"))


def results_search(
    user: User,
    run: EvaluationRun,
    *,
    credit_code: str = "",
    status: str = "",
    org_code: str = "",
    initial_grade: str = "",
    text: str = "",
) -> QuerySet[EvaluationResult]:
    qs = results_visible_to(user, run).select_related("enterprise", "organization")
    if credit_code:
        qs = qs.filter(enterprise__credit_code=credit_code.strip().upper())
    if status:
        qs = qs.filter(status=status)
    if org_code:
        qs = qs.filter(organization__path__contains=f"{org_code}/")
    if initial_grade:
        qs = qs.filter(initial_grade=initial_grade)
    if text:
        qs = qs.filter(Q(enterprise__name__contains=text) | Q(enterprise__credit_code__startswith=text.upper()))
    return qs.order_by("organization__path", "enterprise__credit_code")


@dataclass(frozen=True)
class RunFigures:
    """A run's enterprise count and initial grades as the caller may see them."""

    enterprises: int
    by_grade: dict[str, int]
    national: bool


def run_figures(user: User, runs: list[EvaluationRun]) -> dict[int, RunFigures]:
    """HQ sees the national figures stored on the run; others the figures of their subtree (one query)."""
    if user.organization.level == Level.HQ:
        return {r.pk: RunFigures(r.enterprises, {g: r.by_grade.get(g, 0) for g in GRADES_DESC}, True) for r in runs}
    counts: dict[int, dict[str, int]] = {r.pk: dict.fromkeys(GRADES_DESC, 0) for r in runs}
    rows = (
        EvaluationResult.objects.filter(run__in=runs)
        .filter(org_scope_q(user, "organization"))
        .values("run_id", "initial_grade")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts[row["run_id"]][row["initial_grade"]] = row["n"]
    return {pk: RunFigures(sum(by.values()), by, False) for pk, by in counts.items()}


def run_summary_for(user: User, run: EvaluationRun) -> dict:
    """The API's run summary with the figures the caller may see."""
    figures = run_figures(user, [run])[run.pk]
    return {**run_summary(run), "enterprises": figures.enterprises, "by_grade": figures.by_grade}


def result_counts(user: User, run: EvaluationRun) -> dict[str, int]:
    rows = results_visible_to(user, run).values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def grade_history(enterprise: Enterprise) -> list[GradeChange]:
    return list(GradeChange.objects.filter(enterprise=enterprise).order_by("-effective_from", "-id"))


def grade_distribution(user: User) -> list[dict]:
    """Current grades per organization in the caller's subtree: [{"organization", "counts": {grade: n}, "total"}]."""
    rows = (
        CurrentGrade.objects.filter(org_scope_q(user, "enterprise__registering_org"))
        .values("enterprise__registering_org", "grade")
        .annotate(n=Count("pk"))
    )
    by_org: dict[int, dict[str, int]] = {}
    for row in rows:
        by_org.setdefault(row["enterprise__registering_org"], {})[row["grade"]] = row["n"]
    orgs = Organization.objects.in_bulk(list(by_org))
    table = []
    for org_id, counts in by_org.items():
        table.append({"organization": orgs[org_id], "counts": counts, "total": sum(counts.values())})
    table.sort(key=lambda row: row["organization"].path)
    return table


UNRATED = "none"  # the grade filter's value for enterprises not rated yet


def enterprises_with_current_grade(queryset: QuerySet[Enterprise], grade: str = "") -> QuerySet[Enterprise]:
    """`queryset` with each enterprise's current grade joined, filtered on it when `grade` is given
    (a grade letter, or UNRATED for the enterprises not rated yet)."""
    queryset = queryset.select_related("current_grade")
    if grade == UNRATED:
        return queryset.filter(current_grade__isnull=True)
    if grade:
        return queryset.filter(current_grade__grade=grade)
    return queryset
