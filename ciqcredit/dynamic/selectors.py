"""Reads of dynamic management, always scoped to the caller's organization subtree (HQ sees all)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ciqcredit import clock
from ciqcredit.dynamic.models import (
    CLOSED_STATUSES,
    CaseDeadline,
    CaseStatus,
    DynamicCase,
    HqBatch,
    Notice,
)
from ciqcredit.dynamic.workflow import EARLIEST_STEPS, ENTERPRISE_STEPS, NOT_OFFICE_DUTIES, STEP_DELIVERY, STEPS
from ciqcredit.errors import NotFound
from ciqcredit.organizations.access import org_scope_q
from ciqcredit.organizations.models import User
from ciqcredit.organizations.roles import Role


def cases_visible_to(user: User) -> QuerySet[DynamicCase]:
    """Staff: cases of their organization's subtree. Enterprise users and API clients, whatever their scopes:
    none (answered 404); cases and their notices are the bureaus' own business until delivered."""
    if user.is_system or user.is_enterprise_user or not user.is_active:
        return DynamicCase.objects.none()
    return DynamicCase.objects.filter(org_scope_q(user, "organization"))


def case_get_for_user(user: User, case_id: int) -> DynamicCase:
    case = (
        cases_visible_to(user)
        .select_related("enterprise", "organization", "batch", "grade_change", "trigger_record")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound("动态管理案件")
    return case


def notice_get_for_user(user: User, notice_id: int) -> Notice:
    notice = (
        Notice.objects.filter(case__in=cases_visible_to(user))
        .select_related("case__enterprise", "case__organization", "organization")
        .filter(pk=notice_id)
        .first()
    )
    if notice is None:
        raise NotFound("书面告知书")
    return notice


def notices_to_deliver(user: User) -> QuerySet[Notice]:
    """Notices waiting for delivery that this user may record (the "my queue" of a credit officer)."""
    if not user.has_role(Role.BUREAU_CREDIT):
        return Notice.objects.none()
    return (
        Notice.objects.filter(
            case__in=cases_visible_to(user), case__status=CaseStatus.AWAITING_NOTICE, voided_at__isnull=True
        )
        .select_related("case__enterprise", "organization")
        .order_by("drafted_at", "id")
    )


def cases_to_confirm(user: User) -> QuerySet[DynamicCase]:
    """Downgrade proposals waiting for this credit officer's confirmation or adjustment, oldest first."""
    if not user.has_role(Role.BUREAU_CREDIT):
        return DynamicCase.objects.none()
    return (
        cases_visible_to(user)
        .filter(status=CaseStatus.AWAITING_CONFIRMATION)
        .select_related("enterprise", "organization")
        .order_by("confirm_until", "id")
    )


def notices_overdue(user: User, *, on: dt.date | None = None) -> QuerySet[CaseDeadline]:
    """Notices not delivered within the rule set's delivery period (their open delivery steps past due)."""
    return overdue_steps(user, on=on).filter(step=STEP_DELIVERY)


def notices_with_deadlines(user: User, *, on: dt.date | None = None) -> list[dict]:
    """The notices waiting for this user's delivery, each with its age in days, its delivery due date and
    whether it is overdue."""
    on = on or clock.today()
    notices = list(notices_to_deliver(user))
    due = dict(
        CaseDeadline.objects.filter(
            case__in=[n.case_id for n in notices], step=STEP_DELIVERY, deadline__closed_at__isnull=True
        ).values_list("case_id", "deadline__due_on")
    )
    return [
        {
            "notice": n,
            "age_days": (on - timezone.localdate(n.drafted_at)).days,
            "due_on": due.get(n.case_id),
            "overdue": n.case_id in due and due[n.case_id] < on,
        }
        for n in notices
    ]


def case_list(user: User, *, status: str = "", kind: str = "", open_only: bool = False) -> QuerySet[DynamicCase]:
    qs = cases_visible_to(user).select_related("enterprise", "organization").prefetch_related("notices")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if open_only:
        qs = qs.exclude(status__in=CLOSED_STATUSES)
    return qs.prefetch_related(
        Prefetch("step_deadlines", queryset=CaseDeadline.objects.select_related("deadline").order_by("id"))
    ).order_by("-opened_at", "-id")


@dataclass(frozen=True)
class StepView:
    step: str
    label: str
    start: dt.date
    due_on: dt.date
    provisional: bool
    closed_on: dt.date | None
    earliest: bool  # the date is the earliest day the step may happen, not a due date
    overdue: bool  # open and past its due date (never for an earliest date or the enterprise's own period)
    late: bool  # done after its due date
    lapsed: bool = False  # the enterprise's own period ended without its act (no defence): not anyone's delay

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


def case_steps(case: DynamicCase, *, today: dt.date | None = None) -> list[StepView]:
    today = today or clock.today()
    views = []
    for item in case.step_deadlines.all():
        deadline = item.deadline
        earliest = item.step in EARLIEST_STEPS
        duty = item.step not in NOT_OFFICE_DUTIES
        past_open = deadline.closed_at is None and deadline.due_on < today
        views.append(
            StepView(
                step=item.step,
                label=STEPS.get(item.step, item.step),
                start=deadline.start,
                due_on=deadline.due_on,
                provisional=deadline.provisional,
                closed_on=deadline.closed_on,
                earliest=earliest,
                overdue=duty and past_open,
                late=duty and deadline.closed_on is not None and deadline.closed_on > deadline.due_on,
                lapsed=item.step in ENTERPRISE_STEPS and past_open,
            )
        )
    return views


def overdue_steps(user: User, *, on: dt.date | None = None) -> QuerySet[CaseDeadline]:
    """Open case steps past their due date in the user's subtree, oldest first (organization on each row)."""
    on = on or clock.today()
    return (
        CaseDeadline.objects.filter(case__in=cases_visible_to(user), deadline__closed_at__isnull=True)
        .exclude(step__in=NOT_OFFICE_DUTIES)
        .filter(deadline__due_on__lt=on)
        .select_related("deadline", "case__enterprise", "case__organization")
        .order_by("deadline__due_on", "id")
    )


def overdue_counts_by_organization(user: User, *, on: dt.date | None = None) -> list[tuple[str, str, int]]:
    """(organization code, name, overdue steps) for the user's subtree, most overdue first."""
    counts: dict[tuple[str, str], int] = {}
    for row in overdue_steps(user, on=on):
        key = (row.case.organization.code, row.case.organization.name)
        counts[key] = counts.get(key, 0) + 1
    return sorted(((code, name, n) for (code, name), n in counts.items()), key=lambda r: (-r[2], r[0]))


def batches_visible_to(user: User) -> QuerySet[HqBatch]:
    """HQ: every batch; a bureau: its own. Branches see their cases, not the bureau's whole batch."""
    if user.is_enterprise_user or not user.is_active:
        return HqBatch.objects.none()
    return HqBatch.objects.filter(org_scope_q(user, "bureau")).select_related("bureau")


def batch_get_for_user(user: User, batch_id: int) -> HqBatch:
    batch = batches_visible_to(user).filter(pk=batch_id).first()
    if batch is None:
        raise NotFound("上报批次")
    return batch
