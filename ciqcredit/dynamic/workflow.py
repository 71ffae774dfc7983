"""What every dynamic-management service shares: who may act, status moves, step deadlines, the rule set.

Not a public API: the services in services.py, notices.py, procedure.py and removal.py build on it.
"""

import calendar
import datetime as dt

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.catalogue.models import RuleSetVersion
from ciqcredit.catalogue.selectors import ruleset_on
from ciqcredit.dynamic.models import CaseDeadline, CaseStatus, CaseTransition, DynamicCase
from ciqcredit.errors import DomainError, Forbidden, NotFound
from ciqcredit.organizations.roles import Role
from ciqcredit.rules.params import RuleSetParams, params_from_reference
from ciqcredit.workdays.services import deadline_close, deadline_open

# Step deadlines of a case (kind code of the workdays.Deadline row → Chinese label).
STEP_DELIVERY = "dynamic.delivery"
STEP_DEFENCE = "dynamic.defence"
STEP_ANSWER = "dynamic.answer"
STEP_REPORT_EARLIEST = "dynamic.report_earliest"
STEP_HQ_REPORT = "dynamic.hq_report"
STEPS: dict[str, str] = {
    STEP_DELIVERY: "送达书面告知书（拟制之日起）",
    STEP_DEFENCE: "企业提出书面陈述申辩（收到告知书之日起）",
    STEP_ANSWER: "对申辩作出答复（受理申辩之日起）",
    STEP_REPORT_EARLIEST: "最早可上报直属局日期（告知书送达后）",
    STEP_HQ_REPORT: "直属局汇总上报总局（次月规定日前）",
}
# Steps whose date is the earliest day something may happen, not a due date: never "overdue".
EARLIEST_STEPS = frozenset({STEP_REPORT_EARLIEST})
# The enterprise's own period (its written defence): when it ends without a defence, nobody is late; the
# procedure goes on without it.
ENTERPRISE_STEPS = frozenset({STEP_DEFENCE})
# The steps an office can be late on are all the others.
NOT_OFFICE_DUTIES = EARLIEST_STEPS | ENTERPRISE_STEPS


def require_case_handler(actor: Actor, case: DynamicCase) -> None:
    """A bureau credit officer of the responsible organization or one of its ancestors.

    A system actor (Actor.job(...)) is the platform itself, e.g. the recheck run by collection.
    Outsiders get NotFound: the case does not exist for them.
    """
    if actor.user is None:
        return
    user = actor.user
    if user.is_enterprise_user or not case.organization.is_within(user.organization):
        raise NotFound("动态管理案件")
    if user.is_system or not user.has_role(Role.BUREAU_CREDIT):
        raise Forbidden("只有责任机构或其上级机构的信用管理人员可以办理动态管理案件", {"roles": [Role.BUREAU_CREDIT]})


def require_hq_admin(actor: Actor) -> None:
    if actor.user is None:
        return
    if not (actor.user.is_hq and actor.user.has_role(Role.HQ_ADMIN)):
        raise Forbidden("只有总局管理员可以审批严重失信企业名单", {"roles": [Role.HQ_ADMIN]})


def require_status(case: DynamicCase, *allowed: str) -> None:
    if case.status not in allowed:
        wanted = "、".join(CaseStatus(s).label for s in allowed)
        raise DomainError(
            "wrong_case_status",
            f"案件当前状态为“{case.get_status_display()}”，此操作只能在“{wanted}”状态下进行",
            {"status": case.status, "allowed": list(allowed)},
            status=409,
        )


def require_kind(case: DynamicCase, kind: str) -> None:
    if case.kind != kind:
        raise DomainError(
            "wrong_case_kind", f"此操作不适用于“{case.get_kind_display()}”案件", {"kind": case.kind}, status=409
        )


def lock_case(case: DynamicCase) -> DynamicCase:
    """The case re-read under a row lock: the status the caller saw may be stale."""
    return DynamicCase.objects.select_for_update().select_related("enterprise", "organization").get(pk=case.pk)


def transition(case: DynamicCase, to: str, *, actor: Actor, reason: str = "") -> CaseTransition:
    """Move a locked case to `to`: the transition row, the saved status and the audit row, together."""
    old = case.status
    case.status = to
    fields = ["status"]
    if to in (CaseStatus.CARRIED_OUT, CaseStatus.APPROVED, CaseStatus.REJECTED, CaseStatus.CANCELLED):
        case.closed_at = clock.now()
        fields.append("closed_at")
    case.save(update_fields=fields)
    row = CaseTransition.objects.create(
        case=case,
        from_status=old,
        to_status=to,
        reason=reason,
        actor=actor.user,
        actor_label=actor.label,
        at=clock.now(),
    )
    audit_log(
        actor=actor,
        action=f"dynamic.case.{to}",
        target=case,
        organization_id=case.organization_id,
        old={"status": old},
        new={"status": to, **({"reason": reason} if reason else {})},
    )
    return row


def step_open(case: DynamicCase, step: str, *, start: dt.date, days: int, unit: str, actor: Actor) -> CaseDeadline:
    deadline = deadline_open(
        kind=step, target=case, organization=case.organization, start=start, days=days, unit=unit, actor=actor
    )
    return CaseDeadline.objects.create(case=case, step=step, deadline=deadline)


def step_get(case: DynamicCase, step: str) -> CaseDeadline | None:
    return case.step_deadlines.select_related("deadline").filter(step=step).order_by("-id").first()


def defence_due(case: DynamicCase) -> dt.date | None:
    """The last day of the enterprise's defence period (None before the notice is delivered, or without one)."""
    window = step_get(case, STEP_DEFENCE)
    return window.deadline.due_on if window is not None else None


def step_close(case: DynamicCase, step: str, *, on: dt.date, actor: Actor) -> None:
    found = step_get(case, step)
    if found is not None and found.deadline.closed_at is None:
        deadline_close(deadline=found.deadline, closed_on=on, actor=actor)


def steps_close_all(case: DynamicCase, *, on: dt.date, actor: Actor) -> None:
    for found in case.step_deadlines.select_related("deadline").filter(deadline__closed_at__isnull=True):
        deadline_close(deadline=found.deadline, closed_on=max(on, found.deadline.start), actor=actor)


def ruleset_required(on: dt.date) -> RuleSetVersion:
    version = ruleset_on(on)
    if version is None:
        raise DomainError("no_ruleset", f"{on.isoformat()} 没有生效的信用等级评定规则，无法进行动态管理")
    return version


def case_params(case: DynamicCase) -> RuleSetParams:
    """The parameters of the rule set the case was opened under: its procedure does not change midway."""
    return RuleSetVersion.objects.get(number=case.ruleset_version).rule_params


def case_params_from_reference(case: DynamicCase) -> list[str]:
    """The parameters the case's rule set does not set, which took their reference value."""
    return params_from_reference(RuleSetVersion.objects.get(number=case.ruleset_version).params)


def add_months(d: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's last day (31 Aug + 6 months = 28/29 Feb)."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


def hq_report_due(params: RuleSetParams, reported_on: dt.date) -> dt.date:
    """Cases reported to the bureau in a month go to HQ in that month's batch, before the set day of the next."""
    following = add_months(reported_on.replace(day=1), 1)
    return following.replace(day=params.serious_list.hq_report_day_of_month) - dt.timedelta(days=1)


SYSTEM = Actor.job("dynamic")
