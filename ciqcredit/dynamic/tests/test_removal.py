"""Removal from the list: on an accepted application, after 6 clean months (rule set), to grade C."""

import datetime as dt

import pytest

from ciqcredit.actors import Actor
from ciqcredit.dynamic.models import CaseStatus, RemovalStatus
from ciqcredit.dynamic.services import removal_apply, removal_decide, removal_refuse
from ciqcredit.dynamic.tests.fixtures import fixture_record, listed_case
from ciqcredit.errors import DomainError
from ciqcredit.rating.services.grades import grade_on


def _apply(world):
    case = listed_case(world)
    assert grade_on(world.cast.enterprise, dt.date(2026, 4, 8)).grade == "D"
    world.on(dt.date(2026, 4, 20))
    application = removal_apply(
        case=case,
        rectification="已完成整改并通过验收",
        accepted_on=dt.date(2026, 4, 20),
        actor=Actor.of(world.cast.bureau_a_user),
    )
    assert application.clean_until == dt.date(2026, 10, 20)
    return case, application


def test_removal_after_six_clean_months(world):
    case, application = _apply(world)
    world.on(dt.date(2026, 10, 20))
    with pytest.raises(DomainError) as early:
        removal_decide(application=application, actor=Actor.of(world.cast.bureau_a_user))
    assert early.value.code == "too_early"
    world.on(dt.date(2026, 10, 21))
    removal_decide(application=application, actor=Actor.of(world.cast.bureau_a_user))
    application.refresh_from_db()
    case.refresh_from_db()
    assert application.status == RemovalStatus.APPROVED and case.status == CaseStatus.REMOVED
    after = grade_on(world.cast.enterprise, dt.date(2026, 10, 21))
    assert (after.grade, after.controlled, after.cause) == ("C", False, "removal")


def test_removal_refused_when_a_record_occurred_in_the_six_months(world):
    case, application = _apply(world)
    fixture_record(world.cast.enterprise, world.items["ordinary"], dt.date(2026, 7, 1), user=world.cast.branch_a_user)
    world.on(dt.date(2026, 11, 1))
    with pytest.raises(DomainError) as dirty:
        removal_decide(application=application, actor=Actor.of(world.cast.bureau_a_user))
    assert dirty.value.code == "not_clean" and len(dirty.value.details["records"]) == 1
    assert grade_on(world.cast.enterprise, dt.date(2026, 11, 1)).grade == "D"
    removal_refuse(application=application, reason="观察期内再次违法", actor=Actor.of(world.cast.bureau_a_user))
    application.refresh_from_db()
    assert application.status == RemovalStatus.REFUSED


def test_only_a_listed_enterprise_may_apply(world):
    case = listed_case(world)
    world.on(dt.date(2026, 4, 9))
    removal_apply(
        case=case, rectification="整改", accepted_on=dt.date(2026, 4, 9), actor=Actor.of(world.cast.bureau_a_user)
    )
    with pytest.raises(DomainError) as twice:
        removal_apply(
            case=case, rectification="整改", accepted_on=dt.date(2026, 4, 9), actor=Actor.of(world.cast.bureau_a_user)
        )
    assert twice.value.code == "removal_pending"
