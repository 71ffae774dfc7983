"""Reads of rating data, always scoped to the caller."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from ciqcredit.enterprises.models import Enterprise, EnterpriseStatus
from ciqcredit.errors import Forbidden, NotFound
from ciqcredit.organizations.access import org_scope_q, refuse_partner_client
from ciqcredit.organizations.models import Organization, User
from ciqcredit.organizations.roles import Level, Scope
from ciqcredit.rating.models import EvaluationResult, EvaluationRun, GradeChange, ResultStatus
from ciqcredit.rating.services.evaluation import run_summary
from ciqcredit.rules.params import GRADES_DESC

GRADE_READ_SCOPES = (Scope.SHARING_READ, Scope.ECIQ_INTAKE, Scope.ECIQ_DECISION)


def require_grade_reader(user: User) -> None:
    """Staff and enterprise users read grades (in their scope); systems need one of GRADE_READ_SCOPES; a partner
    regulator's client reads them only through its sharing agreement."""
    refuse_partner_client(user)
    if user.is_system and not any(user.has_scope(s) for s in GRADE_READ_SCOPES):
        raise Forbidden(
            "接口令牌缺少权限范围“sharing_read”“eciq_intake”或“eciq_decision”",
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
        return EvaluationResult.objects.filter(run=run, enterprise_id=user.enterprise_id)  # type: ignore[misc]  # django-stubs refuse None, which Django reads as IS NULL
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


COLUMN_AWAITING = "awaiting"  # no grade in force, a periodic result waits for confirmation
COLUMN_UNRATED = "unrated"  # no grade in force and nothing waiting
DISTRIBUTION_COLUMNS: tuple[str, ...] = (*GRADES_DESC, COLUMN_AWAITING, COLUMN_UNRATED)


@dataclass
class DistributionRow:
    organization: Organization
    counts: dict[str, int]
    subtotal: bool = False  # a bureau's row over itself and its branches

    @property
    def cells(self) -> list[int]:
        return [self.counts.get(column, 0) for column in DISTRIBUTION_COLUMNS]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _add(into: dict[str, int], counts: dict[str, int]) -> None:
    for column, n in counts.items():
        into[column] = into.get(column, 0) + n


def grade_distribution(user: User) -> list[DistributionRow]:
    """Active enterprises of the caller's subtree by registering organization, each counted once: its grade in
    force, else awaiting confirmation, else unrated, so a row adds up to the organization's enterprises. Each
    bureau is followed by its subtotal over itself and its branches."""
    active = Enterprise.objects.filter(org_scope_q(user, "registering_org"), status=EnterpriseStatus.ACTIVE)
    by_org: dict[int, dict[str, int]] = {}
    for row in active.values("registering_org").annotate(n=Count("pk")):
        by_org.setdefault(row["registering_org"], {})[COLUMN_UNRATED] = row["n"]
    graded = active.filter(current_grade__isnull=False).values("registering_org", "current_grade__grade")
    awaiting = active.filter(
        current_grade__isnull=True,
        pk__in=EvaluationResult.objects.filter(status=ResultStatus.PENDING).values("enterprise_id"),
    ).values("registering_org")
    for row in graded.annotate(n=Count("pk")):
        counts = by_org[row["registering_org"]]
        counts[row["current_grade__grade"]] = row["n"]
        counts[COLUMN_UNRATED] -= row["n"]
    for row in awaiting.annotate(n=Count("pk")):
        counts = by_org[row["registering_org"]]
        counts[COLUMN_AWAITING] = row["n"]
        counts[COLUMN_UNRATED] -= row["n"]

    table: list[DistributionRow] = []
    subtotal: DistributionRow | None = None
    branches = 0

    def close_bureau() -> None:
        if subtotal is not None and branches:
            table.append(subtotal)

    for org in Organization.objects.filter(path__startswith=user.organization.path).order_by("path"):
        counts = by_org.get(org.pk, {})
        if org.level == Level.BUREAU:
            close_bureau()
            subtotal, branches = DistributionRow(org, {}, subtotal=True), 0
        if counts or org.level == Level.BUREAU:  # every bureau shows, zeros too; branches and HQ when they register
            table.append(DistributionRow(org, counts))
            branches += org.level == Level.BRANCH
        if subtotal is not None and org.path.startswith(subtotal.organization.path):
            _add(subtotal.counts, counts)
    close_bureau()
    return table


def distribution_bars(user: User, rows: list[DistributionRow]) -> list[DistributionRow]:
    """The rows a distribution chart draws: at HQ one per bureau (its subtotal where it has branches, else its own
    row); below HQ every organization's own row."""
    plain = [row for row in rows if not row.subtotal]
    if not user.is_hq:
        return plain
    subtotals = {row.organization.pk: row for row in rows if row.subtotal}
    return [subtotals.get(r.organization.pk, r) for r in plain if r.organization.level == Level.BUREAU]


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
