"""The written notice (书面告知, guide §三(八)): numbering, the content snapshot, and recording its delivery.

Numbers are `<issuing organization code>-XG-<year>-<4-digit serial>`, gap-free per organization and year:
the serial row is taken under a row lock in the transaction that drafts the notice, so a rollback gives
the number back. The content is a snapshot taken when the notice is drafted (facts, records, points, rule,
intended action, the right to a defence and its deadline, issuer): the PDF is rendered from it, so a
notice reads the same however often it is printed, whatever happens to the records later.
"""

import datetime as dt
from typing import Any

from django.core.files import File
from django.db import transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.dynamic import procedure
from ciqcredit.dynamic.models import (
    CaseKind,
    CaseStatus,
    DeliveryMethod,
    DynamicCase,
    Notice,
    NoticeSerial,
)
from ciqcredit.dynamic.workflow import (
    STEP_DEFENCE,
    STEP_DELIVERY,
    STEP_REPORT_EARLIEST,
    case_params,
    case_params_from_reference,
    lock_case,
    require_case_handler,
    require_status,
    step_close,
    step_open,
    transition,
)
from ciqcredit.errors import Conflict, DomainError
from ciqcredit.files import file_attach
from ciqcredit.organizations.models import Organization
from ciqcredit.rating.services.grades import grade_on
from ciqcredit.rules.grading import downgrade_outcome
from ciqcredit.rules.params import RuleSetParams
from ciqcredit.sql import serial_take

MAX_SERIAL = 9999
UNIT_LABELS = {"calendar": "日", "working": "个工作日"}


def notice_number(organization: Organization, year: int, serial: int) -> str:
    return f"{organization.code}-XG-{year}-{serial:04d}"


def _next_serial(organization: Organization, year: int) -> int:
    return serial_take(
        NoticeSerial,
        limit=MAX_SERIAL,
        exhausted=DomainError(
            "notice_serial_exhausted",
            f"{organization.name}{year}年的告知书编号已用完（最多{MAX_SERIAL}份），请联系总局管理员",
            {"organization": organization.code, "year": year},
        ),
        organization=organization,
        year=year,
    )


def intended_action_text(case: DynamicCase) -> str:
    if case.kind == CaseKind.SERIOUS_LIST:
        control = "，实施布控" if case.controlled else ""
        return f"列入严重失信企业名单，信用等级调整为{case.to_grade}级{control}，并向社会公布"
    control = "，并实施布控" if case.controlled else ""
    if not case.from_grade:
        return f"尚无信用等级，按本周期计分确定为{case.to_grade}级{control}"
    if case.from_grade != case.to_grade:
        return f"即时降级，信用等级由{case.from_grade}级降为{case.to_grade}级{control}"
    return f"保持{case.from_grade}级（已在降级下限）" + ("，实施布控" if case.controlled else "")


def defence_text(params: RuleSetParams, kind: str) -> dict[str, Any] | None:
    """The defence the rule set's procedure for this kind of case gives, or None when it has none.

    Only the serious-list procedure has a defence (陈述申辩); an immediate downgrade is notified before it is
    carried out (实施前书面告知) and its notice promises nothing the platform would then refuse to record.
    """
    if kind != CaseKind.SERIOUS_LIST:
        return None
    period = params.serious_list.defence
    unit = UNIT_LABELS[period.unit]
    text = (
        f"根据《出入境检验检疫企业信用管理办法》，你单位有权进行陈述和申辩。如有异议，请自收到本告知书之日起"
        f"{period.days}{unit}内向本机构提交书面陈述申辩材料；逾期未提出的，视为放弃陈述申辩的权利。"
    )
    return {"days": period.days, "unit": period.unit, "text": text}


def notice_content(case: DynamicCase, *, number: str, drafted_on: dt.date) -> dict[str, Any]:
    """The snapshot of everything the notice says."""
    params = case_params(case)
    enterprise, organization = case.enterprise, case.organization
    links = case.case_records.select_related("record__item").order_by("record__occurred_on", "record_id")
    records = [
        {
            "id": link.record_id,
            "item_code": link.record.item_code,
            "item_name": link.record.item.name,
            "legal_basis": link.record.item.legal_basis,
            "occurred_on": link.record.occurred_on.isoformat(),
            "association_no": link.record.association_no,
            "points": link.points,
            "serious": link.record.serious,
            "penalised": link.record.penalised,
            "enters_blacklist": link.record.enters_blacklist,
        }
        for link in links
    ]
    delivery = params.notice_delivery
    return {
        "number": number,
        "title": "企业信用管理书面告知书",
        "kind": case.kind,
        "kind_label": case.get_kind_display(),
        "drafted_on": drafted_on.isoformat(),
        "enterprise": {"name": enterprise.name, "credit_code": enterprise.credit_code, "address": enterprise.address},
        "issuer": {"code": organization.code, "name": organization.name},
        "period": {"start": case.period_start.isoformat(), "end": case.period_end.isoformat()},
        "records": records,
        "total_points": case.points,
        "serious_points": case.serious_points,
        "rule": case.rule,
        "rule_text": case.detail,
        "threshold": case.threshold,
        "ruleset_version": case.ruleset_version,
        "intended_action": intended_action_text(case),
        "from_grade": case.from_grade,
        "to_grade": case.to_grade,
        "controlled": case.controlled,
        "defence": defence_text(params, case.kind),
        "delivery": {
            "days": delivery.days,
            "unit": delivery.unit,
            "reference_value": "notice_delivery" in case_params_from_reference(case),
        },
    }


def notice_draft(*, case: DynamicCase, actor: Actor) -> Notice:
    """Number and draft the notice of a newly opened case (called by dynamic_recheck, in its transaction)."""
    today = clock.today()
    serial = _next_serial(case.organization, today.year)
    number = notice_number(case.organization, today.year, serial)
    notice = Notice.objects.create(
        case=case,
        number=number,
        organization=case.organization,
        year=today.year,
        serial=serial,
        content=notice_content(case, number=number, drafted_on=today),
        drafted_at=clock.now(),
    )
    period = case_params(case).notice_delivery
    step_open(case, STEP_DELIVERY, start=today, days=period.days, unit=period.unit, actor=actor)
    audit_log(
        actor=actor,
        action="dynamic.notice.drafted",
        target=notice,
        organization_id=case.organization_id,
        new={"number": number, "case": case.pk, "intended_action": notice.content["intended_action"]},
    )
    return notice


def _check_delivery(notice: Notice, *, method: str, delivered_on: Any, recipient: str, proof_file: Any) -> list:
    errors = []
    if method not in DeliveryMethod.values:
        allowed = "、".join(f"{v}（{label}）" for v, label in DeliveryMethod.choices)
        errors.append({"field": "method", "code": "unknown_method", "message": f"送达方式应为：{allowed}"})
    if not isinstance(delivered_on, dt.date) or isinstance(delivered_on, dt.datetime):
        errors.append({"field": "delivered_on", "code": "required", "message": "请填写送达日期"})
    elif delivered_on > clock.today():
        errors.append({"field": "delivered_on", "code": "future_date", "message": "送达日期不能晚于今天"})
    elif delivered_on < notice.drafted_at.date():
        errors.append({"field": "delivered_on", "code": "before_drafted", "message": "送达日期不能早于告知书拟制日期"})
    if not (recipient or "").strip():
        errors.append({"field": "recipient", "code": "required", "message": "请填写签收人（公告送达填写公告载体）"})
    if proof_file is None or not getattr(proof_file, "name", ""):
        errors.append({"field": "proof_file", "code": "required", "message": "请上传送达回证或送达凭证"})
    return errors


def _facts_changed(case: DynamicCase, notice: Notice, on: dt.date) -> str:
    """Why the notice's statement no longer holds for a delivery on `on` (empty: it holds).

    A downgrade takes effect on the delivery date, from the grade in force that day: when that grade (a
    periodic result confirmed since, an adjustment) gives another outcome than the one stated, the notice
    must not be delivered. An adjusted proposal holds while the grade it was adjusted from is still in force.
    A listing's outcome (the rule set's grade, decided by HQ) does not depend on it.
    """
    if case.kind != CaseKind.DOWNGRADE:
        return ""
    current = grade_on(case.enterprise, on)
    stated = (notice.content.get("from_grade") or None, notice.content.get("to_grade"), notice.content["controlled"])
    if case.adjustment_reason and current.grade == stated[0]:
        return ""
    grade, controlled = downgrade_outcome(
        case_params(case), current_grade=current.grade, controlled=current.controlled, points=case.points
    )
    if (current.grade, grade, controlled) == stated:
        return ""
    return f"{on:%Y-%m-%d}企业信用等级为{current.grade + '级' if current.grade else '无等级'}，与告知书所述不符"


def notice_holds(notice: Notice, on: dt.date) -> bool:
    """Whether the notice's statement still holds for a delivery on `on` (the facts have not changed since)."""
    return not _facts_changed(notice.case, notice, on)


def downgrade_detail(case: DynamicCase) -> str:
    what = intended_action_text(case)
    return f"本周期计分{case.points}分，达到即时降级分值{case.threshold}分：{what}"


def redecide_on(case: DynamicCase, on: dt.date) -> None:
    """Decide a downgrade case's outcome on the facts of `on` (the grade in force then), dropping any earlier
    adjustment: the proposal it adjusted no longer stands. Saves the case."""
    current = grade_on(case.enterprise, on)
    grade, controlled = downgrade_outcome(
        case_params(case), current_grade=current.grade, controlled=current.controlled, points=case.points
    )
    case.from_grade, case.to_grade, case.controlled = current.grade or "", grade, controlled
    case.adjustment_reason = ""
    case.detail = downgrade_detail(case)
    case.save(update_fields=["from_grade", "to_grade", "controlled", "adjustment_reason", "detail"])


def notice_redraft(
    *, case: DynamicCase, reason: str, actor: Actor, on: dt.date | None = None, keep_decision: bool = False
) -> Notice:
    """Void the case's current notice (kept, with its number) and draft a new one: re-deciding the case on the
    facts of `on` first, unless the caller has just decided it (`keep_decision`, an adjustment). Runs inside the
    caller's transaction with the case locked."""
    old = Notice.objects.select_for_update().get(case=case, voided_at__isnull=True)
    before = {k: old.content.get(k) for k in ("from_grade", "to_grade", "controlled")}
    if not keep_decision:
        redecide_on(case, on or clock.today())
    old.voided_at, old.void_reason = clock.now(), reason
    old.save(update_fields=["voided_at", "void_reason"])
    step_close(case, STEP_DELIVERY, on=clock.today(), actor=actor)
    new = notice_draft(case=case, actor=actor)
    old.replaced_by = new
    old.save(update_fields=["replaced_by"])
    audit_log(
        actor=actor,
        action="dynamic.notice.voided",
        target=old,
        organization_id=case.organization_id,
        old=before,
        new={
            "reason": reason,
            "replaced_by": new.number,
            "from_grade": case.from_grade,
            "to_grade": case.to_grade,
            "controlled": case.controlled,
        },
    )
    transition(
        case,
        CaseStatus.AWAITING_NOTICE,
        actor=actor,
        reason=f"重新决定：{reason}；告知书{old.number}作废，重新拟制{new.number}",
    )
    return new


@transaction.atomic
def _redecide_before_delivery(*, notice: Notice, delivered_on: Any, actor: Actor) -> Notice | None:
    case = lock_case(notice.case)
    require_case_handler(actor, case)
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.voided:
        replaced = f"，请送达告知书{notice.replaced_by.number}" if notice.replaced_by is not None else ""
        raise Conflict("notice_voided", f"告知书{notice.number}已作废{replaced}", {"number": notice.number})
    if notice.delivered or case.status != CaseStatus.AWAITING_NOTICE:
        return None  # the delivery refuses it with the precise reason
    if not isinstance(delivered_on, dt.date) or not notice.drafted_at.date() <= delivered_on <= clock.today():
        return None  # invalid dates are reported by the delivery's checks
    reason = _facts_changed(case, notice, delivered_on)
    if not reason:
        return None
    return notice_redraft(case=case, on=delivered_on, reason=reason, actor=actor)


def notice_deliver(
    *, notice: Notice, method: str, delivered_on: dt.date, recipient: str, proof_file: File, actor: Actor
) -> Notice:
    """Record the delivery of a notice with its proof; the case then moves on.

    A downgrade is carried out at once, exactly as the notice states (effective on the delivery date, see
    procedure.case_carry_out); a serious-list case enters its defence period, with the defence deadline and
    the earliest date it may be reported to the bureau tracked from the delivery date.

    When the facts on the delivery date no longer give what the notice states, nothing is delivered: the case
    is re-decided, this notice voided and a new one drafted (committed), and `notice_redrafted` (409) names it.
    """
    redrafted = _redecide_before_delivery(notice=notice, delivered_on=delivered_on, actor=actor)
    if redrafted is not None:
        raise Conflict(
            "notice_redrafted",
            f"告知书{notice.number}所述处理与送达日的事实不符，已作废；已重新拟制告知书{redrafted.number}"
            f"（{redrafted.content['intended_action']}），请送达新告知书",
            {"voided": notice.number, "notice": redrafted.number},
        )
    return _deliver(
        notice=notice, method=method, delivered_on=delivered_on, recipient=recipient, proof_file=proof_file, actor=actor
    )


@transaction.atomic
def _deliver(
    *, notice: Notice, method: str, delivered_on: dt.date, recipient: str, proof_file: File, actor: Actor
) -> Notice:
    case = lock_case(notice.case)
    require_case_handler(actor, case)
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.delivered:
        raise Conflict(
            "notice_already_delivered",
            f"告知书{notice.number}已于{notice.delivered_on:%Y-%m-%d}送达，不能重复登记",
            {"delivered_on": f"{notice.delivered_on:%Y-%m-%d}"},
        )
    require_status(case, CaseStatus.AWAITING_NOTICE)
    errors = _check_delivery(
        notice, method=method, delivered_on=delivered_on, recipient=recipient, proof_file=proof_file
    )
    if errors:
        raise DomainError("invalid_delivery", "送达信息不完整或有误", {"errors": errors}, status=422)
    name = (getattr(proof_file, "name", "") or "proof").rsplit("/", 1)[-1]
    file_attach(notice.proof_file, f"{notice.number}-{name}", proof_file)
    notice.delivery_method = method
    notice.delivered_on = delivered_on
    notice.recipient = recipient.strip()
    notice.delivery_recorded_by = actor.user
    notice.delivery_recorded_at = clock.now()
    notice.save(
        update_fields=[
            "proof_file",
            "delivery_method",
            "delivered_on",
            "recipient",
            "delivery_recorded_by",
            "delivery_recorded_at",
        ]
    )
    audit_log(
        actor=actor,
        action="dynamic.notice.delivered",
        target=notice,
        organization_id=case.organization_id,
        old={"delivered_on": None},
        new={
            "method": method,
            "delivered_on": delivered_on.isoformat(),
            "recipient": notice.recipient,
            "proof_file": notice.proof_file.name,
        },
    )
    delivery_consequences(case, notice, delivered_on=delivered_on, actor=actor)
    return notice


def delivery_consequences(case: DynamicCase, notice: Notice, *, delivered_on: dt.date, actor: Actor) -> None:
    """What a recorded delivery sets going, however it was delivered (on paper or to the enterprise's account):
    a downgrade is carried out as the notice states; a listing case enters its defence period."""
    step_close(case, STEP_DELIVERY, on=delivered_on, actor=actor)
    transition(case, CaseStatus.NOTICE_DELIVERED, actor=actor, reason=f"{notice.get_delivery_method_display()}")
    if case.kind == CaseKind.DOWNGRADE:
        procedure.case_carry_out(case=case, actor=actor)
    else:
        params = case_params(case)
        listing = params.serious_list
        step_open(
            case, STEP_DEFENCE, start=delivered_on, days=listing.defence.days, unit=listing.defence.unit, actor=actor
        )
        step_open(
            case,
            STEP_REPORT_EARLIEST,
            start=delivered_on,
            days=listing.notice_before_report.days,
            unit=listing.notice_before_report.unit,
            actor=actor,
        )
        transition(case, CaseStatus.DEFENCE_PERIOD, actor=actor)
