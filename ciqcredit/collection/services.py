"""Every state change of a credit record entered by people (§三(三)–(七)); intake by systems is in intake.py.

draft → awaiting_confirmation → effective (confirmed by a reviewer of the collecting organization who did not
collect it); awaiting_confirmation → draft (returned with a reason, then edited by its collector); draft →
discarded (deleted by its collector, kept with its history); effective → revoked | corrected (with a reason; a
correction is a new effective record linked to the old one). Nothing is ever deleted from the database: every
version of a draft is in its audit rows.
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log, diff
from ciqcredit.collection.choices import RecordStatus, Route
from ciqcredit.collection.deadlines import (
    deadline_finish,
    entry_deadline_open,
    review_deadline_open,
)
from ciqcredit.collection.effect import (
    record_snapshot,
    transition,
    transition_audited,
)
from ciqcredit.collection.models import CreditRecord, Exclusion, RecordAttachment
from ciqcredit.collection.recording import (
    act_named,
    assign_association_no,
    check_applicable,
    copy_item,
    invalid,
    item_for,
    lock_record,
    record_fields,
    require_status,
    resolve_parties,
)
from ciqcredit.collection.rules import (
    Refusal,
    collect_refusal,
    collection_start,
    field_errors,
    item_refusal,
)
from ciqcredit.errors import DomainError, Forbidden
from ciqcredit.files import evidence_name, file_attach
from ciqcredit.organizations.access import person_of
from ciqcredit.organizations.models import User


def record_create(
    *,
    actor: Actor,
    route: str,
    credit_code: str,
    item_code: str,
    occurred_on: dt.date,
    discovered_on: dt.date,
    verified_on: dt.date,
    description: str = "",
    association_no: str = "",
    act_ref: str = "",
    declarant_no: str = "",
    declarant_responsible: bool = False,
    agent_credit_code: str = "",
    responsible_credit_code: str = "",
    details: Mapping[str, Any] | None = None,
    submit: bool = False,
) -> CreditRecord:
    """A record collected by a person, saved as a draft or (submit=True) sent straight to review.

    The collecting organization and department are the collector's. Refuses (403) a caller actor may not
    collect through `route`, and (422) an unregistered enterprise, an item not in force, not applicable or
    not of this route, or fields that are incomplete (when submitting) or illogical.
    """
    user = person_of(actor)
    refusal = collect_refusal(
        route=route,
        roles=user.roles,
        is_system=user.is_system,
        scopes=user.scopes,
        department_kind=user.department.kind if user.department else None,
    )
    if refusal is not None:
        raise Forbidden(refusal.message, {"field": refusal.field, "route": route}, code=refusal.code)
    parties = resolve_parties(
        credit_code=credit_code,
        agent_credit_code=agent_credit_code,
        responsible_credit_code=responsible_credit_code,
    )
    if occurred_on is None:
        raise invalid([Refusal("missing_date", "请填写发生日期", "occurred_on")])
    item = item_for(item_code, occurred_on)
    today = clock.today()
    record = CreditRecord(
        enterprise=parties.responsible,
        other_party=parties.other,
        other_party_role=parties.other_role,
        route=route,
        stage=item.stage or "",
        act_ref=act_named(parties.responsible.pk, act_ref) or (act_ref or "").strip(),
        occurred_on=occurred_on,
        discovered_on=discovered_on,
        verified_on=verified_on,
        organization=user.organization,
        department=user.department,
        association_no=(association_no or "").strip(),
        declarant_responsible=bool(declarant_responsible or declarant_no or item.declarant_required),
        declarant_no=(declarant_no or "").strip(),
        description=(description or "").strip(),
        details=dict(details or {}),
        created_by=user,
        status=RecordStatus.DRAFT,
    )
    copy_item(record, item)
    errors = [
        e
        for e in (
            item_refusal(
                route=route,
                item_code=item.code,
                collection=item.collection,
                association_kind=item.association_kind,
            ),
            check_applicable(item, parties.responsible),
        )
        if e
    ]
    errors += field_errors(record_fields(record, item, today), for_draft=not submit)
    if errors:
        raise invalid(errors)
    with transaction.atomic():
        record.entered_at = clock.now()
        assign_association_no(record, item, today)
        record.save(force_insert=True)
        transition(record, RecordStatus.DRAFT, actor, at=record.entered_at)
        deadline = entry_deadline_open(record=record, start=collection_start(discovered_on, verified_on), actor=actor)
        record.deadline = deadline
        record.due_on = deadline.due_on
        record.save(update_fields=["deadline", "due_on"])
        audit_log(
            actor=actor,
            action="collection.record.created",
            target=record,
            new=record_snapshot(record),
            organization_id=record.organization_id,
        )
        if submit:
            _submit(record, item, actor, today)
    return record


def _submit(record: CreditRecord, item, who: Actor, today: dt.date) -> None:
    errors = field_errors(record_fields(record, item, today))
    if errors:
        raise invalid(errors, "信息不完整，不能提交审核")
    if record.deadline is not None and record.deadline.closed_at is None:
        record.late_days = deadline_finish(deadline=record.deadline, done_on=today, actor=who)
    record.submitted_at = clock.now()
    record.review_deadline = review_deadline_open(record=record, start=today, actor=who)
    record.save(update_fields=["late_days", "submitted_at", "review_deadline"])
    transition(record, RecordStatus.AWAITING_CONFIRMATION, who)
    audit_log(
        actor=who,
        action="collection.record.submitted",
        target=record,
        old={"status": RecordStatus.DRAFT},
        new={
            "status": RecordStatus.AWAITING_CONFIRMATION,
            "late_days": record.late_days,
        },
        organization_id=record.organization_id,
    )


def _require_collector_of(record: CreditRecord, user: User) -> None:
    if record.created_by_id != user.id:
        raise Forbidden("只有该信息的采集人员可以修改或提交", code="not_own_record")


def record_update(*, record: CreditRecord, changes: Mapping[str, Any], actor: Actor) -> CreditRecord:
    """Edit a draft or a returned record (its collector only): item, description, numbers, dates, declarant.
    Each edit is audited with the values before and after, so every version stays readable."""
    user = person_of(actor)
    editable = {
        "item_code",
        "description",
        "association_no",
        "act_ref",
        "declarant_no",
        "declarant_responsible",
        "occurred_on",
        "discovered_on",
        "verified_on",
    }
    unknown = sorted(set(changes) - editable)
    if unknown:
        raise DomainError(
            "not_editable",
            f"以下字段不能修改：{'、'.join(unknown)}",
            {"fields": unknown},
            status=422,
        )
    with transaction.atomic():
        lock_record(record)
        require_status(record, RecordStatus.DRAFT)
        _require_collector_of(record, user)
        before = record_snapshot(record)
        if record.association_generated and "association_no" in changes:
            changes = {k: v for k, v in changes.items() if k != "association_no"}
        for name, value in changes.items():
            setattr(record, name, value.strip() if isinstance(value, str) else value)
        errors = []
        if "item_code" in changes or "occurred_on" in changes:
            # The item in force on the (possibly new) date of the act, with its points copied again.
            item = item_for(record.item_code, record.occurred_on)
            errors += [
                e
                for e in (
                    item_refusal(
                        route=record.route,
                        item_code=item.code,
                        collection=item.collection,
                        association_kind=item.association_kind,
                    ),
                    check_applicable(item, record.enterprise),
                )
                if e
            ]
            copy_item(record, item)
            record.stage = item.stage or ""
        if "act_ref" in changes:
            record.act_ref = act_named(record.enterprise_id, record.act_ref) or record.act_ref
        if record.declarant_no:
            record.declarant_responsible = True
        errors += field_errors(record_fields(record, record.item, clock.today()), for_draft=True)
        if errors:
            raise invalid(errors)
        if not record.act_ref:
            record.act_ref = record.association_no
        record.save()
        old, new = diff(before, record_snapshot(record))
        audit_log(
            actor=actor,
            action="collection.record.updated",
            target=record,
            old=old,
            new=new,
            organization_id=record.organization_id,
        )
    return record


def record_submit(*, record: CreditRecord, actor: Actor) -> CreditRecord:
    """draft → awaiting_confirmation, by its collector, only when complete (§三(七))."""
    user = person_of(actor)
    with transaction.atomic():
        lock_record(record)
        _require_collector_of(record, user)
        require_status(record, RecordStatus.DRAFT)
        _submit(record, record.item, actor, clock.today())
    return record


def record_discard(*, record: CreditRecord, reason: str, actor: Actor) -> CreditRecord:
    """draft → discarded, by its collector: a draft (or a returned record) that is not wanted. The record is kept
    with its history; its entry deadline stops running."""
    user = person_of(actor)
    text = (reason or "").strip() or "采集人员删除草稿"
    with transaction.atomic():
        lock_record(record)
        require_status(record, RecordStatus.DRAFT)
        _require_collector_of(record, user)
        deadline = record.deadline
        if deadline is not None and deadline.closed_at is None:
            from ciqcredit.workdays.services import deadline_close

            deadline_close(deadline=deadline, actor=actor, closed_on=max(clock.today(), deadline.start))
        transition_audited(record, RecordStatus.DISCARDED, actor, action="collection.record.discarded", reason=text)
    return record


def record_attach(*, record: CreditRecord, file: Any, actor: Actor) -> RecordAttachment:
    """Attach an evidence file to a record: by its collector, or by a reviewer or credit officer of its collecting
    organization or above. The file is written after commit (ciqcredit.files), so a rollback leaves none."""
    from ciqcredit.collection.review import _require_manager

    user = person_of(actor)
    name = evidence_name(file)
    with transaction.atomic():
        lock_record(record)
        if record.created_by_id != user.id:
            _require_manager(user, record)
        attachment = RecordAttachment(record=record, name=name[:200], uploaded_by=user, uploaded_at=clock.now())
        file_attach(attachment.file, name[-150:], file)
        attachment.save(force_insert=True)
        audit_log(
            actor=actor,
            action="collection.record.attached",
            target=record,
            new={"attachment": attachment.pk, "name": attachment.name, "file": attachment.file.name},
            organization_id=record.organization_id,
        )
    return attachment


LINKABLE = (RecordStatus.DRAFT, RecordStatus.AWAITING_CONFIRMATION, RecordStatus.EFFECTIVE)


def record_link_act(*, record: CreditRecord, act_of: CreditRecord, actor: Actor) -> CreditRecord:
    """§三(四): `record` and `act_of` (of the same enterprise) are one act recorded under two numbers; `record`
    joins the act of `act_of`, and only the highest-scoring item of the act stays effective.

    By the record's collector, or by a reviewer or credit officer of its collecting organization or above.
    """
    from ciqcredit.collection.effect import act_relink
    from ciqcredit.collection.review import _require_manager

    user = person_of(actor)
    other = act_of
    with transaction.atomic():
        lock_record(record)
        require_status(record, *LINKABLE)
        if record.created_by_id != user.id:
            _require_manager(user, record)
        if other.enterprise_id != record.enterprise_id:
            raise DomainError(
                "other_enterprise", "只能与同一企业的信用信息合并为同一失信行为", {"field": "act_of"}, status=422
            )
        other = CreditRecord.objects.get(pk=other.pk)
        if other.pk == record.pk or other.act_ref == record.act_ref:
            raise DomainError("same_act", "两条信息已属于同一失信行为", {"field": "act_of"}, status=409)
        old = record.act_ref
        reason = f"与 {other.association_no}（{other.item_code}）为同一失信行为"
        act_relink(record, other.act_ref, actor, reason=reason)
        audit_log(
            actor=actor,
            action="collection.record.act_linked",
            target=record,
            old={"act_ref": old},
            new={"act_ref": record.act_ref, "act_of": other.pk, "status": record.status},
            organization_id=record.organization_id,
        )
    return record


def exclusion_create(
    *,
    actor: Actor,
    subject_name: str,
    reason: str,
    subject_identifier: str = "",
    item_code: str = "",
    association_no: str = "",
    occurred_on: dt.date | None = None,
) -> Exclusion:
    """§三(三): the responsible subject is not suitable for inclusion: not collected, the decision kept."""
    user = person_of(actor)
    refusal = collect_refusal(
        route=Route.MANUAL,
        roles=user.roles,
        is_system=user.is_system,
        scopes=user.scopes,
        department_kind=None,
    )
    if refusal is not None:
        raise Forbidden(refusal.message, code=refusal.code)
    errors = []
    if not (subject_name or "").strip():
        errors.append(Refusal("missing_subject", "请填写责任主体名称", "subject_name"))
    if not (reason or "").strip():
        errors.append(Refusal("missing_reason", "请填写不适合纳入的理由", "reason"))
    if errors:
        raise invalid(errors, "不予采集的记录不完整")
    with transaction.atomic():
        exclusion = Exclusion.objects.create(
            organization=user.organization,
            department=user.department,
            subject_name=subject_name.strip(),
            subject_identifier=(subject_identifier or "").strip(),
            item_code=(item_code or "").strip(),
            association_no=(association_no or "").strip(),
            occurred_on=occurred_on,
            reason=reason.strip(),
            decided_by=user,
            decided_at=clock.now(),
        )
        audit_log(
            actor=actor,
            action="collection.exclusion.created",
            target=exclusion,
            new={
                "subject_name": exclusion.subject_name,
                "subject_identifier": exclusion.subject_identifier,
                "item_code": exclusion.item_code,
                "reason": exclusion.reason,
            },
            organization_id=user.organization_id,
        )
    return exclusion


# The review half of the lifecycle lives in review.py; callers find every record service here.
from ciqcredit.collection.review import (  # noqa: E402
    CORRECTABLE,
    record_confirm,
    record_correct,
    record_return,
    record_revoke,
    review_refusal,
)

__all__ = [
    "CORRECTABLE",
    "exclusion_create",
    "record_confirm",
    "record_correct",
    "record_attach",
    "record_create",
    "record_discard",
    "record_link_act",
    "record_return",
    "record_revoke",
    "record_submit",
    "record_update",
    "review_refusal",
]
