"""Every change to sharing agreements: requested, approved or refused by HQ, revoked. Audited in the same
transaction. `sharing_grant` (the `grant_sharing` command) requests and approves in one step."""

import datetime as dt

from django.db import transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.errors import Conflict, DomainError
from ciqcredit.partners.models import Partner
from ciqcredit.partners.services import require_hq_admin
from ciqcredit.sharing.models import AgreementStatus, SharedField, SharedList, SharingAgreement

DEFAULT_PURPOSE = "联合监管：实施联合奖惩措施"


def _snapshot(agreement: SharingAgreement) -> dict:
    return {
        "partner": agreement.partner.code,
        "lists": list(agreement.lists),
        "fields": list(agreement.fields),
        "purpose": agreement.purpose,
        "valid_from": agreement.valid_from.isoformat(),
        "valid_to": agreement.valid_to.isoformat() if agreement.valid_to else None,
        "status": agreement.status,
    }


def _clean(lists: list[str], fields: list[str], purpose: str, valid_from: dt.date, valid_to: dt.date | None):
    lists = sorted(set(lists))
    fields = sorted(set(fields))
    unknown_lists = [v for v in lists if v not in SharedList.values]
    if unknown_lists or not lists:
        allowed = "、".join(f"{v}（{label}）" for v, label in SharedList.choices)
        raise DomainError("unknown_list", f"共享名单应为：{allowed}", {"field": "lists", "lists": unknown_lists})
    unknown_fields = [v for v in fields if v not in SharedField.values]
    if unknown_fields:
        allowed = "、".join(f"{v}（{label}）" for v, label in SharedField.choices)
        raise DomainError("unknown_field", f"共享字段应为：{allowed}", {"field": "fields", "fields": unknown_fields})
    if not purpose.strip():
        raise DomainError("missing_purpose", "须写明共享用途", {"field": "purpose"})
    if valid_to is not None and valid_to < valid_from:
        raise DomainError("bad_period", "截止日期不能早于起始日期", {"field": "valid_to"})
    return lists, fields, purpose.strip()[:300]


@transaction.atomic
def agreement_request(
    *,
    partner: Partner,
    lists: list[str],
    fields: list[str],
    purpose: str,
    valid_from: dt.date,
    valid_to: dt.date | None,
    actor: Actor,
) -> SharingAgreement:
    """A new agreement, waiting for HQ's approval (it grants nothing until then)."""
    require_hq_admin(actor)
    lists, fields, purpose = _clean(lists, fields, purpose, valid_from, valid_to)
    agreement = SharingAgreement.objects.create(
        partner=partner,
        lists=lists,
        fields=fields,
        purpose=purpose,
        valid_from=valid_from,
        valid_to=valid_to,
        status=AgreementStatus.PENDING,
        requested_by=actor.user,
        requested_at=clock.now(),
    )
    audit_log(
        actor=actor,
        action="sharing.agreement.requested",
        target=agreement,
        new=_snapshot(agreement),
        organization_id=partner.organization_id,
    )
    return agreement


def _lock(agreement: SharingAgreement) -> SharingAgreement:
    return SharingAgreement.objects.select_for_update().select_related("partner__organization").get(pk=agreement.pk)


def _decide(agreement: SharingAgreement, *, to: str, reason: str, actor: Actor, action: str) -> SharingAgreement:
    old = agreement.status
    agreement.status = to
    agreement.decided_by, agreement.decided_by_label, agreement.decided_at = actor.user, actor.label, clock.now()
    agreement.reason = reason.strip()[:300]
    agreement.save(update_fields=["status", "decided_by", "decided_by_label", "decided_at", "reason"])
    new = {"status": to, **({"reason": agreement.reason} if agreement.reason else {})}
    audit_log(
        actor=actor,
        action=action,
        target=agreement,
        old={"status": old},
        new=new,
        organization_id=agreement.partner.organization_id,
    )
    return agreement


@transaction.atomic
def agreement_approve(*, agreement: SharingAgreement, actor: Actor) -> SharingAgreement:
    require_hq_admin(actor)
    locked = _lock(agreement)
    if locked.status != AgreementStatus.PENDING:
        raise Conflict("agreement_not_pending", f"该协议{locked.get_status_display()}，不能再批准", {"id": locked.pk})
    return _decide(locked, to=AgreementStatus.APPROVED, reason="", actor=actor, action="sharing.agreement.approved")


@transaction.atomic
def agreement_reject(*, agreement: SharingAgreement, reason: str, actor: Actor) -> SharingAgreement:
    require_hq_admin(actor)
    locked = _lock(agreement)
    if locked.status != AgreementStatus.PENDING:
        raise Conflict("agreement_not_pending", f"该协议{locked.get_status_display()}，不能不予批准", {"id": locked.pk})
    if not reason.strip():
        raise DomainError("missing_reason", "不予批准须说明理由", {"field": "reason"})
    return _decide(locked, to=AgreementStatus.REJECTED, reason=reason, actor=actor, action="sharing.agreement.rejected")


@transaction.atomic
def agreement_revoke(*, agreement: SharingAgreement, reason: str, actor: Actor) -> SharingAgreement:
    """Ends an approved agreement at once (reads are refused from the next request)."""
    require_hq_admin(actor)
    locked = _lock(agreement)
    if locked.status != AgreementStatus.APPROVED:
        raise Conflict("agreement_not_approved", "只能终止已批准的协议", {"id": locked.pk})
    if not reason.strip():
        raise DomainError("missing_reason", "终止协议须说明理由", {"field": "reason"})
    return _decide(locked, to=AgreementStatus.REVOKED, reason=reason, actor=actor, action="sharing.agreement.revoked")


def sharing_grant(
    *,
    partner: Partner,
    lists: list[str],
    fields: list[str] | None,
    valid_from: dt.date,
    valid_to: dt.date | None,
    actor: Actor,
    purpose: str = DEFAULT_PURPOSE,
) -> SharingAgreement:
    """Request and approve at once (the `grant_sharing` command, run by HQ on the server); every field unless
    named."""
    with transaction.atomic():
        agreement = agreement_request(
            partner=partner,
            lists=lists,
            fields=list(SharedField.values) if fields is None else fields,
            purpose=purpose,
            valid_from=valid_from,
            valid_to=valid_to,
            actor=actor,
        )
        return agreement_approve(agreement=agreement, actor=actor)
