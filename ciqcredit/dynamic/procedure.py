"""After the notice: carrying out a downgrade, and the serious-list procedure step by step.

Decisions (documented here because every caller inherits them):
- The notice gate: nothing changes a grade before the notice's delivery is recorded (`notice_not_delivered`).
- A downgrade takes effect on the delivery date. The guide requires notice before the downgrade is
  carried out (实施前书面告知), not a waiting period (the 20 days apply to listing only); the grade change
  is written only once delivery is recorded, and dating it on the day the enterprise received the notice
  keeps "grade on date D" free of future-dated changes.
- What is carried out is what the delivered notice states, nothing else. The outcome (rating.rules.
  downgrade_outcome: the grade in force lowered by the rule set's steps, never below its floor; with no grade
  yet, the point band's grade; 布控 kept) is decided when the notice is drafted; if on the delivery date the
  grade in force gives another outcome (a periodic result confirmed since), notice_deliver re-decides the
  case and drafts a new notice instead of delivering (notices.notice_redraft).
- AA is lost at once on any downgrade or listing: the change moves the grade below AA without waiting for
  an HQ batch, and its reason says so (audit `dynamic.case.aa_lost`).
- Serious list: defence within the rule set's days of receipt; the answer within its days of accepting the
  defence (a defence upheld cancels the case); reporting to the bureau no earlier than the set days after
  delivery (`too_early`); a bureau's batch for a month is made after that month ends and is due before the
  set day of the next month; HQ approval lists with the rule set's grade and 布控, effective on the
  approval date, and publishes.
"""

import datetime as dt
from typing import Any

from django.db import transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.dynamic.models import (
    CLOSED_STATUSES,
    BatchStatus,
    CaseKind,
    CaseStatus,
    DynamicCase,
    HqBatch,
    Notice,
)
from ciqcredit.dynamic.workflow import (
    STEP_ANSWER,
    STEP_DEFENCE,
    STEP_HQ_REPORT,
    STEP_REPORT_EARLIEST,
    add_months,
    case_params,
    defence_due,
    hq_report_due,
    lock_case,
    require_case_handler,
    require_hq_admin,
    require_kind,
    require_status,
    step_close,
    step_get,
    step_open,
    steps_close_all,
    transition,
)
from ciqcredit.errors import Conflict, DomainError, Forbidden, NotFound
from ciqcredit.files import file_attach
from ciqcredit.organizations.models import Organization
from ciqcredit.organizations.roles import Level, Role
from ciqcredit.rating.services.grades import grade_change_apply, grade_on


def _delivered_notice(case: DynamicCase) -> Notice:
    notice = Notice.objects.filter(case=case, voided_at__isnull=True).first()
    if notice is None or not notice.delivered:
        raise DomainError(
            "notice_not_delivered",
            "书面告知书尚未登记送达，不能实施降级或列入严重失信企业名单",
            {"case": case.pk, "notice": notice.number if notice else None},
            status=409,
        )
    return notice


def _aa_lost(case: DynamicCase, previous: str | None, actor: Actor) -> str:
    if previous != "AA":
        return ""
    audit_log(
        actor=actor,
        action="dynamic.case.aa_lost",
        target=case.enterprise,
        organization_id=case.organization_id,
        old={"grade": "AA"},
        new={"case": case.pk, "kind": case.kind},
    )
    return "；原为AA级，即时丧失AA级"


def _grade_reason(case: DynamicCase, notice: Notice) -> str:
    return f"{case.get_kind_display()}：{notice.content['rule_text']}（告知书{notice.number}）"


@transaction.atomic
def case_carry_out(*, case: DynamicCase, actor: Actor) -> DynamicCase:
    """Carry out a downgrade case once its notice is delivered: one grade change, effective the delivery date."""
    case = lock_case(case)
    require_case_handler(actor, case)
    require_kind(case, CaseKind.DOWNGRADE)
    notice = _delivered_notice(case)
    require_status(case, CaseStatus.NOTICE_DELIVERED)
    effective = notice.delivered_on
    assert effective is not None  # a delivered notice
    current = grade_on(case.enterprise, effective)
    # Exactly what the delivered notice states (notice_deliver re-decides before delivery when facts changed).
    stated_from, grade, controlled = (
        notice.content["from_grade"],
        notice.content["to_grade"],
        notice.content["controlled"],
    )
    if (current.grade or "") != stated_from:
        raise Conflict(
            "notice_outdated",
            f"告知书{notice.number}所述原等级与{effective:%Y-%m-%d}的等级不符，不能据此实施",
            {"notice": notice.number},
        )
    change = grade_change_apply(
        enterprise=case.enterprise,
        grade=grade,
        cause="dynamic_downgrade",
        effective_from=effective,
        actor=actor,
        controlled=controlled,
        ruleset_version=case.ruleset_version,
        reason=_grade_reason(case, notice) + _aa_lost(case, current.grade, actor),
        source=("dynamic.dynamiccase", str(case.pk)),
        notice_number=notice.number,
    )
    case.from_grade, case.to_grade, case.controlled = current.grade or "", grade, controlled
    case.carried_out_on, case.grade_change = effective, change
    case.save(update_fields=["from_grade", "to_grade", "controlled", "carried_out_on", "grade_change"])
    transition(case, CaseStatus.CARRIED_OUT, actor=actor, reason=f"{current.grade or '无'} → {grade}")
    return case


def _check_day(value: Any, field: str, *, not_before: dt.date | None, before_label: str) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise DomainError("invalid_date", "请填写日期", {"field": field}, status=422)
    if value > clock.today():
        raise DomainError("future_date", "日期不能晚于今天", {"field": field}, status=422)
    if not_before is not None and value < not_before:
        raise DomainError(
            "date_too_early", f"日期不能早于{before_label}（{not_before.isoformat()}）", {"field": field}, status=422
        )
    return value


@transaction.atomic
def case_record_defence(
    *, case: DynamicCase, received_on: dt.date, text: str, actor: Actor, file: Any = None
) -> DynamicCase:
    """The enterprise's written defence, accepted on `received_on`; the answer is due within the set days."""
    case = lock_case(case)
    require_case_handler(actor, case)
    require_kind(case, CaseKind.SERIOUS_LIST)
    require_status(case, CaseStatus.DEFENCE_PERIOD)
    notice = _delivered_notice(case)
    _check_day(received_on, "received_on", not_before=notice.delivered_on, before_label="告知书送达日期")
    due_on = defence_due(case)
    if due_on is not None and received_on > due_on:
        raise DomainError(
            "defence_period_over",
            f"陈述申辩期限已于{due_on:%Y-%m-%d}届满，不能再受理申辩",
            {"due_on": due_on.isoformat()},
            status=409,
        )
    if not (text or "").strip():
        raise DomainError("required", "请填写申辩意见摘要", {"field": "text"}, status=422)
    case.defence_received_on, case.defence_text = received_on, text.strip()
    fields = ["defence_received_on", "defence_text"]
    if file is not None:
        file_attach(case.defence_file, f"case{case.pk}-{getattr(file, 'name', 'defence')}", file)
        fields.append("defence_file")
    case.save(update_fields=fields)
    step_close(case, STEP_DEFENCE, on=received_on, actor=actor)
    answer = case_params(case).serious_list.answer
    step_open(case, STEP_ANSWER, start=received_on, days=answer.days, unit=answer.unit, actor=actor)
    transition(case, CaseStatus.DEFENCE_RECEIVED, actor=actor, reason="受理书面陈述申辩")
    return case


@transaction.atomic
def case_answer_defence(
    *, case: DynamicCase, answered_on: dt.date, answer: str, upheld: bool, actor: Actor
) -> DynamicCase:
    """The branch's answer to the defence. A defence upheld (申辩理由成立) cancels the case."""
    case = lock_case(case)
    require_case_handler(actor, case)
    require_status(case, CaseStatus.DEFENCE_RECEIVED)
    _check_day(answered_on, "answered_on", not_before=case.defence_received_on, before_label="申辩受理日期")
    if not (answer or "").strip():
        raise DomainError("required", "请填写答复意见", {"field": "answer"}, status=422)
    case.answered_on, case.answer_text = answered_on, answer.strip()
    case.save(update_fields=["answered_on", "answer_text"])
    step_close(case, STEP_ANSWER, on=answered_on, actor=actor)
    transition(case, CaseStatus.ANSWERED, actor=actor, reason="申辩理由成立" if upheld else "申辩理由不成立")
    if upheld:
        _cancel(case, reason=f"申辩理由成立：{case.answer_text}", actor=actor)
    return case


def _defence_window_over(case: DynamicCase) -> bool:
    due_on = defence_due(case)
    return due_on is not None and clock.today() > due_on


@transaction.atomic
def case_record_no_defence(*, case: DynamicCase, actor: Actor) -> DynamicCase:
    """The defence period ended without a defence."""
    case = lock_case(case)
    require_case_handler(actor, case)
    require_status(case, CaseStatus.DEFENCE_PERIOD)
    _lapse(case, actor)
    return case


def _lapse(case: DynamicCase, actor: Actor) -> None:
    window = step_get(case, STEP_DEFENCE)
    if not _defence_window_over(case):
        due = window.deadline.due_on.isoformat() if window else ""
        raise DomainError("defence_window_open", f"陈述申辩期限（{due}）尚未届满", {"due_on": due}, status=409)
    transition(case, CaseStatus.NO_DEFENCE, actor=actor, reason="申辩期限届满，企业未提出申辩")


@transaction.atomic
def case_report_to_bureau(*, case: DynamicCase, actor: Actor) -> DynamicCase:
    """The branch reports the case to its bureau, no earlier than the set days after the notice's delivery."""
    case = lock_case(case)
    require_case_handler(actor, case)
    require_kind(case, CaseKind.SERIOUS_LIST)
    require_status(case, CaseStatus.DEFENCE_PERIOD, CaseStatus.NO_DEFENCE, CaseStatus.ANSWERED)
    today = clock.today()
    earliest = step_get(case, STEP_REPORT_EARLIEST)
    if earliest is not None and today < earliest.deadline.due_on:
        raise DomainError(
            "too_early",
            f"告知书送达后须满规定天数方可上报直属局，最早上报日期为{earliest.deadline.due_on:%Y-%m-%d}",
            {"earliest": earliest.deadline.due_on.isoformat()},
            status=409,
        )
    if case.status == CaseStatus.DEFENCE_PERIOD:
        _lapse(case, actor)
    step_close(case, STEP_REPORT_EARLIEST, on=today, actor=actor)
    case.reported_to_bureau_on = today
    case.save(update_fields=["reported_to_bureau_on"])
    due = hq_report_due(case_params(case), today)
    step_open(case, STEP_HQ_REPORT, start=today, days=(due - today).days, unit="calendar", actor=actor)
    transition(case, CaseStatus.REPORTED_TO_BUREAU, actor=actor)
    return case


def _require_bureau_officer(actor: Actor, bureau: Organization) -> None:
    user = actor.user
    if user is None:
        return
    if user.is_enterprise_user or user.is_system or not bureau.is_within(user.organization):
        raise NotFound("机构")
    if not user.has_role(Role.BUREAU_CREDIT):
        raise Forbidden("只有直属局信用管理人员可以向总局上报严重失信企业名单", {"roles": [Role.BUREAU_CREDIT]})


@transaction.atomic
def hq_batch_create(*, bureau: Organization, month: dt.date, actor: Actor) -> HqBatch:
    """The bureau's batch for `month`: every case of its subtree reported to it by the end of that month."""
    _require_bureau_officer(actor, bureau)
    if bureau.level != Level.BUREAU:
        raise DomainError("not_a_bureau", "只有直属局可以向总局上报批次", {"organization": bureau.code})
    first = month.replace(day=1)
    last = add_months(first, 1) - dt.timedelta(days=1)
    today = clock.today()
    if today <= last:
        raise DomainError(
            "too_early", f"{first:%Y年%m月}尚未结束，月度批次须在次月上报", {"month": first.isoformat()}, status=409
        )
    if HqBatch.objects.filter(bureau=bureau, month=first).exists():
        raise Conflict("batch_exists", f"{bureau.name}{first:%Y年%m月}的批次已上报", {"month": first.isoformat()})
    cases = list(
        DynamicCase.objects.select_for_update()
        .filter(
            kind=CaseKind.SERIOUS_LIST,
            status=CaseStatus.REPORTED_TO_BUREAU,
            organization__path__startswith=bureau.path,
            reported_to_bureau_on__lte=last,
        )
        .select_related("enterprise", "organization")
        .order_by("id")
    )
    if not cases:
        raise DomainError("nothing_to_report", f"{first:%Y年%m月}没有待上报总局的案件", {"month": first.isoformat()})
    batch = HqBatch.objects.create(
        number=f"{bureau.code}-YB-{first:%Y%m}",
        bureau=bureau,
        month=first,
        submitted_at=clock.now(),
        submitted_by=actor.user,
    )
    for case in cases:
        case.batch = batch
        case.save(update_fields=["batch"])
        step_close(case, STEP_HQ_REPORT, on=today, actor=actor)
        transition(case, CaseStatus.REPORTED_TO_HQ, actor=actor, reason=f"批次{batch.number}")
    audit_log(
        actor=actor,
        action="dynamic.batch.submitted",
        target=batch,
        organization_id=bureau.pk,
        new={"number": batch.number, "month": first.isoformat(), "cases": [c.pk for c in cases]},
    )
    return batch


def _lock_batch(batch: HqBatch) -> HqBatch:
    locked = HqBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status != BatchStatus.SUBMITTED:
        raise Conflict(
            "batch_decided", f"批次{locked.number}已{locked.get_status_display()}", {"status": locked.status}
        )
    return locked


def _batch_cases(batch: HqBatch) -> list[DynamicCase]:
    return list(
        DynamicCase.objects.select_for_update()
        .filter(batch=batch, status=CaseStatus.REPORTED_TO_HQ)
        .select_related("enterprise", "organization")
        .order_by("id")
    )


def _list(case: DynamicCase, *, actor: Actor, today: dt.date) -> None:
    notice = _delivered_notice(case)
    listing = case_params(case).serious_list
    current = grade_on(case.enterprise, today)
    change = grade_change_apply(
        enterprise=case.enterprise,
        grade=listing.grade,
        cause="listing",
        effective_from=today,
        actor=actor,
        controlled=listing.controlled,
        ruleset_version=case.ruleset_version,
        reason=_grade_reason(case, notice) + _aa_lost(case, current.grade, actor),
        source=("dynamic.dynamiccase", str(case.pk)),
        notice_number=notice.number,
    )
    case.from_grade, case.to_grade, case.controlled = current.grade or "", listing.grade, listing.controlled
    case.carried_out_on, case.grade_change, case.published_at = today, change, clock.now()
    case.save(update_fields=["from_grade", "to_grade", "controlled", "carried_out_on", "grade_change", "published_at"])
    transition(case, CaseStatus.APPROVED, actor=actor, reason="总局批准列入严重失信企业名单并公布")


@transaction.atomic
def hq_batch_approve(*, batch: HqBatch, actor: Actor) -> HqBatch:
    """HQ approves a bureau's batch: each case is listed (grade, 布控, published) effective today."""
    require_hq_admin(actor)
    batch = _lock_batch(batch)
    today = clock.today()
    cases = _batch_cases(batch)
    for case in cases:
        _list(case, actor=actor, today=today)
    batch.status, batch.decided_at, batch.decided_by = BatchStatus.APPROVED, clock.now(), actor.user
    batch.save(update_fields=["status", "decided_at", "decided_by"])
    audit_log(
        actor=actor,
        action="dynamic.batch.approved",
        target=batch,
        organization_id=batch.bureau_id,
        old={"status": BatchStatus.SUBMITTED},
        new={"status": BatchStatus.APPROVED, "cases": [c.pk for c in cases]},
    )
    return batch


@transaction.atomic
def hq_batch_reject(*, batch: HqBatch, reason: str, actor: Actor) -> HqBatch:
    """HQ does not approve the batch: its cases end as rejected, with the reason."""
    require_hq_admin(actor)
    if not (reason or "").strip():
        raise DomainError("required", "请填写不予批准的理由", {"field": "reason"}, status=422)
    batch = _lock_batch(batch)
    cases = _batch_cases(batch)
    for case in cases:
        transition(case, CaseStatus.REJECTED, actor=actor, reason=reason.strip())
    batch.status, batch.decided_at, batch.decided_by = BatchStatus.REJECTED, clock.now(), actor.user
    batch.decision_reason = reason.strip()
    batch.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
    audit_log(
        actor=actor,
        action="dynamic.batch.rejected",
        target=batch,
        organization_id=batch.bureau_id,
        old={"status": BatchStatus.SUBMITTED},
        new={"status": BatchStatus.REJECTED, "reason": batch.decision_reason, "cases": [c.pk for c in cases]},
    )
    return batch


def _cancel(case: DynamicCase, *, reason: str, actor: Actor) -> None:
    case.cancel_reason = reason
    case.save(update_fields=["cancel_reason"])
    steps_close_all(case, on=clock.today(), actor=actor)
    transition(case, CaseStatus.CANCELLED, actor=actor, reason=reason)


@transaction.atomic
def case_cancel(*, case: DynamicCase, reason: str, actor: Actor) -> DynamicCase:
    """Cancel an open case (e.g. its triggering record was revoked); a carried-out or decided case cannot be."""
    case = lock_case(case)
    require_case_handler(actor, case)
    if not (reason or "").strip():
        raise DomainError("required", "请填写撤销理由", {"field": "reason"}, status=422)
    if case.status in CLOSED_STATUSES:
        raise Conflict("case_closed", f"案件已{case.get_status_display()}，不能撤销", {"status": case.status})
    _cancel(case, reason=reason.strip(), actor=actor)
    return case
