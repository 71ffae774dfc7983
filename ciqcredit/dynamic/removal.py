"""Removal from the serious dishonesty list (移出严重失信企业名单).

After rectification the enterprise applies through its bureau; the application is accepted on a date. It
may be removed when no effective record of it occurred in the rule set's `removal_clean_months` after the
acceptance (both ends included), decided no earlier than the end of that observation period.

Grade after removal: the rule set's immediate-downgrade floor (C in the reference values), without 布控,
effective on the decision date. Reasons: the listing set aside the point bands, so there is no periodic
result to go back to; restoring the pre-listing grade would reward the listing; the floor is the lowest
grade an enterprise can hold outside the list, and the next periodic evaluation re-rates it on its points.
"""

import datetime as dt
from typing import Any

from django.db import transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.collection.selectors import records_effective_in
from ciqcredit.dynamic.models import CaseKind, CaseStatus, DynamicCase, RemovalApplication, RemovalStatus
from ciqcredit.dynamic.workflow import (
    add_months,
    lock_case,
    require_case_handler,
    require_kind,
    require_status,
    ruleset_required,
    transition,
)
from ciqcredit.errors import Conflict, DomainError
from ciqcredit.rating.services.grades import grade_change_apply


def _state(application: RemovalApplication) -> dict[str, Any]:
    return {
        "status": application.status,
        "accepted_on": application.accepted_on.isoformat(),
        "clean_until": application.clean_until.isoformat(),
    }


@transaction.atomic
def removal_apply(*, case: DynamicCase, rectification: str, accepted_on: dt.date, actor: Actor) -> RemovalApplication:
    """Record an accepted application for removal of a listed enterprise; the observation period starts."""
    case = lock_case(case)
    require_case_handler(actor, case)
    require_kind(case, CaseKind.SERIOUS_LIST)
    require_status(case, CaseStatus.APPROVED)
    if not (rectification or "").strip():
        raise DomainError("required", "请填写整改情况", {"field": "rectification"}, status=422)
    if not isinstance(accepted_on, dt.date) or accepted_on > clock.today():
        raise DomainError("invalid_date", "受理日期须为不晚于今天的日期", {"field": "accepted_on"}, status=422)
    if case.carried_out_on is not None and accepted_on < case.carried_out_on:
        raise DomainError("date_too_early", "受理日期不能早于列入名单日期", {"field": "accepted_on"}, status=422)
    if case.removals.filter(status=RemovalStatus.ACCEPTED).exists():
        raise Conflict("removal_pending", "该企业已有受理中的移出申请")
    months = ruleset_required(accepted_on).rule_params.serious_list.removal_clean_months
    application = RemovalApplication.objects.create(
        case=case,
        enterprise=case.enterprise,
        organization=case.organization,
        rectification=rectification.strip(),
        accepted_on=accepted_on,
        clean_months=months,
        clean_until=add_months(accepted_on, months),
        created_by=actor.user,
        created_at=clock.now(),
    )
    audit_log(
        actor=actor,
        action="dynamic.removal.accepted",
        target=application,
        organization_id=case.organization_id,
        new=_state(application),
    )
    return application


def _lock(application: RemovalApplication) -> tuple[RemovalApplication, DynamicCase]:
    case = lock_case(application.case)
    application = RemovalApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != RemovalStatus.ACCEPTED:
        raise Conflict("removal_decided", f"该申请已{application.get_status_display()}", {"status": application.status})
    return application, case


def records_in_observation(application: RemovalApplication):
    return (
        records_effective_in(application.accepted_on, application.clean_until)
        .filter(enterprise=application.enterprise)
        .order_by("occurred_on", "id")
    )


@transaction.atomic
def removal_decide(*, application: RemovalApplication, actor: Actor) -> RemovalApplication:
    """Remove the enterprise from the list: refused with `too_early` during the observation period and with
    `not_clean` when an effective record occurred in it."""
    application, case = _lock(application)
    require_case_handler(actor, case)
    today = clock.today()
    if today <= application.clean_until:
        raise DomainError(
            "too_early",
            f"观察期（受理后{application.clean_months}个月，至{application.clean_until:%Y-%m-%d}）尚未届满",
            {"clean_until": application.clean_until.isoformat()},
            status=409,
        )
    dirty = list(records_in_observation(application)[:20])
    if dirty:
        raise DomainError(
            "not_clean",
            f"观察期内企业有{len(dirty)}条生效的失信记录，不能移出名单",
            {
                "records": [
                    {"id": r.pk, "association_no": r.association_no, "occurred_on": str(r.occurred_on)} for r in dirty
                ]
            },
            status=409,
        )
    params = ruleset_required(today).rule_params
    grade = params.immediate_downgrade.floor
    change = grade_change_apply(
        enterprise=case.enterprise,
        grade=grade,
        cause="removal",
        effective_from=today,
        actor=actor,
        controlled=False,
        ruleset_version=ruleset_required(today).number,
        reason=f"移出严重失信企业名单：受理后{application.clean_months}个月内无失信记录",
        source=("dynamic.removalapplication", str(application.pk)),
    )
    old = _state(application)
    application.status, application.decided_on, application.grade_change = RemovalStatus.APPROVED, today, change
    application.save(update_fields=["status", "decided_on", "grade_change"])
    audit_log(
        actor=actor,
        action="dynamic.removal.approved",
        target=application,
        organization_id=case.organization_id,
        old=old,
        new={**_state(application), "grade": grade},
    )
    transition(case, CaseStatus.REMOVED, actor=actor, reason=f"移出名单，等级调整为{grade}级")
    return application


@transaction.atomic
def removal_refuse(*, application: RemovalApplication, reason: str, actor: Actor) -> RemovalApplication:
    """Refuse an application (e.g. a new violation in the observation period); the enterprise stays listed."""
    application, case = _lock(application)
    require_case_handler(actor, case)
    if not (reason or "").strip():
        raise DomainError("required", "请填写不予移出的理由", {"field": "reason"}, status=422)
    old = _state(application)
    application.status, application.decided_on = RemovalStatus.REFUSED, clock.today()
    application.decision_reason = reason.strip()
    application.save(update_fields=["status", "decided_on", "decision_reason"])
    audit_log(
        actor=actor,
        action="dynamic.removal.refused",
        target=application,
        organization_id=case.organization_id,
        old=old,
        new={**_state(application), "reason": application.decision_reason},
    )
    return application
