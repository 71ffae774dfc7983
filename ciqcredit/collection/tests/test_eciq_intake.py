"""e-CIQ intake: idempotence per eciq_id, effective on arrival or routed by stage, per-entry rejection."""

import pytest

from ciqcredit.actors import Actor
from ciqcredit.collection.intake import eciq_intake
from ciqcredit.collection.models import CreditRecord
from ciqcredit.collection.selectors import queue_to_confirm
from ciqcredit.collection.services import record_confirm, record_return, record_revoke
from ciqcredit.collection.tests.conftest import eciq_entry
from ciqcredit.errors import DomainError, Forbidden


def test_same_eciq_id_twice_never_makes_two_records(world):
    first = eciq_intake(entries=[eciq_entry(world, 1), eciq_entry(world, 2)], actor=Actor.of(world.api_client))
    assert (first.created, first.duplicates, first.rejected) == (2, 0, [])
    again = eciq_intake(
        entries=[eciq_entry(world, 1), eciq_entry(world, 1), eciq_entry(world, 3)],
        actor=Actor.of(world.api_client),
    )
    assert (again.created, again.duplicates) == (1, 2)
    assert again.records[0]["id"] == first.records[0]["id"]
    assert CreditRecord.objects.count() == 3


def test_items_needing_no_judgment_are_effective_on_arrival(world):
    result = eciq_intake(entries=[eciq_entry(world, 1)], actor=Actor.of(world.api_client))
    record = CreditRecord.objects.get(pk=result.records[0]["id"])
    assert record.status == "effective" and record.route == "eciq"
    assert record.organization == world.branch_a and record.created_by == world.api_client
    assert record.act_ref == record.association_no == "475200217000000001"
    assert record.deadline.closed_on is not None


def test_judgment_items_wait_for_the_department_of_their_stage(world):
    result = eciq_intake(
        entries=[
            eciq_entry(world, 1, item_code="E02", stage="declaration"),
            eciq_entry(world, 2, item_code="E03", stage="inspection"),
        ],
        actor=Actor.of(world.api_client),
    )
    declaration, inspection = (CreditRecord.objects.get(pk=r["id"]) for r in result.records)
    assert declaration.status == inspection.status == "awaiting_confirmation"
    assert (declaration.review_department.kind, inspection.review_department.kind) == (
        "declaration",
        "inspection",
    )
    assert list(queue_to_confirm(world.branch_a_reviewer)) == [inspection]  # 施检 reviewer
    assert list(queue_to_confirm(world.declaration_reviewer)) == [declaration]  # 检务 reviewer
    assert list(queue_to_confirm(world.bureau_a_reviewer)) == []
    with pytest.raises(Forbidden) as exc:
        record_confirm(record=declaration, actor=Actor.of(world.branch_a_reviewer))
    assert exc.value.code == "wrong_review_department"
    record_confirm(record=inspection, actor=Actor.of(world.branch_a_reviewer))
    assert inspection.status == "effective"
    with pytest.raises(DomainError):
        record_return(record=declaration, reason="不属失信", actor=Actor.of(world.declaration_reviewer))
    record_revoke(
        record=declaration,
        reason="经判定不属失信行为",
        actor=Actor.of(world.declaration_reviewer),
    )
    assert declaration.status == "revoked"


def test_bad_entries_are_rejected_alone_with_index_code_and_message(world):
    entries = [
        eciq_entry(world, 1),
        eciq_entry(world, 2, credit_code="91440300MA5DXXXX0X"),
        eciq_entry(world, 3, item_code="S01"),
        eciq_entry(world, 4, stage="payment"),
        eciq_entry(world, 5, org_code="110000"),  # bureau B: outside the client's bureau
        eciq_entry(world, 6, verified_on="2017-13-01"),
        eciq_entry(world, 7, description=""),
        "not an object",
        eciq_entry(world, 9),
    ]
    result = eciq_intake(entries=entries, actor=Actor.of(world.api_client))
    assert result.created == 2
    assert [(r["index"], r["code"]) for r in result.rejected] == [
        (1, "enterprise_not_registered"),
        (2, "item_not_automatic"),
        (3, "invalid_entry"),
        (4, "out_of_scope"),
        (5, "invalid_entry"),
        (6, "missing_description"),
        (7, "invalid_entry"),
    ]
    assert all(r["message"] for r in result.rejected)
    assert CreditRecord.objects.count() == 2


def test_an_entry_failing_midway_leaves_nothing_behind(world, monkeypatch):
    def fail(**kwargs):
        raise DomainError("boom", "期限服务失败")

    monkeypatch.setattr("ciqcredit.collection.intake.review_deadline_open", fail)
    result = eciq_intake(
        entries=[eciq_entry(world, 1), eciq_entry(world, 2, item_code="E02")],
        actor=Actor.of(world.api_client),
    )
    assert result.created == 1 and result.rejected[0]["index"] == 1
    assert list(CreditRecord.objects.values_list("eciq_id", flat=True)) == ["ECIQ-000001"]


def test_scope_and_batch_size(world):
    with pytest.raises(Forbidden):
        eciq_intake(entries=[], actor=Actor.of(world.bureau_a_user))
    with pytest.raises(DomainError) as exc:
        eciq_intake(entries=[{}] * 1001, actor=Actor.of(world.api_client))
    assert exc.value.code == "batch_too_large"
