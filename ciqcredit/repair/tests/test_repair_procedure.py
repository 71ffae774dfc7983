"""Credit repair: the enterprise applies online after the clean period; the office accepts and BRIEF.md's removal
procedure runs to removal (or rejects, saying when the next application may be made)."""

import datetime as dt

import pytest

from ciqcredit.actors import Actor
from ciqcredit.dynamic.models import CaseStatus, RemovalStatus
from ciqcredit.dynamic.services import removal_decide
from ciqcredit.dynamic.tests.fixtures import fixture_record, listed_case
from ciqcredit.errors import DomainError, NotFound
from ciqcredit.rating.services.grades import grade_on
from ciqcredit.repair.models import RepairStatus
from ciqcredit.repair.selectors import repair_progress, repair_standing
from ciqcredit.repair.services import repair_accept, repair_apply, repair_reject

LISTED_ON = dt.date(2026, 4, 8)  # listed_case's HQ approval


def _apply(world):
    return repair_apply(
        enterprise=world.cast.enterprise,
        rectification="已完成整改，建立单证复核制度",
        actor=Actor.of(world.cast.enterprise_user),
    )


def test_an_application_before_the_clean_period_is_refused_with_the_first_day(world):
    listed_case(world)
    world.on(dt.date(2026, 10, 7))
    with pytest.raises(DomainError) as early:
        _apply(world)
    assert early.value.code == "too_early" and early.value.status == 409
    assert early.value.details["next_allowed_on"] == "2026-10-08"
    assert "2026-10-08" in early.value.message
    assert not repair_standing(world.cast.enterprise).may_apply


def test_after_the_clean_period_the_application_runs_to_removal(world):
    case = listed_case(world)
    world.on(dt.date(2026, 10, 8))
    application = _apply(world)
    assert application.status == RepairStatus.SUBMITTED and application.review_due == dt.date(2026, 10, 28)
    assert repair_progress(application)["state"] == "已提交，待受理"

    world.on(dt.date(2026, 10, 12))
    repair_accept(application=application, actor=Actor.of(world.cast.bureau_a_user))
    application.refresh_from_db()
    removal = application.removal
    assert application.status == RepairStatus.ACCEPTED
    assert (removal.accepted_on, removal.clean_until) == (dt.date(2026, 10, 12), dt.date(2027, 4, 12))
    assert "观察期" in repair_progress(application)["state"]

    world.on(dt.date(2027, 4, 12))
    with pytest.raises(DomainError) as early:
        removal_decide(application=removal, actor=Actor.of(world.cast.bureau_a_user))
    assert early.value.code == "too_early"
    world.on(dt.date(2027, 4, 13))
    removal_decide(application=removal, actor=Actor.of(world.cast.bureau_a_user))
    application.refresh_from_db()
    case.refresh_from_db()
    assert application.removal.status == RemovalStatus.APPROVED and case.status == CaseStatus.REMOVED
    assert repair_progress(application)["state"] == "已移出严重失信企业名单"
    assert grade_on(world.cast.enterprise, dt.date(2027, 4, 13)).grade == "C"


def test_a_record_after_the_listing_restarts_the_clean_period(world):
    listed_case(world)
    fixture_record(world.cast.enterprise, world.items["ordinary"], dt.date(2026, 6, 1), user=world.cast.branch_a_user)
    world.on(dt.date(2026, 11, 30))
    with pytest.raises(DomainError) as early:
        _apply(world)
    assert early.value.details["next_allowed_on"] == "2026-12-01"
    assert "最近一条失信记录" in early.value.message
    world.on(dt.date(2026, 12, 1))
    assert _apply(world).status == RepairStatus.SUBMITTED


def test_a_rejected_application_says_when_the_next_may_be_made(world):
    listed_case(world)
    world.on(dt.date(2026, 10, 8))
    application = _apply(world)
    with pytest.raises(DomainError) as twice:
        _apply(world)
    assert twice.value.code == "repair_pending"
    world.on(dt.date(2026, 10, 10))
    with pytest.raises(DomainError) as no_reason:
        repair_reject(application=application, reason=" ", actor=Actor.of(world.cast.bureau_a_user))
    assert no_reason.value.code == "required"
    repair_reject(application=application, reason="整改材料不全", actor=Actor.of(world.cast.bureau_a_user))
    application.refresh_from_db()
    assert application.status == RepairStatus.REJECTED
    assert application.next_allowed_on == dt.date(2027, 1, 10)  # 3 months (rule set: repair.reapply_months)
    progress = repair_progress(application)
    assert progress["state"] == "不予受理" and progress["next_allowed_on"] == dt.date(2027, 1, 10)
    world.on(dt.date(2026, 11, 1))
    with pytest.raises(DomainError) as early:
        _apply(world)
    assert early.value.details["next_allowed_on"] == "2027-01-10"
    world.on(dt.date(2027, 1, 10))
    assert _apply(world).status == RepairStatus.SUBMITTED


def test_only_the_enterprise_applies_and_only_its_office_reviews(world):
    listed_case(world)
    world.on(dt.date(2026, 10, 8))
    with pytest.raises(NotFound):
        repair_apply(enterprise=world.cast.enterprise, rectification="整改", actor=Actor.of(world.cast.bureau_a_user))
    application = _apply(world)
    with pytest.raises(NotFound):
        repair_accept(application=application, actor=Actor.of(world.cast.bureau_b_user))
    with pytest.raises(DomainError) as collector:
        repair_accept(application=application, actor=Actor.of(world.cast.branch_a_user))
    assert collector.value.status in (403, 404)
    application.refresh_from_db()
    assert application.status == RepairStatus.SUBMITTED


def test_an_enterprise_not_on_the_list_has_nothing_to_repair(world):
    with pytest.raises(DomainError) as none:
        _apply(world)
    assert none.value.code == "not_listed"
