"""Making a record effective, and §三(四) one act, one item, safe under concurrency.

Every path that can make a record effective (confirmation, e-CIQ arrival, correction, reinstatement after
a revocation) goes through `make_effective`. It locks the responsible enterprise's row first, so two
records of the same enterprise settle one after the other: the second sees the first's outcome. The
partial unique constraint `record_one_effective_per_act` is the database's own guarantee behind it.
"""

from typing import Any

from django.db import transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.collection import signals
from ciqcredit.collection.choices import RecordStatus
from ciqcredit.collection.models import CreditRecord, RecordTransition
from ciqcredit.collection.rules import (
    BECOMES_EFFECTIVE,
    REPLACES_CURRENT,
    one_act_outcome,
)
from ciqcredit.enterprises.models import Enterprise


def record_snapshot(record: CreditRecord) -> dict[str, Any]:
    """The audited values of a record."""
    return {
        "status": record.status,
        "enterprise": record.enterprise.credit_code,
        "item_code": record.item_code,
        "catalogue_version": record.catalogue_version,
        "points": record.points,
        "act_ref": record.act_ref,
        "association_no": record.association_no,
        "route": record.route,
        "organization": record.organization.code,
        "occurred_on": record.occurred_on.isoformat(),
        "discovered_on": record.discovered_on.isoformat(),
        "verified_on": record.verified_on.isoformat(),
        "declarant_no": record.declarant_no,
        "superseded_by": record.superseded_by_id,
    }


def transition(record: CreditRecord, to_status: str, who: Actor, *, reason: str = "", at=None) -> RecordTransition:
    """Move `record` to `to_status` (saved) and write the transition row. The caller writes the audit row."""
    row = RecordTransition.objects.create(
        record=record,
        from_status=record.status if record.pk and record.status != to_status else "",
        to_status=to_status,
        reason=reason,
        actor=who.user,
        actor_label=who.label,
        at=at or clock.now(),
    )
    if record.status != to_status:
        record.status = to_status
        record.save(update_fields=["status"])
    return row


def lock_enterprise(enterprise_id: int) -> Enterprise:
    return Enterprise.objects.select_for_update().get(pk=enterprise_id)


def record_effective_notify(record: CreditRecord, who: Actor) -> None:
    """Tell the apps above collection (dynamic management) that the record now counts, in this transaction."""
    signals.record_became_effective.send(sender=CreditRecord, record=record, actor=who)


def record_withdrawn_notify(record: CreditRecord, who: Actor, reason: str) -> None:
    """Tell the apps above collection that an effective record stopped counting, in this transaction."""
    signals.record_withdrawn.send(sender=CreditRecord, record=record, actor=who, reason=reason)


def _supersede(record: CreditRecord, winner: CreditRecord, who: Actor, reason: str) -> None:
    old = record.status
    record.superseded_by = winner
    record.save(update_fields=["superseded_by"])
    transition(record, RecordStatus.SUPERSEDED, who, reason=reason)
    audit_log(
        actor=who,
        action="collection.record.superseded",
        target=record,
        old={"status": old},
        new={
            "status": RecordStatus.SUPERSEDED,
            "superseded_by": winner.pk,
            "reason": reason,
        },
        organization_id=record.organization_id,
    )
    if old == RecordStatus.EFFECTIVE:
        record_withdrawn_notify(record, who, reason)


def _become_effective(record: CreditRecord, who: Actor, reason: str) -> None:
    old = record.status
    record.effective_at = clock.now()
    record.superseded_by = None
    record.save(update_fields=["effective_at", "superseded_by"])
    transition(record, RecordStatus.EFFECTIVE, who, reason=reason)
    audit_log(
        actor=who,
        action="collection.record.effective",
        target=record,
        old={"status": old},
        new={
            "status": RecordStatus.EFFECTIVE,
            "points": record.points,
            "reason": reason,
        },
        organization_id=record.organization_id,
    )
    record_effective_notify(record, who)


def make_effective(record: CreditRecord, who: Actor, *, reason: str = "") -> str:
    """Settle `record` against the act's current effective record; returns the §三(四) outcome.

    Must run inside a transaction. Higher points replace the current record (superseded, linked); lower or
    equal points leave the new record superseded at once, linked to the current one.
    """
    assert transaction.get_connection().in_atomic_block, "make_effective runs inside the record's transaction"
    lock_enterprise(record.enterprise_id)
    current = (
        CreditRecord.objects.filter(enterprise_id=record.enterprise_id, act_ref=record.act_ref)
        .filter(status=RecordStatus.EFFECTIVE)
        .exclude(pk=record.pk)
        .first()
    )
    outcome = one_act_outcome(record.points, current.points if current else None)
    if outcome == BECOMES_EFFECTIVE:
        _become_effective(record, who, reason)
    elif outcome == REPLACES_CURRENT:
        assert current is not None
        _supersede(
            current,
            record,
            who,
            f"同一失信行为有分值更高的条目 {record.item_code}（{record.points}分），按一次采集原则替代",
        )
        # Records the replaced one had superseded now point at the new winner, so the chain stays one hop.
        CreditRecord.objects.filter(superseded_by=current, status=RecordStatus.SUPERSEDED).update(superseded_by=record)
        _become_effective(record, who, reason)
    else:
        assert current is not None
        _supersede(
            record,
            current,
            who,
            f"同一失信行为已有分值不低于本条的有效信息 {current.item_code}（{current.points}分），按一次采集原则不计分",
        )
    return outcome


def reinstate_superseded(left: CreditRecord, who: Actor) -> CreditRecord | None:
    """After `left` stops being effective (revoked or corrected): the best record it had superseded for the
    act becomes effective again (highest points, earliest first), the others now point at it."""
    waiting = list(
        CreditRecord.objects.filter(superseded_by=left, status=RecordStatus.SUPERSEDED).order_by("-points", "id")
    )
    if not waiting:
        return None
    best, rest = waiting[0], waiting[1:]
    CreditRecord.objects.filter(pk__in=[r.pk for r in rest]).update(superseded_by=best)
    make_effective(
        best,
        who,
        reason=f"原有效信息 {left.association_no} 已{RecordStatus(left.status).label}，恢复生效",
    )
    return best
