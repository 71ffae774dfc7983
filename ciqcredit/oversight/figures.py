"""The six questions of §六 as figures, for an organization's subtree and a period, and the rows behind each.

Every figure is a set-based count over timestamps the platform already keeps: records' entry and review
lateness in working days (stored on the record by the working-day calendar when the deadline closed), results'
confirmation windows, dynamic cases' notices and step deadlines, staffing and training rows, rectification
tasks. A figure is defined once, as a base query of its section and a filter (`FIGURES`): its count is that
filter inside the section's one aggregate, and its drill-down is the same filter on the same base, so the
list behind a figure always has exactly as many rows as the figure says.

Choices (README "Decisions"):
- A record counts in the period it was entered (`entered_at`), drafts never submitted excluded; review in the period its
  review deadline was closed (confirmed, returned or revoked); "returned" counts returns in the period.
- Delays: the median and 90th percentile (nearest rank) of the working days late among late records.
- A result counts in the period its run was rated; "adjusted outside the window" is an adjustment decided
  after the confirmation window (the five days of §四(二)), which the adjustment allowance permits but the
  supervision wants seen; "unconfirmed" is a result closed unconfirmed or still pending after its window.
- A notice is on time when delivered by its case's delivery deadline (step `dynamic.delivery`); a notice
  without such a step has no delivery deadline to miss.
- Measures: the decisions are the release decisions (application) of the scope's offices in the period; the
  execution reports, deviations and tracking items (执行不到位) are tracking's own figures of the period
  (`tracking.selectors.execution_figures`, read through the `application.execution` hook): reports on those
  decisions, deviations and items of the period's months, an item overdue when still open after its step's
  due date on the period's end (or today).
- A step is overdue when it was done after its due date, or is still open after it (as of the period's end
  or today, whichever is earlier); "earliest date" steps and the enterprise's own defence period (it may simply
  let it pass) are not an office's steps and never overdue.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, F, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from ciqcredit import clock
from ciqcredit.application.execution import execution_figures
from ciqcredit.application.models import Decision
from ciqcredit.collection.choices import DEADLINE_REVIEW, RecordStatus, Route
from ciqcredit.collection.models import CreditRecord, RecordTransition
from ciqcredit.dynamic.models import CaseDeadline, DynamicCase, Notice
from ciqcredit.dynamic.workflow import NOT_OFFICE_DUTIES
from ciqcredit.errors import DomainError
from ciqcredit.organizations.models import Department, Organization, StaffingRecord, TrainingRecord
from ciqcredit.organizations.roles import DepartmentKind
from ciqcredit.oversight.models import TASK_OPEN_STATUSES, RectificationTask
from ciqcredit.rating.models import EvaluationResult, ResultStatus
from ciqcredit.workdays.models import Deadline

# The notice delivery step of a dynamic case (a workdays.Deadline of this kind, when the rule set sets one).
STEP_DELIVERY = "dynamic.delivery"
MAX_PERIOD_DAYS = 3 * 366


@dataclass(frozen=True)
class Scope:
    """An organization's subtree over a period [start, end]."""

    organization: Organization
    start: dt.date
    end: dt.date
    org_ids: tuple[int, ...]

    @property
    def as_of(self) -> dt.date:
        """The day lateness of still-open duties is judged on: the period's end, or today if earlier."""
        return min(self.end, clock.today())

    def instants(self) -> tuple[dt.datetime, dt.datetime]:
        """[start 00:00, end+1 00:00) in the platform's time zone, for timestamp columns (index-friendly)."""
        zone = timezone.get_current_timezone()
        first = dt.datetime.combine(self.start, dt.time.min, tzinfo=zone)
        after = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return first, after


def scope_of(organization: Organization, start: dt.date, end: dt.date) -> Scope:
    if end < start:
        raise DomainError("invalid_period", "督查期间的结束日期不能早于开始日期", {"from": str(start), "to": str(end)})
    if (end - start).days > MAX_PERIOD_DAYS:
        raise DomainError("invalid_period", "督查期间不能超过三年", {"from": str(start), "to": str(end)})
    ids = tuple(Organization.objects.filter(path__startswith=organization.path).values_list("pk", flat=True))
    return Scope(organization, start, end, ids)


# --- The base query of each section -------------------------------------------------------------------------


def _staff(scope: Scope) -> QuerySet[StaffingRecord]:
    trained = TrainingRecord.objects.filter(staffing=OuterRef("pk"), held_on__gte=scope.start, held_on__lte=scope.end)
    return (
        StaffingRecord.objects.filter(department__organization_id__in=scope.org_ids)
        .filter(Q(since__isnull=True) | Q(since__lte=scope.end), Q(until__isnull=True) | Q(until__gte=scope.start))
        .annotate(trained_in_period=Exists(trained))
    )


def _collected(scope: Scope) -> QuerySet[CreditRecord]:
    first, after = scope.instants()
    # A draft never submitted is not collected yet; one returned to draft was (its lateness is settled).
    return CreditRecord.objects.filter(
        Q(submitted_at__isnull=False) | ~Q(status=RecordStatus.DRAFT),
        organization_id__in=scope.org_ids,
        entered_at__gte=first,
        entered_at__lt=after,
    )


def _reviewed(scope: Scope) -> QuerySet[CreditRecord]:
    # Driven from the review deadlines closed in the period (most records, e-CIQ's, have none).
    closed = Deadline.objects.filter(kind=DEADLINE_REVIEW, closed_on__gte=scope.start, closed_on__lte=scope.end)
    return CreditRecord.objects.filter(organization_id__in=scope.org_ids, review_deadline__in=closed.values("pk"))


def _returned(scope: Scope) -> QuerySet[CreditRecord]:
    # Driven from the (few) return transitions of the period, not from every record of the scope.
    first, after = scope.instants()
    returns = RecordTransition.objects.filter(
        from_status=RecordStatus.AWAITING_CONFIRMATION,
        to_status=RecordStatus.DRAFT,
        at__gte=first,
        at__lt=after,
    )
    return CreditRecord.objects.filter(organization_id__in=scope.org_ids, pk__in=returns.values("record_id"))


def _results(scope: Scope) -> QuerySet[EvaluationResult]:
    return EvaluationResult.objects.filter(
        organization_id__in=scope.org_ids, run__rated_on__gte=scope.start, run__rated_on__lte=scope.end
    ).annotate(decided_on=TruncDate("decided_at"), confirm_until=F("run__confirm_until"))


def _cases(scope: Scope) -> QuerySet[DynamicCase]:
    first, after = scope.instants()
    return DynamicCase.objects.filter(organization_id__in=scope.org_ids, opened_at__gte=first, opened_at__lt=after)


def _notices(scope: Scope) -> QuerySet[Notice]:
    due = CaseDeadline.objects.filter(case=OuterRef("case_id"), step=STEP_DELIVERY).order_by("-id")
    return Notice.objects.filter(
        case__organization_id__in=scope.org_ids, delivered_on__gte=scope.start, delivered_on__lte=scope.end
    ).annotate(delivery_due=Subquery(due.values("deadline__due_on")[:1]))


def _steps(scope: Scope) -> QuerySet[CaseDeadline]:
    return CaseDeadline.objects.filter(
        case__organization_id__in=scope.org_ids,
        deadline__due_on__gte=scope.start,
        deadline__due_on__lte=scope.end,
    ).exclude(step__in=NOT_OFFICE_DUTIES)


def _carried_out(scope: Scope) -> QuerySet[DynamicCase]:
    return DynamicCase.objects.filter(
        organization_id__in=scope.org_ids, carried_out_on__gte=scope.start, carried_out_on__lte=scope.end
    )


def _decisions(scope: Scope) -> QuerySet[Decision]:
    return Decision.objects.filter(organization_id__in=scope.org_ids, on__gte=scope.start, on__lte=scope.end)


def _tasks(scope: Scope) -> QuerySet[RectificationTask]:
    _, after = scope.instants()
    return RectificationTask.objects.filter(office_id__in=scope.org_ids, created_at__lt=after)


@dataclass(frozen=True)
class Figure:
    label: str
    base: Callable[[Scope], QuerySet[Any]]
    where: Callable[[Scope], Q]
    rows: str  # what the drill-down lists: staff, record, result, case, notice, step, task


def _all(scope: Scope) -> Q:
    return Q()


def _const(q: Q) -> Callable[[Scope], Q]:
    return lambda scope: q


def _step_overdue(scope: Scope) -> Q:
    late_done = Q(deadline__closed_on__isnull=False, deadline__closed_on__gt=F("deadline__due_on"))
    still_open = Q(deadline__closed_on__isnull=True, deadline__due_on__lt=scope.as_of)
    return late_done | still_open


def _unconfirmed(scope: Scope) -> Q:
    return Q(status=ResultStatus.CLOSED) | Q(status=ResultStatus.PENDING, run__confirm_until__lt=clock.today())


def _task_open(scope: Scope) -> Q:
    return Q(status__in=TASK_OPEN_STATUSES) | Q(accepted_on__gt=scope.end)


def _task_overdue(scope: Scope) -> Q:
    return Q(due_on__lt=scope.as_of) & (Q(accepted_on__isnull=True) | Q(accepted_on__gt=F("due_on")))


FIGURES: dict[str, Figure] = {
    "staffing.people": Figure("信用管理人员", _staff, _all, "staff"),
    "staffing.trained": Figure("期间受训人员", _staff, _const(Q(trained_in_period=True)), "staff"),
    "collection.collected": Figure("采集信息", _collected, _all, "record"),
    "collection.within_deadline": Figure("按时采集", _collected, _const(Q(late_days=0)), "record"),
    "collection.late": Figure("逾期采集", _collected, _const(Q(late_days__gt=0)), "record"),
    "review.reviewed": Figure("审核信息", _reviewed, _all, "record"),
    "review.within_deadline": Figure("按时审核", _reviewed, _const(Q(review_late_days=0)), "record"),
    "review.late": Figure("逾期审核", _reviewed, _const(Q(review_late_days__gt=0)), "record"),
    "review.returned": Figure("退回更正", _returned, _all, "record"),
    "adjustment.results": Figure("初评结果", _results, _all, "result"),
    "adjustment.confirmed_in_window": Figure(
        "窗口期内确认",
        _results,
        _const(Q(status=ResultStatus.CONFIRMED, decided_on__lte=F("confirm_until"))),
        "result",
    ),
    "adjustment.adjusted": Figure("调整", _results, _const(Q(status=ResultStatus.ADJUSTED)), "result"),
    "adjustment.adjusted_with_reason": Figure(
        "调整并说明理由", _results, _const(Q(status=ResultStatus.ADJUSTED) & ~Q(reason="")), "result"
    ),
    "adjustment.adjusted_outside_window": Figure(
        "确认窗口期后调整",
        _results,
        _const(Q(status=ResultStatus.ADJUSTED, decided_on__gt=F("confirm_until"))),
        "result",
    ),
    "adjustment.unconfirmed": Figure("未经确认", _results, _unconfirmed, "result"),
    "dynamic.triggered": Figure("触发动态管理", _cases, _all, "case"),
    "dynamic.notices_delivered": Figure("送达告知书", _notices, _all, "notice"),
    "dynamic.notices_within_deadline": Figure(
        "按期送达告知书",
        _notices,
        _const(Q(delivery_due__isnull=True) | Q(delivered_on__lte=F("delivery_due"))),
        "notice",
    ),
    "dynamic.notices_late": Figure("逾期送达告知书", _notices, _const(Q(delivered_on__gt=F("delivery_due"))), "notice"),
    "dynamic.steps_overdue": Figure("逾期办理环节", _steps, _step_overdue, "step"),
    "dynamic.carried_out": Figure("已实施", _carried_out, _all, "case"),
    "measures.decisions": Figure("措施决定（放行决定）", _decisions, _all, "decision"),
    "rectification.open": Figure("未完成整改", _tasks, _task_open, "task"),
    "rectification.overdue": Figure("逾期整改", _tasks, _task_overdue, "task"),
}

SECTION_LABELS = {
    "staffing": "人员配置与培训",
    "collection": "信用信息采集",
    "review": "信用信息审核",
    "adjustment": "评级结果确认与调整",
    "dynamic": "动态管理",
    "measures": "差异化措施跟踪",
    "rectification": "督查整改",
}
MEASURE_LABELS = {
    "decisions": "措施决定",
    "executions": "已报送执行情况",
    "deviations": "执行偏差",
    "items_open": "执行不到位事项（未关闭）",
    "items_overdue": "其中逾期",
    "items_closed": "执行不到位事项（已关闭）",
    # Names in sheets filled before tracking's figures were counted (they were always 0 there).
    "deviations_open": "未处理偏差",
    "deviations_overdue": "逾期偏差",
    "deviations_closed": "已处理偏差",
}
EXTRA_LABELS = {
    "share_trained": "受训比例",
    "share_late": "逾期比例",
    "median_delay_days": "逾期工作日数中位数",
    "p90_delay_days": "逾期工作日数90分位",
}


def figure_label(key: str) -> str:
    """The Chinese label of a figure key ("collection.late") or of a derived one ("collection.share_late")."""
    if key in FIGURES:
        return FIGURES[key].label
    section, _, name = key.partition(".")
    return MEASURE_LABELS.get(name) if section == "measures" else EXTRA_LABELS.get(name, key)  # type: ignore[return-value]


def _counts(scope: Scope, section: str) -> dict[str, int]:
    """One aggregate per base query: every figure of the section that shares the base, counted together."""
    out: dict[str, int] = {}
    by_base: dict[Callable[[Scope], QuerySet[Any]], list[str]] = {}
    for key, figure in FIGURES.items():
        if key.startswith(section + "."):
            by_base.setdefault(figure.base, []).append(key)
    for base, keys in by_base.items():
        found = base(scope).aggregate(**{k.split(".")[1]: Count("pk", filter=FIGURES[k].where(scope)) for k in keys})
        out.update({name: value or 0 for name, value in found.items()})
    return out


def _share(part: int, whole: int) -> float:
    if not whole:
        return 0.0
    return float((Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def nearest_rank(histogram: dict[int, int], fraction: float) -> int:
    """The nearest-rank percentile of values given as {value: count}; 0 for no values."""
    total = sum(histogram.values())
    if not total:
        return 0
    rank = max(1, -(-int(fraction * 1000) * total // 1000))  # ceil(fraction × total), exact for 0.5 and 0.9
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return max(histogram)


def _staffing(scope: Scope) -> dict[str, Any]:
    counts = _counts(scope, "staffing")
    rows = (
        _staff(scope)
        .values("department__kind")
        .annotate(people=Count("pk"), trained=Count("pk", filter=Q(trained_in_period=True)))
        .order_by("department__kind")
    )
    by_department = [
        {
            "department_kind": row["department__kind"],
            "label": DepartmentKind(row["department__kind"]).label,
            "people": row["people"],
            "trained": row["trained"],
        }
        for row in rows
    ]
    return {**counts, "share_trained": _share(counts["trained"], counts["people"]), "by_department": by_department}


def _collection(scope: Scope) -> dict[str, Any]:
    """One grouped scan gives the totals, the routes, the departments and the delay histogram."""
    groups = (
        _collected(scope)
        .values("route", "organization_id", "department_id", "late_days")
        .annotate(n=Count("pk"))
        .order_by()
    )
    collected = late = 0
    histogram: dict[int, int] = {}
    routes: dict[str, list[int]] = {}
    departments: dict[tuple[int, int | None], list[int]] = {}
    for g in groups:
        n, is_late = g["n"], g["late_days"] > 0
        collected += n
        route = routes.setdefault(g["route"], [0, 0])
        dept = departments.setdefault((g["organization_id"], g["department_id"]), [0, 0])
        route[0] += n
        dept[0] += n
        if is_late:
            late += n
            route[1] += n
            dept[1] += n
            histogram[g["late_days"]] = histogram.get(g["late_days"], 0) + n
    orgs = {o.pk: o for o in Organization.objects.filter(pk__in={k[0] for k in departments})}
    names = dict(Department.objects.filter(pk__in={k[1] for k in departments if k[1]}).values_list("pk", "name"))
    route_labels = dict(Route.choices)
    return {
        "collected": collected,
        "within_deadline": collected - late,
        "late": late,
        "share_late": _share(late, collected),
        "median_delay_days": nearest_rank(histogram, 0.5),
        "p90_delay_days": nearest_rank(histogram, 0.9),
        "by_route": [
            {"route": r, "label": route_labels.get(r, r), "collected": c, "late": n}
            for r, (c, n) in sorted(routes.items())
        ],
        "by_department": [
            {
                "organization": orgs[o].code,
                "organization_name": orgs[o].name,
                "department_id": d,
                "department": names.get(d, "未指定部门") if d else "未指定部门",
                "collected": c,
                "late": n,
            }
            for (o, d), (c, n) in sorted(departments.items(), key=lambda kv: (orgs[kv[0][0]].path, kv[0][1] or 0))
        ],
    }


def figures_for(organization: Organization, start: dt.date, end: dt.date) -> dict[str, Any]:
    """The figures of an organization's subtree over [start, end]: one JSON-ready object."""
    scope = scope_of(organization, start, end)
    return {
        "organization": {"code": organization.code, "name": organization.name},
        "from": start.isoformat(),
        "to": end.isoformat(),
        "staffing": _staffing(scope),
        "collection": _collection(scope),
        "review": _counts(scope, "review"),
        "adjustment": _counts(scope, "adjustment"),
        "dynamic": _counts(scope, "dynamic"),
        "measures": {
            **_counts(scope, "measures"),
            **execution_figures(scope.org_ids, scope.start, scope.end, scope.as_of),
        },
        "rectification": _counts(scope, "rectification"),
    }


def figure_rows(organization: Organization, start: dt.date, end: dt.date, key: str) -> tuple[Figure, QuerySet[Any]]:
    """The rows behind one figure, in scope: as many as the figure counts."""
    figure = FIGURES.get(key)
    if figure is None:
        raise DomainError("unknown_figure", f"没有名为“{key}”的督查数据项", {"figure": key, "allowed": list(FIGURES)})
    scope = scope_of(organization, start, end)
    rows: QuerySet[Model] = figure.base(scope).filter(figure.where(scope)).order_by("pk")
    return figure, rows
