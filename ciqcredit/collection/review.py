"""Review of credit records: confirm, return, revoke, correct (§三(五)3, §六(二)).

Re-exported by services.py, so `ciqcredit.collection.services` lists every state change of a record.
"""

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.collection.choices import RecordStatus, Route
from ciqcredit.collection.deadlines import deadline_finish
from ciqcredit.collection.effect import (
    make_effective,
    record_snapshot,
    record_withdrawn_notify,
    reinstate_superseded,
    transition,
    transition_audited,
)
from ciqcredit.collection.models import CreditRecord
from ciqcredit.collection.recording import (
    check_applicable,
    copy_item,
    invalid,
    item_for,
    lock_record,
    record_fields,
    require_status,
)
from ciqcredit.collection.rules import REVIEWER_ROLES, Refusal, field_errors
from ciqcredit.errors import DomainError, Forbidden
from ciqcredit.organizations.access import person_of
from ciqcredit.organizations.models import User


def review_refusal(user: User, record: CreditRecord) -> Refusal | None:
    """§三(五)3 and §六(二): who may confirm or return this record."""
    if user.is_system or not user.has_role(*REVIEWER_ROLES):
        return Refusal("not_reviewer", "只有信息审核人员（或信用管理人员）可以审核确认信用信息")
    if record.created_by_id == user.id:
        return Refusal("own_record", "采集人员不能审核确认自己采集的信息")
    if record.review_department_id is not None:
        if user.department_id != record.review_department_id:
            dept = record.review_department
            assert dept is not None  # review_department_id is set
            return Refusal(
                "wrong_review_department",
                f"该信息须由{dept.organization.name}{dept.name}的审核人员确认",
            )
    elif user.organization_id != record.organization_id:
        return Refusal(
            "wrong_organization",
            f"该信息须由采集机构（{record.organization.name}）的审核人员确认",
        )
    return None


def _require_reviewer(user: User, record: CreditRecord) -> None:
    refusal = review_refusal(user, record)
    if refusal is not None:
        raise Forbidden(refusal.message, code=refusal.code)


def _finish_review(record: CreditRecord, who: Actor) -> None:
    if record.review_deadline_id is not None:
        deadline = record.review_deadline
        if deadline is not None and deadline.closed_at is None:
            record.review_late_days = deadline_finish(deadline=deadline, done_on=clock.today(), actor=who)
    record.confirmed_by = who.user
    record.save(update_fields=["review_late_days", "confirmed_by"])


def record_confirm(*, record: CreditRecord, actor: Actor) -> CreditRecord:
    """awaiting_confirmation → effective (or superseded at once under the one-act rule)."""
    user = person_of(actor)
    with transaction.atomic():
        lock_record(record)
        _require_reviewer(user, record)  # who before what state: an outsider learns nothing from a 409
        require_status(record, RecordStatus.AWAITING_CONFIRMATION)
        _finish_review(record, actor)
        audit_log(
            actor=actor,
            action="collection.record.confirmed",
            target=record,
            old={"status": record.status},
            new={"confirmed_by": user.username},
            organization_id=record.organization_id,
        )
        make_effective(record, actor, reason="审核确认")
    return record


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise DomainError("missing_reason", "请填写理由", {"field": "reason"}, status=422)
    return text


def record_return(*, record: CreditRecord, reason: str, actor: Actor) -> CreditRecord:
    """awaiting_confirmation → draft, with the reviewer's reason, for the collector to complete."""
    user = person_of(actor)
    text = _reason(reason)
    with transaction.atomic():
        lock_record(record)
        _require_reviewer(user, record)  # who before what state: an outsider learns nothing from a 409
        require_status(record, RecordStatus.AWAITING_CONFIRMATION)
        if record.route == Route.ECIQ:
            raise DomainError(
                "eciq_cannot_return",
                "e-CIQ 自动采集的信息不能退回，如判定不属失信行为请撤销",
                status=409,
            )
        _finish_review(record, actor)
        transition_audited(record, RecordStatus.DRAFT, actor, action="collection.record.returned", reason=text)
    return record


def _require_manager(user: User, record: CreditRecord) -> None:
    """Revocation and correction: a reviewer (or credit officer) of the collecting organization or above it."""
    if user.is_system or not user.has_role(*REVIEWER_ROLES):
        raise Forbidden(
            "只有信息审核人员（或信用管理人员）可以撤销或更正信用信息",
            code="not_reviewer",
        )
    if not record.organization.is_within(user.organization):
        raise Forbidden(
            f"该信息须由采集机构（{record.organization.name}）或其上级机构处理",
            code="wrong_organization",
        )


def record_revoke(*, record: CreditRecord, reason: str, actor: Actor) -> CreditRecord:
    """effective → revoked (also an e-CIQ record awaiting judgment that is judged not a violation)."""
    user = person_of(actor)
    text = _reason(reason)
    with transaction.atomic():
        lock_record(record)
        if user.is_system or not user.has_role(*REVIEWER_ROLES):
            _require_manager(user, record)  # refuses: the role first, whatever the record's state
        require_status(record, RecordStatus.EFFECTIVE, RecordStatus.AWAITING_CONFIRMATION)
        if record.status == RecordStatus.AWAITING_CONFIRMATION:
            if record.route != Route.ECIQ:
                raise DomainError(
                    "wrong_status",
                    "待审核的人工采集信息请退回采集人员，不能撤销",
                    status=409,
                )
            _require_reviewer(user, record)
            _finish_review(record, actor)
        else:
            _require_manager(user, record)
        old_status = record.status
        transition(record, RecordStatus.REVOKED, actor, reason=text)
        audit_log(
            actor=actor,
            action="collection.record.revoked",
            target=record,
            old={"status": old_status},
            new={"status": RecordStatus.REVOKED, "reason": text},
            organization_id=record.organization_id,
        )
        if old_status == RecordStatus.EFFECTIVE:
            record_withdrawn_notify(record, actor, text)
            reinstate_superseded(record, actor)
    return record


CORRECTABLE = (
    "item_code",
    "association_no",
    "declarant_no",
    "description",
    "occurred_on",
    "discovered_on",
    "verified_on",
)


def record_correct(*, record: CreditRecord, changes: Mapping[str, Any], reason: str, actor: Actor) -> CreditRecord:
    """effective → corrected; a new effective record with the changes takes its place, linked by `corrects`.
    Returns the new record. The enterprise and route stay: to charge another enterprise, revoke and collect."""
    user = person_of(actor)
    text = _reason(reason)
    unknown = sorted(set(changes) - set(CORRECTABLE))
    if unknown:
        raise DomainError(
            "not_correctable",
            f"以下字段不能更正：{'、'.join(unknown)}",
            {"fields": unknown},
            status=422,
        )
    with transaction.atomic():
        lock_record(record)
        _require_manager(user, record)
        require_status(record, RecordStatus.EFFECTIVE)
        today = clock.today()
        new = CreditRecord.objects.get(pk=record.pk)
        new.pk = None
        new.id = None
        new.eciq_id = None
        new.external_ref = ""
        new.corrects = record
        new.superseded_by = None
        new.status = RecordStatus.DRAFT
        for name, value in changes.items():
            setattr(new, name, value.strip() if isinstance(value, str) else value)
        item = (
            item_for(new.item_code, new.occurred_on)
            if "item_code" in changes or "occurred_on" in changes
            else record.item
        )
        copy_item(new, item)
        errors = [e for e in (check_applicable(item, record.enterprise),) if e]
        if "association_no" not in changes and record.association_generated:
            new.association_no, new.association_generated = record.association_no, True
        elif "association_no" in changes:
            new.association_generated = False
            if record.act_ref == record.association_no:
                new.act_ref = new.association_no
        errors += field_errors(record_fields(new, item, today))
        if errors:
            raise invalid(errors)
        new.entered_at = clock.now()
        new.created_by = user
        new.confirmed_by = user
        new.save(force_insert=True)
        transition(
            new,
            RecordStatus.DRAFT,
            actor,
            reason=f"更正 {record.association_no}：{text}",
            at=new.entered_at,
        )
        transition(record, RecordStatus.CORRECTED, actor, reason=text)
        audit_log(
            actor=actor,
            action="collection.record.corrected",
            target=record,
            old={"status": RecordStatus.EFFECTIVE},
            new={
                "status": RecordStatus.CORRECTED,
                "reason": text,
                "correction": new.pk,
            },
            organization_id=record.organization_id,
        )
        audit_log(
            actor=actor,
            action="collection.record.created",
            target=new,
            new=record_snapshot(new),
            organization_id=new.organization_id,
        )
        record_withdrawn_notify(record, actor, text)
        reinstate_superseded(record, actor)
        make_effective(new, actor, reason=f"更正信息：{text}")
    return new
