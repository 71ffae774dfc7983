"""draft → awaiting_confirmation → effective; return, revoke and correct with reasons; every step a row + audit."""

import pytest

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.collection.models import CreditRecord
from ciqcredit.collection.services import (
    record_confirm,
    record_correct,
    record_create,
    record_return,
    record_revoke,
    record_submit,
    record_update,
)
from ciqcredit.collection.tests.conftest import supervision_args
from ciqcredit.errors import DomainError, Forbidden


def statuses(record) -> list[tuple[str, str]]:
    return [(t.from_status, t.to_status) for t in record.transitions.all()]


def test_manual_record_goes_through_review(world):
    record = record_create(actor=Actor.of(world.branch_a_user), **supervision_args(world))
    assert record.status == "draft"
    assert record.organization == world.branch_a and record.department == world.branch_a_user.department
    record_submit(record=record, actor=Actor.of(world.branch_a_user))
    assert record.status == "awaiting_confirmation"
    record_confirm(record=record, actor=Actor.of(world.branch_a_reviewer))
    record.refresh_from_db()
    assert record.status == "effective" and record.confirmed_by == world.branch_a_reviewer
    assert statuses(record) == [
        ("", "draft"),
        ("draft", "awaiting_confirmation"),
        ("awaiting_confirmation", "effective"),
    ]
    actions = set(
        AuditEntry.objects.filter(target_id=str(record.pk), target_type="collection.creditrecord").values_list(
            "action", flat=True
        )
    )
    assert {
        "collection.record.created",
        "collection.record.submitted",
        "collection.record.confirmed",
        "collection.record.effective",
    } <= actions


def test_incomplete_record_cannot_leave_draft(world):
    record = record_create(
        actor=Actor.of(world.branch_a_user),
        **supervision_args(world, description="", association_no=""),
    )
    with pytest.raises(DomainError) as exc:
        record_submit(record=record, actor=Actor.of(world.branch_a_user))
    assert exc.value.code == "validation_error"
    codes = {e["code"] for e in exc.value.details["errors"]}
    assert codes == {"missing_description", "missing_association_no"}
    record.refresh_from_db()
    assert record.status == "draft"
    record_update(
        record=record,
        changes={"description": "单证不符", "association_no": "4701002170001"},
        actor=Actor.of(world.branch_a_user),
    )
    record_submit(record=record, actor=Actor.of(world.branch_a_user))
    assert record.status == "awaiting_confirmation"


def test_submitting_incomplete_directly_is_refused_and_writes_nothing(world):
    with pytest.raises(DomainError):
        record_create(
            actor=Actor.of(world.branch_a_user),
            submit=True,
            **supervision_args(world, description=""),
        )
    assert not CreditRecord.objects.exists()


def test_collector_cannot_confirm_own_record_even_as_credit_officer(world):
    record = record_create(actor=Actor.of(world.bureau_a_user), submit=True, **supervision_args(world))
    with pytest.raises(Forbidden) as exc:
        record_confirm(record=record, actor=Actor.of(world.bureau_a_user))
    assert exc.value.code == "own_record"


def test_only_a_reviewer_of_the_collecting_organization_confirms(world):
    record = record_create(actor=Actor.of(world.branch_a_user), submit=True, **supervision_args(world))
    with pytest.raises(Forbidden) as exc:
        record_confirm(record=record, actor=Actor.of(world.bureau_a_reviewer))  # the bureau above, not the branch
    assert exc.value.code == "wrong_organization"
    with pytest.raises(Forbidden) as exc:
        record_confirm(record=record, actor=Actor.of(world.inspection_collector))
    assert exc.value.code == "not_reviewer"
    record_confirm(record=record, actor=Actor.of(world.declaration_reviewer))  # any reviewer of the branch
    assert record.status == "effective"


def test_return_needs_a_reason_and_goes_back_to_draft(world):
    record = record_create(actor=Actor.of(world.branch_a_user), submit=True, **supervision_args(world))
    with pytest.raises(DomainError) as exc:
        record_return(record=record, reason=" ", actor=Actor.of(world.branch_a_reviewer))
    assert exc.value.code == "missing_reason"
    record_return(record=record, reason="附件缺失", actor=Actor.of(world.branch_a_reviewer))
    assert record.status == "draft"
    assert record.transitions.last().reason == "附件缺失"
    record_submit(record=record, actor=Actor.of(world.branch_a_user))
    assert record.status == "awaiting_confirmation"


def test_revoke_needs_a_reason_and_keeps_the_record(world):
    record = record_create(actor=Actor.of(world.branch_a_user), submit=True, **supervision_args(world))
    with pytest.raises(DomainError) as exc:
        record_revoke(record=record, reason="录入错误", actor=Actor.of(world.branch_a_reviewer))
    assert exc.value.code == "wrong_status"
    record_confirm(record=record, actor=Actor.of(world.branch_a_reviewer))
    with pytest.raises(DomainError):
        record_revoke(record=record, reason="", actor=Actor.of(world.branch_a_reviewer))
    record_revoke(record=record, reason="经复核不属实", actor=Actor.of(world.bureau_a_reviewer))  # the bureau above may
    record.refresh_from_db()
    assert record.status == "revoked"
    assert CreditRecord.objects.count() == 1


def test_correction_makes_a_new_effective_record_linked_to_the_old(world):
    record = record_create(actor=Actor.of(world.branch_a_user), submit=True, **supervision_args(world))
    record_confirm(record=record, actor=Actor.of(world.branch_a_reviewer))
    new = record_correct(
        record=record,
        changes={"item_code": "S03", "description": "更正后的详情"},
        reason="条目选择错误",
        actor=Actor.of(world.branch_a_reviewer),
    )
    record.refresh_from_db()
    assert record.status == "corrected"
    assert new.status == "effective" and new.corrects == record
    assert (new.item_code, new.points, new.act_ref) == ("S03", 6, record.act_ref)
    with pytest.raises(DomainError) as exc:
        record_correct(
            record=record,
            changes={"description": "x"},
            reason="再改",
            actor=Actor.of(world.branch_a_reviewer),
        )
    assert exc.value.code == "wrong_status"


def test_only_its_collector_edits_or_submits_a_draft(world):
    record = record_create(actor=Actor.of(world.branch_a_user), **supervision_args(world))
    with pytest.raises(Forbidden):
        record_submit(record=record, actor=Actor.of(world.inspection_collector))
    with pytest.raises(Forbidden):
        record_update(
            record=record,
            changes={"description": "x"},
            actor=Actor.of(world.inspection_collector),
        )
