"""The bulk loader shares the intake checks and reaches the same outcomes as the intake API."""

from ciqcredit.actors import Actor
from ciqcredit.collection.intake import eciq_intake
from ciqcredit.collection.models import CreditRecord
from ciqcredit.collection.records_load import records_bulk_load
from ciqcredit.collection.tests.conftest import eciq_entry


def test_bulk_load_checks_and_settles_like_the_api(world):
    eciq_intake(entries=[eciq_entry(world, 1, association_no="ACT-A")], actor=Actor.of(world.api_client))  # 1 point
    entries = [
        eciq_entry(world, 1),  # duplicate of the API's
        eciq_entry(world, 2, item_code="E04", stage="inspection", association_no="ACT-A"),  # 6 points: replaces
        eciq_entry(world, 3, association_no="ACT-A"),  # 1 point: superseded at once
        eciq_entry(world, 4, item_code="NOPE"),
        eciq_entry(world, 5, item_code="E03", stage="inspection"),
        eciq_entry(world, 6, description=""),
    ]
    result = records_bulk_load(entries=entries, actor=Actor.of(world.api_client), batch_size=4)
    assert (result.created, result.duplicates) == (3, 1)
    assert [(r["index"], r["code"]) for r in result.rejected] == [(3, "unknown_item"), (5, "missing_description")]
    act = CreditRecord.objects.filter(act_ref="ACT-A")
    winner = act.get(status="effective")
    assert winner.eciq_id == "ECIQ-000002"
    assert set(act.filter(status="superseded").values_list("superseded_by", flat=True)) == {winner.pk}
    waiting = CreditRecord.objects.get(eciq_id="ECIQ-000005")
    assert waiting.status == "awaiting_confirmation" and waiting.review_department.kind == "inspection"
    assert waiting.due_on is not None and waiting.late_days == 2
    assert waiting.transitions.count() == 1
