"""Who sees which tracking items, and the reads the pages, the API and the to-do list share.

An item is visible to the staff of its executing organization and of the organizations above it (its
bureau; HQ supervisors and administrators) and, at HQ, to the business department owning its area
(`user.business_department`). Lookups of one item answer 404 outside that.
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncDate

from ciqcredit import clock
from ciqcredit.application.models import Decision
from ciqcredit.errors import NotFound
from ciqcredit.organizations.models import Organization, User
from ciqcredit.organizations.roles import Level, Role
from ciqcredit.tracking.models import Deviation, DeviationKind, Execution, ItemStatus, TrackingItem
from ciqcredit.tracking.params import due, tracking_params

# HQ staff who see every item; other HQ staff see their business department's.
HQ_ALL_ROLES = (Role.HQ_ADMIN, Role.SUPERVISOR)
TRACKING_ROLES = (Role.BUREAU_CREDIT, Role.SUPERVISOR, Role.HQ_ADMIN, Role.HQ_RULES, Role.VIEWER)


def may_read_tracking(user: User) -> bool:
    return user.has_role(*TRACKING_ROLES)


def items_visible_to(user: User) -> QuerySet[TrackingItem]:
    items = TrackingItem.objects.select_related("organization")
    if user.is_system or user.is_enterprise_user or not user.roles:
        return items.none()
    if user.organization.level == Level.HQ:
        if user.has_role(*HQ_ALL_ROLES):
            return items
        if user.business_department:
            return items.filter(department=user.business_department)
        return items.none()
    return items.filter(organization__path__startswith=user.organization.path)


def item_get_for_user(user: User, pk: int) -> TrackingItem:
    item = items_visible_to(user).filter(pk=pk).first()
    if item is None:
        raise NotFound("执行不到位事项")
    return item


def items_waiting_for(user: User) -> Q:
    """The items whose next step is the user's: answer (own organization), forward (bureau), close (HQ)."""
    org = user.organization
    if org.level == Level.HQ:
        return (
            Q(status=ItemStatus.FORWARDED, department=user.business_department)
            if user.business_department
            else Q(pk__in=[])
        )
    waiting = Q(status=ItemStatus.OPEN, organization=org)
    if org.level == Level.BUREAU:
        waiting |= Q(status=ItemStatus.ANSWERED, organization__path__startswith=org.path)
    return waiting


def queue_section(user: User, limit: int) -> dict[str, Any]:
    """我的待办: the tracking items waiting for the user, overdue first."""
    if not user.has_role(Role.BUREAU_CREDIT, Role.HQ_RULES, Role.HQ_ADMIN):
        return {}
    waiting = items_visible_to(user).filter(items_waiting_for(user)).order_by("due_on", "pk")
    rows = list(waiting[:limit])
    today = clock.today()
    if not rows:
        return {}
    items = [(item, item.due_on < today) for item in rows]
    return {"sections": [{"template": "tracking/_queue.html", "items": items}]}


def _item_and_deviation_counts(
    orgs: dict[str, Any], date_from: dt.date, date_to: dt.date, as_of: dt.date
) -> tuple[dict[str, int], dict[str, int]]:
    """Deviations by kind and items open/overdue/closed of the months in the range, for `orgs` (a filter on
    the executing organization). An item is overdue when still open after its current step's due date."""
    months = (date_from.replace(day=1), date_to)
    deviations = dict(
        Deviation.objects.filter(**orgs, month__range=months).values_list("kind").annotate(n=Count("pk")).order_by()
    )
    still_open = ~Q(status=ItemStatus.CLOSED)
    items = TrackingItem.objects.filter(**orgs, month__range=months).aggregate(
        open=Count("pk", filter=still_open),
        overdue=Count("pk", filter=still_open & Q(due_on__lt=as_of)),
        closed=Count("pk", filter=Q(status=ItemStatus.CLOSED)),
    )
    return {kind.value: deviations.get(kind.value, 0) for kind in DeviationKind}, items


def execution_figures(org_ids: Sequence[int], date_from: dt.date, date_to: dt.date, as_of: dt.date) -> dict[str, int]:
    """The figures supervision counts (`application.execution` hook), on the same definitions as
    `tracking_figures`: reports on the organizations' decisions of the period, deviations and items of its
    months."""
    reported = Execution.objects.filter(
        decision__organization_id__in=org_ids, decision__on__range=(date_from, date_to)
    ).count()
    deviations, items = _item_and_deviation_counts({"organization_id__in": org_ids}, date_from, date_to, as_of)
    return {
        "executions": reported,
        "deviations": sum(deviations.values()),
        "items_open": items["open"],
        "items_overdue": items["overdue"],
        "items_closed": items["closed"],
    }


def tracking_figures(*, org: Organization, date_from: dt.date, date_to: dt.date) -> dict[str, Any]:
    """The figures of tracking's page, for decisions of `org`'s subtree with business dates in the range."""
    subtree = org.path
    decisions = Decision.objects.filter(organization__path__startswith=subtree, on__range=(date_from, date_to))
    executions = Execution.objects.filter(decision__in=decisions)
    report = tracking_params(date_to).report_deadline
    reported = on_time = 0
    for on, received_on, n in (
        executions.values_list("decision__on", TruncDate("received_at")).annotate(n=Count("pk")).order_by()
    ):
        reported += n
        if received_on <= due(on, report):
            on_time += n
    deviations, items = _item_and_deviation_counts(
        {"organization__path__startswith": subtree}, date_from, date_to, clock.today()
    )
    shares = []
    for grade, area, n, inspected, rate in (
        executions.values_list("decision__governing_grade", "decision__area")
        .annotate(n=Count("pk"), inspected=Count("pk", filter=Q(inspected=True)), rate=Avg("decision__sampling_rate"))
        .order_by("decision__governing_grade", "decision__area")
    ):
        shares.append(
            {
                "grade": grade or None,
                "area": area,
                "reported": n,
                "executed_share": round(inspected / n, 4) if n else None,
                "prescribed_share": round(float(rate), 4) if rate is not None else None,
            }
        )
    return {
        "org": org.code,
        "from": date_from,
        "to": date_to,
        "decisions": decisions.count(),
        "reported": reported,
        "reported_on_time": on_time,
        "deviations": deviations,
        "items": items,
        "inspection_share": shares,
    }


# The trend covers at least this many months up to the period's end, and at most TREND_MAX_MONTHS.
TREND_MONTHS = 6
TREND_MAX_MONTHS = 24


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def trend_months(date_from: dt.date, date_to: dt.date) -> list[dt.date]:
    """The first days of the months the trend shows: the period's, and at least the six up to its end."""
    last = _month_index(date_to)
    first = max(min(_month_index(date_from), last - TREND_MONTHS + 1), last - TREND_MAX_MONTHS + 1)
    return [dt.date(i // 12, i % 12 + 1, 1) for i in range(first, last + 1)]


def monthly_deviations(*, org: Organization, months: list[dt.date]) -> dict[dt.date, dict[str, int]]:
    """Deviations found in `org`'s subtree, by month and kind (every month and kind present, zeros included)."""
    counts = {month: {kind.value: 0 for kind in DeviationKind} for month in months}
    rows = (
        Deviation.objects.filter(organization__path__startswith=org.path, month__range=(months[0], months[-1]))
        .values_list("month", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for month, kind, n in rows:
        counts[month][kind] = n
    return counts
