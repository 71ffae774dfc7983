"""Bulk twins stay equal: the batched e-CIQ load (records_load) settles §三(四) one act, one item exactly as the
per-record intake (intake.eciq_intake → effect.make_effective) does, on the same entries.

Both run on the same data, each in a rolled-back savepoint. Compared: every record's status, points and the
record it is superseded by, and which records count. The two paths deliberately write different history
(per record: an effective then a superseded transition and audit row each; in bulk: one arrival transition
and one received audit row per record), so transitions and audit rows are compared by what they conclude.
"""

from ciqcredit.actors import Actor
from ciqcredit.collection.intake import eciq_intake
from ciqcredit.collection.models import CreditRecord
from ciqcredit.collection.records_load import records_bulk_load
from ciqcredit.collection.tests.conftest import eciq_entry, rolled_back


def _entries(world) -> list[dict]:
    """Acts settled every way: a lone record, a tie (first wins), a later higher one, a lower one after it."""
    same = "475200217000000090"
    other = "475200217000000091"
    return [
        eciq_entry(world, 1, item_code="E01"),
        eciq_entry(world, 2, item_code="E01", association_no=same),
        eciq_entry(world, 3, item_code="E01", association_no=same),
        eciq_entry(world, 4, item_code="E04", stage="inspection", association_no=same),
        eciq_entry(world, 5, item_code="E01", association_no=same),
        eciq_entry(world, 6, item_code="E04", stage="inspection", association_no=other),
        eciq_entry(world, 7, item_code="E01", association_no=other),
    ]


def _settled() -> list[tuple]:
    rows = CreditRecord.objects.select_related("superseded_by").order_by("eciq_id")
    return [
        (r.eciq_id, r.status, r.points, r.act_ref, r.superseded_by.eciq_id if r.superseded_by else None) for r in rows
    ]


def test_the_batch_load_settles_one_act_like_the_per_record_intake(world):
    entries = _entries(world)
    per_record = rolled_back(lambda: eciq_intake(entries=entries, actor=Actor.of(world.api_client)), _settled)
    batched = rolled_back(lambda: records_bulk_load(entries=entries, actor=Actor.of(world.api_client)), _settled)
    assert [status for _, status, *_ in per_record].count("effective") == 3
    assert batched == per_record


def test_a_batch_after_an_earlier_record_settles_like_the_intake(world):
    """The act's current effective record, written earlier, takes part: ties keep it, higher points replace it."""
    eciq_intake(entries=[eciq_entry(world, 1, item_code="E04", stage="inspection")], actor=Actor.of(world.api_client))
    earlier = CreditRecord.objects.get(eciq_id="ECIQ-000001")
    later = [
        eciq_entry(world, 2, item_code="E04", stage="inspection", association_no=earlier.association_no),
        eciq_entry(world, 3, item_code="E01", association_no=earlier.association_no),
    ]
    per_record = rolled_back(lambda: eciq_intake(entries=later, actor=Actor.of(world.api_client)), _settled)
    batched = rolled_back(lambda: records_bulk_load(entries=later, actor=Actor.of(world.api_client)), _settled)
    assert batched == per_record
