"""Reads of credit repair: where an enterprise stands, and the applications a user may see (scoped).

Staff see the applications their organization's subtree reviews; an enterprise user sees its own enterprise's;
API clients see none. Out of scope answers 404, like every lookup.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, QuerySet

from ciqcredit import clock
from ciqcredit.collection.selectors import records_effective_in
from ciqcredit.dynamic.models import CaseKind, CaseStatus, DynamicCase, RemovalApplication, RemovalStatus
from ciqcredit.dynamic.workflow import ruleset_required
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.errors import NotFound
from ciqcredit.organizations.access import org_scope_q
from ciqcredit.organizations.models import User
from ciqcredit.organizations.roles import Role
from ciqcredit.repair.models import RepairApplication, RepairStatus
from ciqcredit.rules.repair import RepairWindow, repair_window


def listing_in_force(enterprise: Enterprise) -> DynamicCase | None:
    """The serious-list case that lists the enterprise now (approved by HQ, not removed), if any."""
    return (
        DynamicCase.objects.filter(enterprise=enterprise, kind=CaseKind.SERIOUS_LIST, status=CaseStatus.APPROVED)
        .select_related("organization")
        .order_by("-carried_out_on", "-id")
        .first()
    )


@dataclass(frozen=True)
class RepairStanding:
    """Where an enterprise stands for credit repair today."""

    today: dt.date
    case: DynamicCase | None  # the listing in force
    window: RepairWindow | None  # when an application may be made (None when not listed)
    waiting: RepairApplication | None  # submitted, not yet reviewed
    observing: RemovalApplication | None  # accepted: BRIEF.md's observation period runs

    @property
    def may_apply(self) -> bool:
        return (
            self.case is not None
            and self.waiting is None
            and self.observing is None
            and self.window is not None
            and self.window.open_on(self.today)
        )


def repair_standing(enterprise: Enterprise, today: dt.date | None = None) -> RepairStanding:
    today = today or clock.today()
    case = listing_in_force(enterprise)
    if case is None or case.carried_out_on is None:
        return RepairStanding(today, None, None, None, None)
    listed_on = case.carried_out_on
    last_record_on = (
        records_effective_in(listed_on, today).filter(enterprise=enterprise).aggregate(m=Max("occurred_on"))["m"]
    )
    refusals = [
        RepairApplication.objects.filter(case=case, status=RepairStatus.REJECTED).aggregate(m=Max("reviewed_on"))["m"],
        case.removals.filter(status=RemovalStatus.REFUSED).aggregate(m=Max("decided_on"))["m"],
    ]
    last_refusal_on = max((d for d in refusals if d is not None), default=None)
    window = repair_window(
        ruleset_required(today).rule_params,
        listed_on=listed_on,
        last_record_on=last_record_on,
        last_refusal_on=last_refusal_on,
    )
    waiting = RepairApplication.objects.filter(case=case, status=RepairStatus.SUBMITTED).first()
    observing = case.removals.filter(status=RemovalStatus.ACCEPTED).first()
    return RepairStanding(today, case, window, waiting, observing)


def repair_progress(application: RepairApplication, standing: RepairStanding | None = None) -> dict[str, Any]:
    """What the enterprise reads about its application: a Chinese state and detail, and when it may apply again
    (the removal's own outcome once the office accepted it)."""
    removal = application.removal
    if application.status == RepairStatus.SUBMITTED:
        return {
            "state": "已提交，待受理",
            "detail": f"受理机构将于{application.review_due:%Y-%m-%d}前审核",
            "next_allowed_on": None,
        }
    if application.status == RepairStatus.REJECTED:
        return {
            "state": "不予受理",
            "detail": application.decision_reason,
            "next_allowed_on": application.next_allowed_on,
        }
    assert removal is not None  # accepted applications always carry their removal
    if removal.status == RemovalStatus.ACCEPTED:
        return {
            "state": "已受理，观察期中",
            "detail": f"受理日期{removal.accepted_on:%Y-%m-%d}；观察期{removal.clean_months}个月，"
            f"至{removal.clean_until:%Y-%m-%d}，期满且期间无失信记录的，移出严重失信企业名单",
            "next_allowed_on": None,
        }
    if removal.status == RemovalStatus.APPROVED:
        return {
            "state": "已移出严重失信企业名单",
            "detail": f"{removal.decided_on:%Y-%m-%d}移出名单",
            "next_allowed_on": None,
        }
    window = standing.window if standing is not None else None
    return {
        "state": "不予移出",
        "detail": removal.decision_reason,
        "next_allowed_on": window.earliest if window is not None else None,
    }


def applications_visible_to(user: User) -> QuerySet[RepairApplication]:
    if user.is_system or not user.is_active:
        return RepairApplication.objects.none()
    if user.is_enterprise_user:
        if user.enterprise_id is None:
            return RepairApplication.objects.none()
        return RepairApplication.objects.filter(enterprise_id=user.enterprise_id)
    return RepairApplication.objects.filter(org_scope_q(user, "organization"))


def application_get_for_user(user: User, pk: int) -> RepairApplication:
    found = (
        applications_visible_to(user)
        .select_related("enterprise", "case", "organization", "removal", "submitted_by", "reviewed_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound("信用修复申请")
    return found


def repair_queue_section(user: User, limit: int) -> dict[str, Any]:
    """The queue page's section: applications waiting for the review of a credit officer's subtree."""
    if user.is_system or user.is_enterprise_user or not user.has_role(Role.BUREAU_CREDIT):
        return {}
    rows = list(
        applications_visible_to(user)
        .filter(status=RepairStatus.SUBMITTED)
        .select_related("enterprise")
        .order_by("review_due", "id")[:limit]
    )
    if not rows:
        return {}
    return {
        "sections": [
            {"template": "repair/_queue.html", "title": "待受理的信用修复申请", "rows": rows, "today": clock.today()}
        ]
    }
