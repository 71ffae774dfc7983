"""Bulk loading of e-CIQ records (historical loads, the benchmark): the intake rules of intake.py, written in
batches.

Validation is `IntakeChecker.check_eciq`, the same code as `POST /api/v1/intake/eciq`; only the writing
differs: one transaction per batch, `bulk_create` for records, transitions and audit rows, and the §三(四)
one-act rule settled per batch under a lock on the batch's enterprises (ordered, so concurrent loaders do not
deadlock). Records are closed on arrival, so their entry deadline is kept as `due_on`/`late_days` columns
computed from the same calendar instead of one Deadline row each; records that need a judgment get no review
Deadline row either (they show in the queues, not in the overdue figures). Dynamic management re-examines
each enterprise whose effective records changed, once per batch.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log, audit_log_many
from ciqcredit.collection import signals
from ciqcredit.collection.choices import RecordStatus, Route
from ciqcredit.collection.deadlines import collection_period
from ciqcredit.collection.effect import record_withdrawn_notify
from ciqcredit.collection.intake import MAX_BATCH, Checked, IntakeChecker, new_record
from ciqcredit.collection.models import CreditRecord, RecordTransition
from ciqcredit.collection.rules import (
    REPLACES_CURRENT,
    SUPERSEDED_AT_ONCE,
    Refusal,
    collection_start,
    late_days,
    one_act_outcome,
)
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.organizations.access import person_of, require_scope
from ciqcredit.workdays.calendar import current_calendar

BATCH_SIZE = 5000


@dataclass
class BulkResult:
    created: int = 0
    duplicates: int = 0
    effective: int = 0
    superseded: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)


def _batches(entries: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for entry in entries:
        batch.append(entry)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def records_bulk_load(
    *,
    entries: Iterable[Any],
    actor: Actor,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> BulkResult:
    """Load e-CIQ entries (the intake contract's shape) in batches; same checks and outcomes as eciq_intake."""
    client = person_of(actor)
    require_scope(client, "eciq_intake")
    today = clock.today()
    checker = IntakeChecker(client=client, system_actor=actor, today=today)
    calendar = current_calendar()
    result = BulkResult()
    offset = 0
    for batch in _batches(entries, batch_size):
        with transaction.atomic():
            _load_batch(batch, offset, checker, calendar, actor, today, result)
        offset += len(batch)
        if progress:
            progress(len(batch))
    return result


def _load_batch(batch, offset, checker, calendar, who, today, result: BulkResult) -> None:
    checker.prefetch(batch)
    keys = [str(e.get("eciq_id", "")).strip() for e in batch if isinstance(e, dict)]
    seen = set(CreditRecord.objects.filter(eciq_id__in=[k for k in keys if k]).values_list("eciq_id", flat=True))
    accepted: list[Checked] = []
    for index, raw in enumerate(batch, start=offset):
        key = str(raw.get("eciq_id", "")).strip() if isinstance(raw, dict) else ""
        if key and key in seen:
            result.duplicates += 1
            continue
        checked = checker.check_eciq(index, raw)
        if isinstance(checked, Refusal):
            result.rejected.append({"index": index, "code": checked.code, "message": checked.message})
            continue
        seen.add(key)
        accepted.append(checked)
    if not accepted:
        return
    now = clock.now()
    periods: dict[dt.date, Any] = {}
    lateness: dict[dt.date, int] = {}
    records: list[CreditRecord] = []
    for checked in accepted:
        record = new_record(checked, route=Route.ECIQ, client=who.user, now=now)
        start = collection_start(record.discovered_on, record.verified_on)
        if start not in periods:
            periods[start] = collection_period(start)
        period = periods[start]
        record.due_on = calendar.add_days(start, period.days, period.unit).date
        if record.due_on not in lateness:
            lateness[record.due_on] = late_days(record.due_on, today, calendar.working_days_between)
        record.late_days = lateness[record.due_on]
        if checked.effective_on_arrival:
            record.status, record.effective_at = RecordStatus.EFFECTIVE, now
        else:
            record.status, record.submitted_at = RecordStatus.AWAITING_CONFIRMATION, now
        records.append(record)
    changed_enterprises, replaced = _settle_and_write(records, who, now, result)
    audit_log_many(
        actor=who,
        action="collection.record.received_eciq",
        changes=[(r, None, {"status": r.status, "item_code": r.item_code, "points": r.points}) for r in records],
    )
    for existing, winner in replaced:  # rare: an earlier effective record outscored by this batch
        reason = f"同一失信行为有分值更高的条目 {winner.item_code}（{winner.points}分），按一次采集原则替代"
        audit_log(
            actor=who,
            action="collection.record.superseded",
            target=existing,
            old={"status": RecordStatus.EFFECTIVE},
            new={"status": RecordStatus.SUPERSEDED, "superseded_by": winner.pk, "reason": reason},
            organization_id=existing.organization_id,
        )
        record_withdrawn_notify(existing, who, reason)
    if changed_enterprises:
        signals.records_became_effective.send(sender=CreditRecord, records=changed_enterprises, actor=who, on=today)
    result.created += len(records)


def _settle_and_write(
    records: list[CreditRecord], who, now, result: BulkResult
) -> tuple[dict[int, CreditRecord], list[tuple[CreditRecord, CreditRecord]]]:
    """§三(四) for the batch: per (enterprise, act) the highest points win, the act's current effective record
    included (it wins ties, being first). Returns the enterprises whose effective records changed, and the
    (earlier effective record, new winner) pairs this batch replaced."""
    arriving = [r for r in records if r.status == RecordStatus.EFFECTIVE]
    enterprise_ids = sorted({r.enterprise_id for r in arriving})
    list(Enterprise.objects.select_for_update().filter(pk__in=enterprise_ids).order_by("pk").values_list("pk"))
    current = {
        (r.enterprise_id, r.act_ref): r
        for r in CreditRecord.objects.filter(
            enterprise_id__in=enterprise_ids,
            act_ref__in={r.act_ref for r in arriving},
            status=RecordStatus.EFFECTIVE,
        )
    }
    groups: dict[tuple[int, str], list[CreditRecord]] = defaultdict(list)
    for r in arriving:
        groups[(r.enterprise_id, r.act_ref)].append(r)
    winners: list[CreditRecord] = []
    losers: list[tuple[CreditRecord, Any]] = []  # (record, winner record) – winner may still be unsaved
    replaced: list[tuple[CreditRecord, CreditRecord]] = []  # (existing effective, new winner)
    for key, group in groups.items():
        # Within the batch, the same rule as one record after another: the first of the highest wins.
        best = max(group, key=lambda r: r.points)
        existing = current.get(key)
        outcome = one_act_outcome(best.points, existing.points if existing is not None else None)
        if outcome == SUPERSEDED_AT_ONCE:
            assert existing is not None
            losers.extend((r, existing) for r in group)
            continue
        winners.append(best)
        losers.extend((r, best) for r in group if r is not best)
        if outcome == REPLACES_CURRENT:
            assert existing is not None
            replaced.append((existing, best))
    for record, _ in losers:
        record.status, record.effective_at = RecordStatus.SUPERSEDED, None
    # The replaced records leave `effective` first: the partial unique index allows one effective per act.
    CreditRecord.objects.filter(pk__in=[e.pk for e, _ in replaced]).update(status=RecordStatus.SUPERSEDED)
    loser_ids = {id(r) for r, _ in losers}
    first_wave = [r for r in records if id(r) not in loser_ids]
    CreditRecord.objects.bulk_create(first_wave, batch_size=MAX_BATCH)
    for record, winner in losers:
        record.superseded_by_id = winner.pk
    CreditRecord.objects.bulk_create([r for r, _ in losers], batch_size=MAX_BATCH)
    transitions = [
        RecordTransition(
            record=r,
            from_status="",
            to_status=r.status,
            actor=who.user,
            actor_label=who.label,
            at=now,
            reason="e-CIQ 批量导入",
        )
        for r in records
    ]
    for existing, winner in replaced:
        CreditRecord.objects.filter(pk=existing.pk).update(superseded_by=winner)
        CreditRecord.objects.filter(superseded_by=existing, status=RecordStatus.SUPERSEDED).update(superseded_by=winner)
        transitions.append(
            RecordTransition(
                record=existing,
                from_status=RecordStatus.EFFECTIVE,
                to_status=RecordStatus.SUPERSEDED,
                actor=who.user,
                actor_label=who.label,
                at=now,
                reason=f"同一失信行为有分值更高的条目 {winner.item_code}，一次采集原则",
            )
        )
    RecordTransition.objects.bulk_create(transitions, batch_size=MAX_BATCH)
    result.effective += len(winners)
    result.superseded += len(losers) + len(replaced)
    return {w.enterprise_id: w for w in winners}, replaced
