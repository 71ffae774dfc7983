"""The bulk load writes the rows the per-record path writes (issue 14): COPY on PostgreSQL and executemany on
SQLite change how rows reach the database, never what they hold.

Two comparisons, each on both databases:
- `insert_rows` against the ORM: the same values written by `insert_rows` and by `bulk_create` read back
  identical, column by column as the database stores them (dates, timestamps and JSON in the ORM's own
  formats, so queries and indexes treat them alike).
- the whole load against the per-record intake (`eciq_intake`), on the same entries: every column of every
  record; per record, the status its transitions arrive at; and the received audit row, whose actor,
  organization, target and values agree. Only what the two paths write differently by design stays out: the
  moments of writing, and the per-record path's Deadline rows and intermediate steps (draft, then effective;
  its audit row's full snapshot), where the bulk path keeps `due_on`/`late_days` and writes the outcome.
"""

import datetime as dt

from django.db import connection
from django.utils import timezone

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.audit.services import audit_log_many, audit_log_rows
from ciqcredit.collection.intake import eciq_intake
from ciqcredit.collection.models import CreditRecord, RecordTransition
from ciqcredit.collection.records_load import records_bulk_load
from ciqcredit.collection.tests.conftest import eciq_entry, rolled_back
from ciqcredit.sql import insert_rows, reserve_ids

MOMENTS = {"id", "entered_at", "effective_at", "submitted_at", "superseded_by_id"}
DEADLINE_ROWS = {"deadline_id", "review_deadline_id"}  # the per-record path's Deadline rows


def _stored(model, pk) -> dict:
    """A row as the database holds it (no field conversion on the way back)."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])
        names = [c[0] for c in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def _without(row: dict, *names: str) -> dict:
    return {k: v for k, v in row.items() if k not in names}


def test_insert_rows_stores_what_bulk_create_stores(world):
    now = timezone.now()
    values = {
        "enterprise_id": world.enterprise.pk,
        "item_id": 1,
        "item_code": "E01",
        "catalogue_version": 1,
        "points": 1,
        "serious": True,
        "act_ref": "中文行为",
        "association_no": "475200217000000001",
        "occurred_on": dt.date(2017, 10, 9),
        "discovered_on": dt.date(2017, 10, 10),
        "verified_on": dt.date(2017, 10, 11),
        "entered_at": now,
        "effective_at": now.replace(microsecond=0),
        "organization_id": world.branch_a.pk,
        "route": "eciq",
        "description": "报检差错",
        "details": {"来源": "海关", "n": [1, 2]},
        "created_by_id": world.api_client.pk,
        "status": "effective",
    }
    from ciqcredit.catalogue.models import CatalogueItem

    values["item_id"] = CatalogueItem.objects.get(code="E01").pk
    by_orm = CreditRecord.objects.bulk_create([CreditRecord(**values, eciq_id="A")])[0]
    [pk] = reserve_ids(CreditRecord, 1)
    insert_rows(CreditRecord, [{**values, "eciq_id": "B", "act_ref": "中文行为2", "id": pk}])
    assert pk > by_orm.pk
    orm_row, fast_row = _stored(CreditRecord, by_orm.pk), _stored(CreditRecord, pk)
    assert _without(fast_row, "id", "eciq_id", "act_ref") == _without(orm_row, "id", "eciq_id", "act_ref")

    target = CreditRecord.objects.get(pk=pk)
    audit_log_many(
        actor=Actor.of(world.api_client), action="t.orm", changes=[(target, {"旧": 1}, {"新": dt.date(2017, 1, 2)})]
    )
    audit_log_rows(
        actor=Actor.of(world.api_client),
        action="t.fast",
        model=CreditRecord,
        changes=[(target.pk, str(target), {"旧": 1}, {"新": dt.date(2017, 1, 2)}, None)],
    )
    orm_audit, fast_audit = (
        _stored(AuditEntry, AuditEntry.objects.get(action=action).pk) for action in ("t.orm", "t.fast")
    )
    assert _without(fast_audit, "id", "at", "action") == _without(orm_audit, "id", "at", "action")
    assert type(fast_audit["at"]) is type(orm_audit["at"])


def _entries(world) -> list[dict]:
    """Every outcome: effective on arrival, awaiting a reviewer, one act settled within the batch (a tie, a
    higher one, a lower one), a declarant, another organization."""
    same = "475200217000000090"
    return [
        eciq_entry(world, 1, item_code="E01"),
        eciq_entry(world, 2, item_code="E02"),
        eciq_entry(world, 3, item_code="E03", stage="inspection", org_code="470000"),
        eciq_entry(world, 4, item_code="E01", association_no=same),
        eciq_entry(world, 5, item_code="E01", association_no=same),
        eciq_entry(world, 6, item_code="E04", stage="inspection", association_no=same),
        eciq_entry(world, 7, item_code="E01", association_no=same, declarant_no="4700000001"),
        eciq_entry(world, 8, item_code="E01", occurred_on="2017-06-01", discovered_on="2017-06-02"),
    ]


def _written() -> dict[str, tuple]:
    """Per e-CIQ id: the record's columns, the status its transitions arrive at, its received audit row."""
    out = {}
    by_id = dict(CreditRecord.objects.values_list("id", "eciq_id"))
    for record in CreditRecord.objects.all():
        columns = {f.attname: getattr(record, f.attname) for f in CreditRecord._meta.concrete_fields}
        columns = _without(columns, *MOMENTS, *DEADLINE_ROWS)
        columns["superseded_by"] = by_id.get(record.superseded_by_id)
        # Each path runs in its own rolled-back savepoint, creating the reviewing department anew (a new id).
        review = record.review_department
        columns["review_department_id"] = (review.organization_id, review.kind) if review else None
        last = RecordTransition.objects.filter(record=record).order_by("at", "id").last()
        received = AuditEntry.objects.get(
            action="collection.record.received_eciq", target_type="collection.creditrecord", target_id=str(record.pk)
        )
        audited = (
            received.actor_id,
            received.actor_label,
            received.organization_id,
            received.target_label,
            received.request_id,
            received.old,
            received.new["item_code"],
            received.new["points"],
        )
        out[record.eciq_id] = (columns, last.to_status if last else None, audited)
    return out


def test_the_bulk_load_writes_the_rows_of_the_per_record_intake(world):
    entries = _entries(world)
    per_record = rolled_back(lambda: eciq_intake(entries=entries, actor=Actor.of(world.api_client)), _written)
    batched = rolled_back(
        lambda: records_bulk_load(entries=entries, actor=Actor.of(world.api_client), batch_size=5), _written
    )
    assert len(per_record) == len(entries)
    statuses = sorted(columns["status"] for columns, _, _ in per_record.values())
    assert statuses == sorted(["effective"] * 3 + ["superseded"] * 3 + ["awaiting_confirmation"] * 2)
    assert batched.keys() == per_record.keys()
    for eciq_id, (columns, arrived_at, audited) in per_record.items():
        assert batched[eciq_id][0] == columns, eciq_id
        assert batched[eciq_id][1] == arrived_at == columns["status"], eciq_id
        assert batched[eciq_id][2] == audited, eciq_id
