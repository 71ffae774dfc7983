"""A case rests on its records: when the trigger is revoked the case is cancelled, and reopened only if the
remaining records still reach a condition."""

import datetime as dt

import pytest

from ciqcredit.actors import Actor
from ciqcredit.dynamic.models import CaseStatus
from ciqcredit.dynamic.services import case_cancel, dynamic_recheck, dynamic_record_withdrawn
from ciqcredit.dynamic.tests.fixtures import SETUP, fixture_grade, fixture_record
from ciqcredit.errors import DomainError


def test_revoked_trigger_cancels_the_case(world):
    ent = world.cast.enterprise
    fixture_grade(ent, "A")
    fixture_record(ent, world.items["ordinary"], dt.date(2025, 12, 1), user=world.cast.branch_a_user)
    trigger = fixture_record(ent, world.items["ordinary"], dt.date(2026, 2, 1), user=world.cast.branch_a_user)
    [case] = dynamic_recheck(enterprise=ent, trigger_record=trigger, actor=SETUP)
    trigger.status = "revoked"  # collection's revoke, as fixture data
    trigger.save(update_fields=["status"])
    assert dynamic_record_withdrawn(
        record=trigger, reason="处罚决定被撤销", actor=Actor.of(world.cast.bureau_a_user)
    ) == [case]
    case.refresh_from_db()
    assert case.status == CaseStatus.CANCELLED and "处罚决定被撤销" in case.cancel_reason
    assert case.transitions.last().to_status == "cancelled"
    assert ent.dynamic_cases.count() == 1  # 12 points remain: nothing reopened


def test_still_reached_reopens_with_a_fresh_notice(world):
    ent = world.cast.enterprise
    fixture_grade(ent, "A")
    for day in (dt.date(2025, 12, 1), dt.date(2026, 1, 1)):
        fixture_record(ent, world.items["ordinary"], day, user=world.cast.branch_a_user)
    trigger = fixture_record(ent, world.items["ordinary"], dt.date(2026, 2, 1), user=world.cast.branch_a_user)
    first = fixture_record(ent, world.items["ordinary"], dt.date(2026, 2, 2), user=world.cast.branch_a_user)
    [case] = dynamic_recheck(enterprise=ent, trigger_record=first, actor=SETUP)
    trigger.status = "revoked"
    trigger.save(update_fields=["status"])
    dynamic_record_withdrawn(record=trigger, reason="录入错误", actor=SETUP)
    reopened = ent.dynamic_cases.exclude(pk=case.pk).get()
    assert reopened.status == CaseStatus.AWAITING_NOTICE and reopened.points == 36
    assert reopened.notice.number != case.notice.number


def test_cancel_needs_a_reason_and_an_open_case(world):
    ent = world.cast.enterprise
    fixture_grade(ent, "A")
    for day in (dt.date(2025, 12, 1), dt.date(2026, 1, 1)):
        fixture_record(ent, world.items["ordinary"], day, user=world.cast.branch_a_user)
    [case] = dynamic_recheck(enterprise=ent, trigger_record=None, actor=SETUP)
    with pytest.raises(DomainError) as err:
        case_cancel(case=case, reason=" ", actor=Actor.of(world.cast.bureau_a_user))
    assert err.value.code == "required"
    case_cancel(case=case, reason="重复立案", actor=Actor.of(world.cast.bureau_a_user))
    with pytest.raises(DomainError) as again:
        case_cancel(case=case, reason="再次撤销", actor=Actor.of(world.cast.bureau_a_user))
    assert again.value.code == "case_closed"
