"""Every state change of a credit record entered by people (§三(三)–(七)); intake by systems is in intake.py.

draft → awaiting_confirmation → effective (confirmed by a reviewer of the collecting organization who did not
collect it); awaiting_confirmation → draft (returned with a reason); effective → revoked | corrected (with a
reason; a correction is a new effective record linked to the old one). Nothing is ever deleted.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from ciqcredit import clock
from ciqcredit.audit.services import Actor, as_actor, audit_log, diff
from ciqcredit.collection.choices import PartyRole, RecordStatus, Route
from ciqcredit.collection.deadlines import (
    deadline_finish,
    entry_deadline_open,
    review_deadline_open,
)
from ciqcredit.collection.effect import (
    record_snapshot,
    transition,
)
from ciqcredit.collection.models import CreditRecord, Exclusion
from ciqcredit.collection.numbering import association_no_next
from ciqcredit.collection.rules import (
    GENERATE,
    OPTIONAL_ELSE_GENERATE,
    RecordFields,
    Refusal,
    association_mode,
    collect_refusal,
    collection_start,
    field_errors,
    item_refusal,
)
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.errors import DomainError, Forbidden
from ciqcredit.organizations.models import User


def invalid(errors: list[Refusal], summary: str = "信用信息填写不完整或有误") -> DomainError:
    text = "；".join(e.message for e in errors)
    return DomainError(
        "validation_error",
        f"{summary}：{text}",
        {"errors": [e.as_dict() for e in errors]},
        status=422,
    )


def _person(who: Actor) -> User:
    if who.user is None:
        raise Forbidden("此操作须由工作人员执行")
    return who.user


def registered_enterprise(credit_code: str, field: str) -> Enterprise:
    """The registered enterprise with this code, wherever it is registered: a collector charges the enterprise
    whose act they found, also one registered elsewhere (the record then shows in both subtrees).
    Unknown: §三(三) says register the subject first, or mark it not suitable for inclusion."""
    code = (credit_code or "").strip().upper()
    enterprise = Enterprise.objects.select_related("registering_org").filter(credit_code=code).first()
    if enterprise is None:
        raise DomainError(
            "enterprise_not_registered",
            f"统一社会信用代码为 {code or '（空）'} 的企业尚未纳入企业名录：请先登记该企业后再采集，"
            "或将其标记为“不适合纳入，不予采集”",
            {"field": field, "credit_code": code},
            status=422,
        )
    return enterprise


@dataclass(frozen=True)
class Parties:
    responsible: Enterprise
    other: Enterprise | None
    other_role: str


def resolve_parties(*, credit_code: str, agent_credit_code: str = "", responsible_credit_code: str = "") -> Parties:
    """§三(三): `credit_code` is the consignee/consignor (or the only enterprise); when a declaration agent is
    also involved, the authority decides which one is responsible, and only that one is charged."""
    principal = registered_enterprise(credit_code, "credit_code")
    agent = registered_enterprise(agent_credit_code, "agent_credit_code") if agent_credit_code else None
    if agent is not None and agent.pk == principal.pk:
        raise DomainError(
            "same_party",
            "代理报检企业与收发货人不能是同一企业",
            {"field": "agent_credit_code"},
            status=422,
        )
    wanted = (responsible_credit_code or "").strip().upper()
    if agent is None:
        if wanted and wanted != principal.credit_code:
            raise DomainError(
                "responsible_not_involved",
                "责任企业须是本次行为涉及的企业之一",
                {"field": "responsible_credit_code"},
                status=422,
            )
        return Parties(principal, None, "")
    if not wanted:
        raise DomainError(
            "responsible_required",
            "本次行为同时涉及代理报检企业和收发货人，请按检验检疫机构的认定指明责任企业",
            {"field": "responsible_credit_code"},
            status=422,
        )
    if wanted == agent.credit_code:
        return Parties(agent, principal, PartyRole.CONSIGNEE)
    if wanted == principal.credit_code:
        return Parties(principal, agent, PartyRole.AGENT)
    raise DomainError(
        "responsible_not_involved",
        "责任企业须是本次行为涉及的企业之一",
        {"field": "responsible_credit_code"},
        status=422,
    )


def item_for(item_code: str, on: dt.date):
    """The catalogue item in force on the day the act occurred (the rules of the time of the conduct)."""
    from ciqcredit.catalogue.selectors import item_in_force

    item = item_in_force((item_code or "").strip(), on)
    if item is None:
        raise DomainError(
            "unknown_item",
            f"{on:%Y-%m-%d}有效的信用信息采集条目中没有编号为“{item_code}”的条目",
            {"field": "item_code", "item_code": item_code},
            status=422,
        )
    return item


def check_applicable(item, enterprise: Enterprise) -> Refusal | None:
    if item.applies_to(enterprise.type_slugs):
        return None
    return Refusal(
        "item_not_applicable",
        f"条目 {item.code} 适用于{'、'.join(item.type_labels)}，不适用于企业“{enterprise.name}”",
        "item_code",
    )


def record_fields(record: CreditRecord, item, today: dt.date) -> RecordFields:
    return RecordFields(
        route=record.route,
        association_kind=item.association_kind,
        association_no="" if record.association_generated else record.association_no,
        declarant_responsible=record.declarant_responsible,
        declarant_required=item.declarant_required,
        declarant_no=record.declarant_no,
        description=record.description,
        occurred_on=record.occurred_on,
        discovered_on=record.discovered_on,
        verified_on=record.verified_on,
        today=today,
    )


def assign_association_no(record: CreditRecord, item, day: dt.date) -> None:
    """Generate the J/W number on save when the route and item call for it (§三(七))."""
    mode, prefix = association_mode(route=record.route, association_kind=item.association_kind)
    if mode == GENERATE or (mode == OPTIONAL_ELSE_GENERATE and not record.association_no.strip()):
        record.association_no = association_no_next(prefix=prefix, organization=record.organization, day=day)
        record.association_generated = True
    if not record.act_ref:
        record.act_ref = record.association_no


def copy_item(record: CreditRecord, item) -> None:
    """The fields rating aggregates over, copied from the immutable published item version."""
    record.item = item
    record.item_code = item.code
    record.catalogue_version = item.version.number
    record.points = item.points
    record.serious = item.serious
    record.penalised = record.route == Route.PENALTY
    record.enters_blacklist = item.enters_blacklist


def record_create(
    *,
    actor: Any,
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

    The collecting organization and department are the collector's. Refuses (403) a caller who may not
    collect through `route`, and (422) an unregistered enterprise, an item not in force, not applicable or
    not of this route, or fields that are incomplete (when submitting) or illogical.
    """
    who = as_actor(actor)
    user = _person(who)
    refusal = collect_refusal(
        route=route,
        roles=user.roles,
        is_system=user.is_system,
        scopes=user.scopes,
        department_kind=user.department.kind if user.department_id else None,
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
        act_ref=(act_ref or "").strip(),
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
        transition(record, RecordStatus.DRAFT, who, at=record.entered_at)
        deadline = entry_deadline_open(record=record, start=collection_start(discovered_on, verified_on), actor=who)
        record.deadline = deadline
        record.due_on = deadline.due_on
        record.save(update_fields=["deadline", "due_on"])
        audit_log(
            actor=who,
            action="collection.record.created",
            target=record,
            new=record_snapshot(record),
            organization_id=record.organization_id,
        )
        if submit:
            _submit(record, item, who, today)
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


def _lock(record: CreditRecord) -> CreditRecord:
    """Re-read the record under a row lock, so two people acting on it at once act one after the other."""
    fresh = CreditRecord.objects.select_for_update().get(pk=record.pk)
    for field in (
        "status",
        "superseded_by_id",
        "late_days",
        "review_deadline_id",
        "submitted_at",
    ):
        setattr(record, field, getattr(fresh, field))
    return record


def _require_status(record: CreditRecord, *allowed: str) -> None:
    if record.status not in allowed:
        labels = "、".join(RecordStatus(s).label for s in allowed)
        raise DomainError(
            "wrong_status",
            f"该信用信息当前为“{RecordStatus(record.status).label}”，只有“{labels}”的信息可以执行此操作",
            {"status": record.status},
            status=409,
        )


def _require_collector_of(record: CreditRecord, user: User) -> None:
    if record.created_by_id != user.id:
        raise Forbidden("只有该信息的采集人员可以修改或提交", code="not_own_record")


def record_update(*, record: CreditRecord, changes: Mapping[str, Any], actor: Any) -> CreditRecord:
    """Edit a draft (its collector only): description, numbers, dates, declarant."""
    who = as_actor(actor)
    user = _person(who)
    editable = {
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
        _lock(record)
        _require_status(record, RecordStatus.DRAFT)
        _require_collector_of(record, user)
        before = record_snapshot(record)
        if record.association_generated and "association_no" in changes:
            changes = {k: v for k, v in changes.items() if k != "association_no"}
        for name, value in changes.items():
            setattr(record, name, value.strip() if isinstance(value, str) else value)
        if record.declarant_no:
            record.declarant_responsible = True
        errors = field_errors(record_fields(record, record.item, clock.today()), for_draft=True)
        if errors:
            raise invalid(errors)
        if not record.act_ref:
            record.act_ref = record.association_no
        record.save()
        old, new = diff(before, record_snapshot(record))
        audit_log(
            actor=who,
            action="collection.record.updated",
            target=record,
            old=old,
            new=new,
            organization_id=record.organization_id,
        )
    return record


def record_submit(*, record: CreditRecord, actor: Any) -> CreditRecord:
    """draft → awaiting_confirmation, by its collector, only when complete (§三(七))."""
    who = as_actor(actor)
    user = _person(who)
    with transaction.atomic():
        _lock(record)
        _require_collector_of(record, user)
        _require_status(record, RecordStatus.DRAFT)
        _submit(record, record.item, who, clock.today())
    return record


def exclusion_create(
    *,
    actor: Any,
    subject_name: str,
    reason: str,
    subject_identifier: str = "",
    item_code: str = "",
    association_no: str = "",
    occurred_on: dt.date | None = None,
) -> Exclusion:
    """§三(三): the responsible subject is not suitable for inclusion: not collected, the decision kept."""
    who = as_actor(actor)
    user = _person(who)
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
            actor=who,
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


# The review half of the lifecycle lives in review.py; imported last because it builds on the helpers above.
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
    "record_create",
    "record_return",
    "record_revoke",
    "record_submit",
    "record_update",
    "review_refusal",
]
