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
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log, audit_log_rows
from ciqcredit.catalogue.choices import Kind
from ciqcredit.catalogue.selectors import VersionTimeline
from ciqcredit.collection import signals
from ciqcredit.collection.choices import RecordStatus, Route
from ciqcredit.collection.deadlines import params_of
from ciqcredit.collection.effect import record_withdrawn_notify
from ciqcredit.collection.intake import Checked, IntakeChecker, record_values
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
from ciqcredit.sql import collector_paused, in_values, insert_rows, reserve_ids
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
    deadlines = _EntryDeadlines(today)
    result = BulkResult()
    offset = 0
    for batch in _batches(entries, batch_size):
        with collector_paused(), transaction.atomic():
            _load_batch(batch, offset, checker, deadlines, actor, today, result)
        offset += len(batch)
        if progress:
            progress(len(batch))
    return result


class _EntryDeadlines:
    """The entry deadline (§三(六)) of a record by its start day, and how late it arrived: computed once per day
    for the whole load (a national back-fill has millions of records over a few hundred days)."""

    def __init__(self, today: dt.date):
        self.today = today
        self.calendar = current_calendar()
        self.rulesets = VersionTimeline(Kind.RULESET)
        self._due: dict[dt.date, tuple[dt.date, int]] = {}

    def due(self, start: dt.date) -> tuple[dt.date, int]:
        if start not in self._due:
            period = params_of(self.rulesets.on(start), start).collection_deadline
            due_on = self.calendar.add_days(start, period.days, period.unit).date
            self._due[start] = (due_on, late_days(due_on, self.today, self.calendar.working_days_between))
        return self._due[start]


def _load_batch(
    batch: list[Any],
    offset: int,
    checker: IntakeChecker,
    deadlines: _EntryDeadlines,
    who: Actor,
    today: dt.date,
    result: BulkResult,
) -> None:
    checker.prefetch(batch)
    keys = [str(e.get("eciq_id", "")).strip() for e in batch if isinstance(e, dict)]
    seen = set(
        CreditRecord.objects.filter(in_values(CreditRecord, "eciq_id", [k for k in keys if k])).values_list(
            "eciq_id", flat=True
        )
    )
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
    rows: list[dict[str, Any]] = []
    for checked in accepted:
        row = record_values(checked, route=Route.ECIQ, client=who.user, now=now)
        row["due_on"], row["late_days"] = deadlines.due(collection_start(row["discovered_on"], row["verified_on"]))
        if checked.effective_on_arrival:
            row["status"], row["effective_at"], row["submitted_at"] = RecordStatus.EFFECTIVE, now, None
        else:
            row["status"], row["effective_at"], row["submitted_at"] = RecordStatus.AWAITING_CONFIRMATION, None, now
        row["superseded_by_id"] = None
        rows.append(row)
    for row, pk in zip(rows, reserve_ids(CreditRecord, len(rows)), strict=True):
        row["id"] = pk
    changed, replaced = _settle_and_write(rows, who, now, result)
    # The audit rows' values take a few shapes (status, item, points): one dict per shape, written as JSON once.
    received: dict[tuple[str, str, int], dict[str, Any]] = {}
    audit_log_rows(
        actor=who,
        action="collection.record.received_eciq",
        model=CreditRecord,
        changes=[
            (
                r["id"],
                CreditRecord.label_of(r["association_no"], r["item_code"]),
                None,
                received.setdefault(
                    (r["status"], r["item_code"], r["points"]),
                    {"status": r["status"], "item_code": r["item_code"], "points": r["points"]},
                ),
                r["organization_id"],
            )
            for r in rows
        ],
    )
    for existing, winner in replaced:  # rare: an earlier effective record outscored by this batch
        reason = f"同一失信行为有分值更高的条目 {winner['item_code']}（{winner['points']}分），按一次采集原则替代"
        audit_log(
            actor=who,
            action="collection.record.superseded",
            target=existing,
            old={"status": RecordStatus.EFFECTIVE},
            new={"status": RecordStatus.SUPERSEDED, "superseded_by": winner["id"], "reason": reason},
            organization_id=existing.organization_id,
        )
        record_withdrawn_notify(existing, who, reason)
    if changed:
        by_enterprise = {c.enterprise.pk: c for c in accepted}
        records = _RecordsOf(changed, by_enterprise)
        signals.records_became_effective.send(sender=CreditRecord, records=records, actor=who, on=today)
    result.created += len(rows)


class _RecordsOf(Mapping[int, CreditRecord]):
    """{enterprise id: one of its changed records} for `records_became_effective`, the record instance built
    only when a receiver asks for it (most enterprises of a batch are never looked at)."""

    def __init__(self, rows: dict[int, dict[str, Any]], checked: dict[int, Checked]):
        self._rows, self._checked = rows, checked

    def __getitem__(self, enterprise_id: int) -> CreditRecord:
        record = CreditRecord(**self._rows[enterprise_id])
        record.enterprise = self._checked[enterprise_id].enterprise
        return record

    def __iter__(self) -> Iterator[int]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


def _settle_and_write(
    rows: list[dict[str, Any]], who: Actor, now: dt.datetime, result: BulkResult
) -> tuple[dict[int, dict[str, Any]], list[tuple[CreditRecord, dict[str, Any]]]]:
    """§三(四) for the batch: per (enterprise, act) the highest points win, the act's current effective record
    included (it wins ties, being first). Writes the records and their transitions; returns the enterprises
    whose effective records changed (with one such record each), and the (earlier effective record, new
    winner) pairs this batch replaced."""
    arriving = [r for r in rows if r["status"] == RecordStatus.EFFECTIVE]
    enterprise_ids = sorted({r["enterprise_id"] for r in arriving})
    locked = Enterprise.objects.select_for_update().filter(in_values(Enterprise, "id", enterprise_ids))
    list(locked.order_by("pk").values_list("pk"))
    current = {
        (r.enterprise_id, r.act_ref): r
        for r in CreditRecord.objects.filter(
            in_values(CreditRecord, "enterprise_id", enterprise_ids),
            in_values(CreditRecord, "act_ref", {r["act_ref"] for r in arriving}),
            status=RecordStatus.EFFECTIVE,
        )
    }
    groups: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
    for r in arriving:
        groups[(r["enterprise_id"], r["act_ref"])].append(r)
    winners: list[dict[str, Any]] = []
    superseded = 0
    replaced: list[tuple[CreditRecord, dict[str, Any]]] = []  # (existing effective, new winner)
    for key, group in groups.items():
        # Within the batch, the same rule as one record after another: the first of the highest wins.
        best = max(group, key=lambda r: r["points"])
        existing = current.get(key)
        outcome = one_act_outcome(best["points"], existing.points if existing is not None else None)
        if outcome == SUPERSEDED_AT_ONCE:
            assert existing is not None
            losers, winner_id = group, existing.pk
        else:
            winners.append(best)
            losers, winner_id = [r for r in group if r is not best], best["id"]
            if outcome == REPLACES_CURRENT:
                assert existing is not None
                replaced.append((existing, best))
        for r in losers:
            r["status"], r["effective_at"], r["superseded_by_id"] = RecordStatus.SUPERSEDED, None, winner_id
        superseded += len(losers)
    # The replaced records leave `effective` first: the partial unique index allows one effective per act.
    CreditRecord.objects.filter(pk__in=[e.pk for e, _ in replaced]).update(status=RecordStatus.SUPERSEDED)
    insert_rows(CreditRecord, rows)
    arrival = {"from_status": "", "actor_id": who.user.pk if who.user else None, "actor_label": who.label, "at": now}
    transitions = [
        {**arrival, "record_id": r["id"], "to_status": r["status"], "reason": "e-CIQ 批量导入"} for r in rows
    ]
    for existing, winner in replaced:
        CreditRecord.objects.filter(pk=existing.pk).update(superseded_by=winner["id"])
        CreditRecord.objects.filter(superseded_by=existing, status=RecordStatus.SUPERSEDED).update(
            superseded_by=winner["id"]
        )
        transitions.append(
            {
                **arrival,
                "record_id": existing.pk,
                "from_status": RecordStatus.EFFECTIVE,
                "to_status": RecordStatus.SUPERSEDED,
                "reason": f"同一失信行为有分值更高的条目 {winner['item_code']}，一次采集原则",
            }
        )
    insert_rows(RecordTransition, transitions)
    result.effective += len(winners)
    result.superseded += superseded + len(replaced)
    return {w["enterprise_id"]: w for w in winners}, replaced
