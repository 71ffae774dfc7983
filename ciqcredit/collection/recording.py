"""What entering and reviewing a credit record share: the acting person, party and item look-ups, field
checks, association numbers and the record lock. Used by services.py (entry) and review.py (review), so
neither imports the other's internals.
"""

import datetime as dt
from dataclasses import dataclass

from ciqcredit.collection.choices import PartyRole, RecordStatus, Route
from ciqcredit.collection.models import CreditRecord
from ciqcredit.collection.numbering import association_no_next
from ciqcredit.collection.rules import (
    GENERATE,
    OPTIONAL_ELSE_GENERATE,
    RecordFields,
    Refusal,
    association_mode,
)
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.errors import DomainError


def invalid(errors: list[Refusal], summary: str = "信用信息填写不完整或有误") -> DomainError:
    text = "；".join(e.message for e in errors)
    return DomainError(
        "validation_error",
        f"{summary}：{text}",
        {"errors": [e.as_dict() for e in errors]},
        status=422,
    )


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


def lock_record(record: CreditRecord) -> CreditRecord:
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


def require_status(record: CreditRecord, *allowed: str) -> None:
    if record.status not in allowed:
        labels = "、".join(RecordStatus(s).label for s in allowed)
        raise DomainError(
            "wrong_status",
            f"该信用信息当前为“{RecordStatus(record.status).label}”，只有“{labels}”的信息可以执行此操作",
            {"status": record.status},
            status=409,
        )
