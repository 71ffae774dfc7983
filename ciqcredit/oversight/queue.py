"""Supervision's section of the queue page (我的待办): sheets to fill, tasks to answer or to check."""

from typing import Any

from django.db.models import Q

from ciqcredit import clock
from ciqcredit.organizations.models import User
from ciqcredit.oversight.access import OFFICE_ROLES
from ciqcredit.oversight.models import InspectionSheet, PlanStatus, RectificationTask, SheetStatus, TaskStatus


def sheets_to_fill(user: User):
    """Open sheets of open plans the user inspects (named, or a supervisor of the organizing office)."""
    mine = Q(plan__inspectors=user)
    if user.has_role("supervisor"):
        mine |= Q(plan__organization=user.organization)
    return (
        InspectionSheet.objects.filter(mine, status=SheetStatus.OPEN, plan__status=PlanStatus.OPEN)
        .select_related("plan", "office")
        .distinct()
        .order_by("plan__period_end", "office__path")
    )


def tasks_to_answer(user: User):
    if not user.has_role(*OFFICE_ROLES):
        return RectificationTask.objects.none()
    return (
        RectificationTask.objects.filter(office=user.organization, status__in=(TaskStatus.OPEN, TaskStatus.RETURNED))
        .select_related("plan", "office")
        .order_by("due_on", "id")
    )


def tasks_to_check(user: User):
    mine = Q(plan__inspectors=user)
    if user.has_role("supervisor"):
        mine |= Q(plan__organization=user.organization)
    return (
        RectificationTask.objects.filter(mine, status=TaskStatus.ANSWERED)
        .select_related("plan", "office")
        .distinct()
        .order_by("due_on", "id")
    )


def oversight_section(user: User, limit: int) -> dict[str, Any]:
    sections = []
    today = clock.today()
    for title, rows, kind in (
        ("待填写的督查检查表", sheets_to_fill(user), "sheet"),
        ("待整改的督查问题", tasks_to_answer(user), "task"),
        ("待验收的整改情况", tasks_to_check(user), "task"),
    ):
        found = list(rows[:limit])
        if found:
            sections.append(
                {"template": "oversight/_queue.html", "title": title, "kind": kind, "rows": found, "today": today}
            )
    return {"sections": sections}
