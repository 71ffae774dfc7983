"""Nothing is carried out before the notice's delivery is recorded; delivery then carries out the downgrade."""

import datetime as dt

import pytest

from ciqcredit.actors import Actor
from ciqcredit.dynamic.models import CaseKind, CaseStatus
from ciqcredit.dynamic.services import case_carry_out, dynamic_recheck, notice_deliver
from ciqcredit.dynamic.tests.fixtures import SETUP, fixture_grade, fixture_record, proof
from ciqcredit.errors import DomainError
from ciqcredit.rating.services.grades import grade_on


def _reach_24(world):
    ent = world.cast.enterprise
    fixture_grade(ent, "A")
    fixture_record(ent, world.items["ordinary"], dt.date(2025, 11, 3), user=world.cast.branch_a_user)
    record = fixture_record(ent, world.items["ordinary"], dt.date(2026, 2, 10), user=world.cast.branch_a_user)
    return dynamic_recheck(enterprise=ent, trigger_record=record, actor=SETUP)


def test_carry_out_refused_before_delivery(world):
    [case] = _reach_24(world)
    assert case.kind == CaseKind.DOWNGRADE and case.status == CaseStatus.AWAITING_NOTICE
    with pytest.raises(DomainError) as err:
        case_carry_out(case=case, actor=Actor.of(world.cast.bureau_a_user))
    assert err.value.code == "notice_not_delivered"
    assert grade_on(world.cast.enterprise, dt.date(2026, 3, 2)).grade == "A"
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_NOTICE


def test_delivery_carries_out_downgrade_a_to_b_with_control(world, django_capture_on_commit_callbacks):
    [case] = _reach_24(world)
    with django_capture_on_commit_callbacks(execute=True):  # the proof is written once the delivery commits
        notice_deliver(
            notice=case.notice,
            method="direct",
            delivered_on=dt.date(2026, 3, 2),
            recipient="王经理",
            proof_file=proof(),
            actor=Actor.of(world.cast.bureau_a_user),
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.CARRIED_OUT
    assert [t.to_status for t in case.transitions.all()] == ["awaiting_notice", "notice_delivered", "carried_out"]
    now = grade_on(world.cast.enterprise, dt.date(2026, 3, 2))
    assert (now.grade, now.controlled, now.cause) == ("B", True, "dynamic_downgrade")
    assert grade_on(world.cast.enterprise, dt.date(2026, 3, 1)).grade == "A"
    assert case.grade_change.notice_number == case.notice.number
    assert case.notice.proof_file.read() == b"%PDF-1.4 signed receipt"
