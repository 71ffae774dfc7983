"""Concurrent saves on PostgreSQL: threads with their own connections, committed for real.

SQLite serializes writers (IMMEDIATE transactions), so these behaviours only need proving on PostgreSQL.
"""

import pytest

from ciqcredit.actors import Actor
from ciqcredit.collection.models import CreditRecord
from ciqcredit.collection.services import record_confirm, record_create
from ciqcredit.collection.tests.conftest import supervision_args
from ciqcredit.testing import require_postgres, run_together

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_fifty_concurrent_saves_get_fifty_consecutive_serials(world):
    require_postgres()

    def save():
        record = record_create(
            actor=Actor.of(world.branch_a_user),
            **supervision_args(world, item_code="S01", association_no=""),
        )
        return record.association_no

    numbers = run_together([save] * 50)
    assert sorted(numbers) == [f"J47520020171020{n:03d}" for n in range(1, 51)]


def test_one_effective_record_per_act_under_concurrent_confirmation(world):
    require_postgres()
    items = [
        "S04",
        "S03",
        "S04",
        "S01",
        "S03",
        "S04",
        "S02",
        "S01",
    ]  # 3, 6, 3, 3, 6, 3, 1, 3 points
    records = [
        record_create(
            actor=Actor.of(world.branch_a_user),
            submit=True,
            **supervision_args(
                world,
                item_code=code,
                act_ref="ACT-RACE",
                association_no="" if code == "S01" else "4752001",
                declarant_no="4700001",
            ),
        )
        for code in items
    ]
    run_together(
        [
            lambda r=r: record_confirm(
                record=CreditRecord.objects.get(pk=r.pk), actor=Actor.of(world.branch_a_reviewer)
            )
            for r in records
        ]
    )
    act = CreditRecord.objects.filter(act_ref="ACT-RACE")
    effective = act.filter(status="effective")
    assert effective.count() == 1
    winner = effective.get()
    assert winner.points == 6
    assert act.filter(status="superseded").count() == len(items) - 1
    assert set(act.filter(status="superseded").values_list("superseded_by", flat=True)) == {winner.pk}
