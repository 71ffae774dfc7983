"""Reads of credit records, always scoped to the caller.

A record is visible to staff of the collecting organization's subtree and of the responsible enterprise's
registering organization's subtree (the registering bureau rates the enterprise); HQ sees all; an
enterprise user sees the effective-or-later records charged to their own enterprise; systems see none
(the intake APIs answer what they wrote).
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from ciqcredit import clock
from ciqcredit.collection.choices import RecordStatus
from ciqcredit.collection.models import CreditRecord
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.errors import NotFound
from ciqcredit.organizations.models import User
from ciqcredit.organizations.roles import Level

PUBLIC_STATUSES = (
    RecordStatus.EFFECTIVE,
    RecordStatus.SUPERSEDED,
    RecordStatus.CORRECTED,
    RecordStatus.REVOKED,
)


def records_visible_to(user: User) -> QuerySet[CreditRecord]:
    if user.is_enterprise_user:
        return CreditRecord.objects.filter(enterprise_id=user.enterprise_id, status__in=PUBLIC_STATUSES)  # type: ignore[misc]  # django-stubs refuse None, which Django reads as IS NULL
    if user.is_system or not user.is_active:
        return CreditRecord.objects.none()
    if user.organization.level == Level.HQ:
        return CreditRecord.objects.all()
    path = user.organization.path
    return CreditRecord.objects.filter(
        Q(organization__path__startswith=path) | Q(enterprise__registering_org__path__startswith=path)
    )


def _with_relations(qs: QuerySet[CreditRecord]) -> QuerySet[CreditRecord]:
    return qs.select_related(
        "enterprise",
        "organization",
        "department",
        "deadline",
        "review_deadline",
        "superseded_by",
        "item__version",
    )


def record_get_for_user(user: User, record_id: int | str) -> CreditRecord:
    try:
        pk = int(record_id)
    except (TypeError, ValueError):
        raise NotFound("信用信息") from None
    record = _with_relations(records_visible_to(user)).filter(pk=pk).first()
    if record is None:
        raise NotFound("信用信息")
    return record


def record_search(
    user: User,
    *,
    text: str = "",
    credit_code: str = "",
    item_code: str = "",
    status: str = "",
    route: str = "",
    org_code: str = "",
    late: bool | None = None,
    occurred_from: dt.date | None = None,
    occurred_to: dt.date | None = None,
    act_ref: str = "",
) -> QuerySet[CreditRecord]:
    qs = _with_relations(records_visible_to(user))
    text = text.strip()
    if text:
        qs = qs.filter(
            Q(association_no__startswith=text.upper())
            | Q(enterprise__name__contains=text)
            | Q(enterprise__credit_code__startswith=text.upper())
        )
    if credit_code:
        qs = qs.filter(enterprise__credit_code=credit_code.strip().upper())
    if item_code:
        qs = qs.filter(item_code=item_code.strip())
    if status:
        qs = qs.filter(status=status)
    if route:
        qs = qs.filter(route=route)
    if org_code:
        qs = qs.filter(organization__path__contains=f"{org_code}/")
    # Late covers both deadlines: entered late, reviewed late, or past either deadline still waiting.
    late_q = Q(late_days__gt=0) | Q(review_late_days__gt=0) | overdue_q(clock.today())
    if late is True:
        qs = qs.filter(late_q)
    elif late is False:
        qs = qs.exclude(late_q)
    if occurred_from:
        qs = qs.filter(occurred_on__gte=occurred_from)
    if occurred_to:
        qs = qs.filter(occurred_on__lte=occurred_to)
    if act_ref:
        qs = qs.filter(act_ref=act_ref.strip())
    return qs.order_by("-entered_at", "-id")


# -- "my queue" --------------------------------------------------------------------------------------------


def queue_to_confirm(user: User) -> QuerySet[CreditRecord]:
    """Records awaiting this reviewer: e-CIQ ones routed to their department (检务/施检 by stage), and the
    manual ones of their organization that someone else collected."""
    if not user.has_role("reviewer", "bureau_credit") or user.is_system:
        return CreditRecord.objects.none()
    mine = Q(review_department__isnull=False, review_department_id=user.department_id) | Q(
        review_department__isnull=True, organization_id=user.organization_id
    )
    qs = CreditRecord.objects.filter(status=RecordStatus.AWAITING_CONFIRMATION).filter(mine)
    return _with_relations(qs.exclude(created_by=user)).order_by("submitted_at", "id")


def queue_drafts(user: User) -> QuerySet[CreditRecord]:
    return _with_relations(CreditRecord.objects.filter(status=RecordStatus.DRAFT, created_by=user)).order_by(
        "deadline__due_on", "id"
    )


def overdue_q(today: dt.date) -> Q:
    """Drafts past their entry deadline, and records awaiting confirmation past their review deadline."""
    return Q(status=RecordStatus.DRAFT, deadline__due_on__lt=today) | Q(
        status=RecordStatus.AWAITING_CONFIRMATION, review_deadline__due_on__lt=today
    )


def queue_overdue(user: User, today: dt.date | None = None) -> QuerySet[CreditRecord]:
    """Overdue work in the user's organization (its own, not the subtree: a queue is a to-do list)."""
    today = today or clock.today()
    qs = CreditRecord.objects.filter(organization_id=user.organization_id).filter(overdue_q(today))
    return _with_relations(qs).order_by("deadline__due_on", "id")


def overdue_by_department(user: User, today: dt.date | None = None) -> list[Mapping[str, Any]]:
    """Supervision figure (§三(六)): overdue records per collecting organization and department, in scope."""
    from django.db.models import Count

    today = today or clock.today()
    rows = (
        records_visible_to(user)
        .filter(overdue_q(today))
        .values("organization__code", "organization__name", "department__name")
        .annotate(count=Count("id"))
        .order_by("organization__code", "department__name")
    )
    return list(rows)


# --- What "effective in a period" means, for the apps that read records (rating, dynamic management). ---
# A record counts for a period when it is effective and its conduct (`occurred_on`) lies in the period, both
# bounds inclusive (BRIEF.md); superseded, revoked and corrected records never count.


def records_effective_in(start: dt.date, end: dt.date) -> QuerySet[CreditRecord]:
    """Every effective record whose conduct lies in [start, end] (unscoped: for rating and dynamic jobs)."""
    return CreditRecord.objects.filter(status=RecordStatus.EFFECTIVE, occurred_on__gte=start, occurred_on__lte=end)


@dataclass(frozen=True)
class SqlFragment:
    sql: str
    params: list[Any]


def records_effective_in_sql(start: dt.date, end: dt.date) -> SqlFragment:
    """`FROM <records> WHERE <effective in [start, end]>` for the set-based rating engine.

    The status is a literal (a fixed choice value, not input) so the planner matches the record indexes
    on it exactly as in a hand-written query; the bounds are parameters.
    """
    table = CreditRecord._meta.db_table
    return SqlFragment(
        f"FROM {table} WHERE status = '{RecordStatus.EFFECTIVE.value}' AND occurred_on >= %s AND occurred_on <= %s",
        [start, end],
    )


def records_concerning(enterprise: Enterprise) -> QuerySet[CreditRecord]:
    """Every record charged to the enterprise or naming it as the other party, newest conduct first (unscoped:
    the caller has checked the enterprise is visible)."""
    return CreditRecord.objects.filter(Q(enterprise=enterprise) | Q(other_party=enterprise)).order_by(
        "-occurred_on", "-id"
    )
