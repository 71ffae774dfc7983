"""Dynamic initial ratings are confirmed like periodic ones (issue 15, item 3; guide §四(一)–(二)): the proposed
grade of a downgrade case waits on the responsible office's worklist with the rule set's 5-day confirmation and
10-day adjustment windows before its notice is drafted; unconfirmed at the end of the window it proceeds as
computed, flagged for supervision."""

import datetime as dt

import pytest
from django.core.management import call_command

from ciqcredit.actors import Actor
from ciqcredit.dynamic.models import CaseStatus, Notice
from ciqcredit.dynamic.services import case_adjust, case_confirm
from ciqcredit.dynamic.tests.fixtures import deliver, reach_downgrade
from ciqcredit.errors import DomainError
from ciqcredit.rating.services.grades import grade_on


def _proposed(world):
    return reach_downgrade(world, world.cast.enterprise, confirm=False)


def test_proposal_waits_on_the_worklist_without_a_notice(world):
    case = _proposed(world)  # opened Monday 2026-03-02
    assert case.status == CaseStatus.AWAITING_CONFIRMATION
    assert (case.from_grade, case.to_grade) == ("A", "B")
    assert (case.confirm_until, case.adjust_until) == (dt.date(2026, 3, 7), dt.date(2026, 3, 12))
    assert case.notice is None and not Notice.objects.exists()
    todo = world.cast.client_for(world.cast.bureau_a_user).get("/records/queue/").content.decode()
    assert "待确认的动态管理初评结果（1）" in todo and world.cast.enterprise.name in todo
    assert (
        "待确认的动态管理初评结果"
        not in world.cast.client_for(world.cast.bureau_b_user).get("/records/queue/").content.decode()
    )


@pytest.mark.parametrize(("today", "allowed"), [(dt.date(2026, 3, 7), True), (dt.date(2026, 3, 8), False)])
def test_confirmation_window(world, today, allowed):
    case = _proposed(world)
    world.on(today)
    officer = world.cast.bureau_a_user
    if not allowed:
        with pytest.raises(DomainError) as err:
            case_confirm(case=case, actor=Actor.of(officer))
        assert err.value.code == "window_closed"
        return
    case = case_confirm(case=case, actor=Actor.of(officer))
    assert case.status == CaseStatus.AWAITING_NOTICE and not case.unconfirmed
    assert "由A级降为B级" in case.notice.content["intended_action"]


def test_outsiders_and_collectors_cannot_confirm(world):
    case = _proposed(world)
    with pytest.raises(DomainError) as err:
        case_confirm(case=case, actor=Actor.of(world.cast.bureau_b_user))
    assert err.value.status == 404
    with pytest.raises(DomainError) as err:
        case_confirm(case=case, actor=Actor.of(world.cast.branch_a_user))
    assert err.value.status == 403


def test_adjustment_follows_the_rules_and_the_notice_states_it(world):
    case = _proposed(world)
    officer = world.cast.bureau_a_user
    world.on(dt.date(2026, 3, 12))
    with pytest.raises(DomainError) as err:
        case_adjust(case=case, grade="D", reason="情节严重", actor=Actor.of(officer))
    assert err.value.code == "d_by_serious_list_only"
    with pytest.raises(DomainError) as err:
        case_adjust(case=case, grade="C", reason=" ", actor=Actor.of(officer))
    assert err.value.code == "missing_reason"
    case = case_adjust(case=case, grade="C", reason="多次同类违法，约谈未整改", actor=Actor.of(officer))
    assert (case.status, case.to_grade) == (CaseStatus.AWAITING_NOTICE, "C")
    assert "由A级降为C级" in case.notice.content["intended_action"]
    deliver(case.notice, officer, dt.date(2026, 3, 12))
    assert grade_on(world.cast.enterprise, dt.date(2026, 3, 12)).grade == "C"
    world.on(dt.date(2026, 3, 13))
    with pytest.raises(DomainError) as err:
        case_adjust(case=_proposed_other(world), grade="C", reason="复核", actor=Actor.of(officer))
    assert err.value.code == "window_closed"


def _proposed_other(world):
    from ciqcredit.testing import make_enterprise

    world.on(dt.date(2026, 3, 2))
    case = reach_downgrade(world, make_enterprise(2, world.cast.branch_a), confirm=False)
    world.on(dt.date(2026, 3, 13))
    return case


def test_unconfirmed_at_the_end_of_the_window_proceeds_as_computed_and_is_flagged(world):
    case = _proposed(world)
    world.on(dt.date(2026, 3, 7))
    call_command("close_proposals")
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_CONFIRMATION  # the window's last day: still open
    world.on(dt.date(2026, 3, 8))
    call_command("close_proposals")
    call_command("close_proposals")  # idempotent
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_NOTICE and case.unconfirmed
    assert Notice.objects.filter(case=case).count() == 1
    assert "由A级降为B级" in case.notice.content["intended_action"]
    page = world.cast.client_for(world.cast.bureau_a_user).get(f"/dynamic/cases/{case.pk}/").content.decode()
    assert "未经确认" in page


def test_api_confirms_and_adjusts(world):
    case = _proposed(world)
    officer = world.cast.client_for(world.cast.bureau_a_user)
    outsider = world.cast.client_for(world.cast.bureau_b_user)
    url = f"/api/v1/dynamic/cases/{case.pk}"
    assert outsider.post(f"{url}/confirm", content_type="application/json").status_code == 404
    bad = officer.post(f"{url}/adjust", {"grade": "D", "reason": "情节严重"}, content_type="application/json")
    assert (bad.status_code, bad.json()["code"]) == (400, "d_by_serious_list_only")
    adjusted = officer.post(f"{url}/adjust", {"grade": "C", "reason": "约谈未整改"}, content_type="application/json")
    assert adjusted.status_code == 200
    body = adjusted.json()
    assert (body["status"], body["to_grade"], body["notice"]["number"]) == ("awaiting_notice", "C", case.notice.number)
