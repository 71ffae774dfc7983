"""Scoped reads of supervision: the rows behind a figure, as plain dicts for the pages and the API alike."""

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from ciqcredit.dynamic.workflow import STEPS
from ciqcredit.errors import Forbidden, NotFound
from ciqcredit.organizations.access import organization_get_for_user
from ciqcredit.organizations.models import Organization, User
from ciqcredit.oversight.figures import Figure, figure_rows
from ciqcredit.oversight.models import Circular


def figures_organization(user: User, code: str | None) -> Organization:
    """The organization whose figures the user asks for: their own by default, else one of their subtree."""
    if user.is_enterprise_user:
        raise Forbidden("督查数据仅限检验检疫机构及接入系统查询")
    if not code:
        return user.organization
    return organization_get_for_user(user, code)


def _enterprise(e: Any) -> dict[str, str]:
    return {"credit_code": e.credit_code, "name": e.name}


def _record(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "association_no": r.association_no,
        "item_code": r.item_code,
        "enterprise": _enterprise(r.enterprise),
        "organization": r.organization.code,
        "organization_name": r.organization.name,
        "route": r.get_route_display(),
        "entered_at": r.entered_at.isoformat(),
        "late_days": r.late_days,
        "review_late_days": r.review_late_days,
        "status": r.get_status_display(),
        "url": reverse("collection:detail", args=[r.pk]),
    }


def _result(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "enterprise": _enterprise(r.enterprise),
        "organization": r.organization.code,
        "organization_name": r.organization.name,
        "initial_grade": r.initial_grade,
        "final_grade": r.final_grade,
        "status": r.get_status_display(),
        "decided_on": r.decided_on.isoformat() if r.decided_on else None,
        "confirm_until": r.confirm_until.isoformat(),
        "reason": r.reason,
        "url": reverse("rating:enterprise", args=[r.enterprise.credit_code]),
    }


def _case(c: Any) -> dict[str, Any]:
    return {
        "id": c.pk,
        "kind": c.get_kind_display(),
        "enterprise": _enterprise(c.enterprise),
        "organization": c.organization.code,
        "organization_name": c.organization.name,
        "status": c.get_status_display(),
        "opened_at": c.opened_at.isoformat(),
        "carried_out_on": c.carried_out_on.isoformat() if c.carried_out_on else None,
        "url": reverse("dynamic:case", args=[c.pk]),
    }


def _notice(n: Any) -> dict[str, Any]:
    return {
        "id": n.pk,
        "number": n.number,
        "enterprise": _enterprise(n.case.enterprise),
        "organization": n.case.organization.code,
        "organization_name": n.case.organization.name,
        "delivered_on": n.delivered_on.isoformat(),
        "delivery_due": n.delivery_due.isoformat() if n.delivery_due else None,
        "url": reverse("dynamic:case", args=[n.case_id]),
    }


def _step(s: Any) -> dict[str, Any]:
    return {
        "id": s.pk,
        "step": STEPS.get(s.step, s.step),
        "enterprise": _enterprise(s.case.enterprise),
        "organization": s.case.organization.code,
        "organization_name": s.case.organization.name,
        "due_on": s.deadline.due_on.isoformat(),
        "closed_on": s.deadline.closed_on.isoformat() if s.deadline.closed_on else None,
        "url": reverse("dynamic:case", args=[s.case_id]),
    }


def _staff(s: Any) -> dict[str, Any]:
    return {
        "id": s.pk,
        "person_name": s.person_name,
        "position": s.position,
        "department": s.department.name,
        "organization": s.department.organization.code,
        "organization_name": s.department.organization.name,
        "full_time": s.full_time,
        "trained_in_period": s.trained_in_period,
    }


def _task(t: Any) -> dict[str, Any]:
    return {
        "id": t.pk,
        "finding": t.finding,
        "organization": t.office.code,
        "organization_name": t.office.name,
        "due_on": t.due_on.isoformat(),
        "status": t.get_status_display(),
        "accepted_on": t.accepted_on.isoformat() if t.accepted_on else None,
        "url": reverse("oversight:task", args=[t.pk]),
    }


def _decision(d: Any) -> dict[str, Any]:
    return {
        "id": d.pk,
        "declaration_no": d.declaration_no,
        "on": d.on.isoformat(),
        "organization": d.organization.code,
        "organization_name": d.organization.name,
        "governing_grade": d.governing_grade,
        "inspect": d.inspect,
        "area": d.get_area_display(),
    }


ROWS: dict[str, tuple[tuple[str, ...], Any]] = {
    "record": (("enterprise", "organization", "item"), _record),
    "result": (("enterprise", "organization"), _result),
    "case": (("enterprise", "organization"), _case),
    "notice": (("case__enterprise", "case__organization"), _notice),
    "step": (("case__enterprise", "case__organization", "deadline"), _step),
    "staff": (("department__organization",), _staff),
    "task": (("office",), _task),
    "decision": (("organization",), _decision),
}


def drill_rows(
    organization: Organization, start: dt.date, end: dt.date, key: str, *, offset: int = 0, limit: int = 50
) -> tuple[Figure, int, list[dict[str, Any]]]:
    """The figure, how many rows stand behind it, and one page of them as dicts."""
    figure, rows = figure_rows(organization, start, end, key)
    related, shape = ROWS[figure.rows]
    page: QuerySet[Any] = rows.select_related(*related)[offset : offset + limit]
    return figure, rows.count(), [shape(row) for row in page]


def circulars_visible(user: User) -> QuerySet[Circular]:
    """Circulars issued by the user's subtree, or published to an office of it (an office it inspected)."""
    if user.is_enterprise_user or user.is_system or not user.roles:
        return Circular.objects.none()
    path = user.organization.path
    return (
        Circular.objects.filter(Q(organization__path__startswith=path) | Q(plan__offices__path__startswith=path))
        .distinct()
        .select_related("plan", "organization")
    )


def circular_get_for_user(user: User, pk: int) -> Circular:
    found = circulars_visible(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("督查通报")
    return found
