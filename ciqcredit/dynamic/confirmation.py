"""Confirming a downgrade's proposed grade (the dynamic initial rating, guide §四(一)–(二)) before its notice.

§四(一) has the platform rate automatically "在周期评定或动态管理时", and §四(二) gives every initial rating 5 days
for confirmation and 10 for adjustment. A downgrade case therefore opens `awaiting_confirmation` with the rule
set's `confirmation_window` and `adjustment_window` counted from the day it opened, on the responsible office's
worklist. A credit officer of that office (or above) confirms it, or adjusts the proposed grade with a written
reason under the rule set's adjustment rules; either drafts the notice. An adjustment may still replace the
drafted, undelivered notice until the adjustment window ends. Left unconfirmed when the confirmation window has
ended, `cases_close_unconfirmed` (run by `ciqcredit close_evaluations`) drafts the notice as computed and flags
the case `unconfirmed` for supervision.

A serious-list case is not confirmed here: its grade is decided by its own procedure (branch report, bureau
batch, HQ approval).
"""

import datetime as dt

from django.db import transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.catalogue.models import RuleSetVersion
from ciqcredit.dynamic.models import CaseKind, CaseStatus, DynamicCase, Notice
from ciqcredit.dynamic.notices import downgrade_detail, notice_draft, notice_redraft, redecide_on
from ciqcredit.dynamic.workflow import lock_case, require_case_handler, require_kind, require_status, transition
from ciqcredit.errors import DomainError
from ciqcredit.organizations.access import person_of
from ciqcredit.workdays.calendar import add_days


def confirmation_windows(params, opened_on: dt.date) -> tuple[dt.date, dt.date]:
    """(confirm until, adjust until) for a proposal made on `opened_on`, as for a periodic evaluation."""
    confirm, adjust = params.confirmation_window, params.adjustment_window
    return add_days(opened_on, confirm.days, confirm.unit).date, add_days(opened_on, adjust.days, adjust.unit).date


def _require_window(what: str, until: dt.date | None) -> None:
    """Refuse the step after its window (a case opened without one, before windows existed, has none open)."""
    if until is not None and clock.today() <= until:
        return
    when = f"已于 {until.isoformat()} 届满" if until is not None else "已届满"
    raise DomainError(
        "window_closed",
        f"{what}期限{when}，不能再{what}",
        {"until": until.isoformat() if until is not None else None, "today": clock.today().isoformat()},
        status=409,
    )


@transaction.atomic
def case_confirm(*, case: DynamicCase, actor: Actor) -> DynamicCase:
    """Confirm the proposed downgrade within the confirmation window: the notice is drafted on today's facts."""
    case = lock_case(case)
    require_case_handler(actor, case)
    require_kind(case, CaseKind.DOWNGRADE)
    require_status(case, CaseStatus.AWAITING_CONFIRMATION)
    _require_window("确认", case.confirm_until)
    _proceed(case, actor=actor, reason="确认初评结果")
    return case


def _proceed(case: DynamicCase, *, actor: Actor, reason: str) -> Notice:
    redecide_on(case, clock.today())
    transition(case, CaseStatus.AWAITING_NOTICE, actor=actor, reason=reason)
    return notice_draft(case=case, actor=actor)


@transaction.atomic
def case_adjust(*, case: DynamicCase, grade: str, reason: str, actor: Actor) -> DynamicCase:
    """Adjust the proposed grade with a written reason, within the adjustment window and under the rule set's
    adjustment rules (never to D or AA). A notice already drafted and not delivered is voided and redrafted."""
    from ciqcredit.rating.services.confirmation import adjustment_rules_check

    case = lock_case(case)
    require_case_handler(actor, case)
    require_kind(case, CaseKind.DOWNGRADE)
    require_status(case, CaseStatus.AWAITING_CONFIRMATION, CaseStatus.AWAITING_NOTICE)
    _require_window("调整", case.adjust_until)
    stored = RuleSetVersion.objects.get(number=case.ruleset_version).params
    rules = adjustment_rules_check(stored, from_grade=case.to_grade, to_grade=grade, user=person_of(actor))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("missing_reason", "调整初评结果须填写书面理由", {"field": "reason"})
    old = {"to_grade": case.to_grade}
    redecide_on(case, clock.today())
    case.to_grade, case.adjustment_reason = grade, reason
    case.detail = downgrade_detail(case) + f"（经调整：{reason}）"
    case.save(update_fields=["to_grade", "adjustment_reason", "detail"])
    audit_log(
        actor=actor,
        action="dynamic.case.adjusted",
        target=case,
        organization_id=case.organization_id,
        old=old,
        new={"to_grade": grade, "reason": reason, "rules": rules},
    )
    text = f"调整初评结果为{grade}级：{reason}"
    if case.status == CaseStatus.AWAITING_CONFIRMATION:
        transition(case, CaseStatus.AWAITING_NOTICE, actor=actor, reason=text)
        notice_draft(case=case, actor=actor)
    else:
        notice_redraft(case=case, reason=text, actor=actor, keep_decision=True)
    return case


def cases_close_unconfirmed(*, actor: Actor, today: dt.date | None = None) -> int:
    """Proposals left unconfirmed after their confirmation window proceed as computed, flagged `unconfirmed`.
    Idempotent (each case is re-checked under its row lock); returns how many were closed."""
    today = today or clock.today()
    ids = DynamicCase.objects.filter(status=CaseStatus.AWAITING_CONFIRMATION, confirm_until__lt=today).values_list(
        "id", flat=True
    )
    closed = 0
    for case_id in list(ids):
        with transaction.atomic():
            case = lock_case(DynamicCase(pk=case_id))
            if case.status != CaseStatus.AWAITING_CONFIRMATION:
                continue
            case.unconfirmed = True
            case.save(update_fields=["unconfirmed"])
            _proceed(case, actor=actor, reason="确认期限届满未确认，按自动初评结果办理（未经确认）")
            closed += 1
    return closed
