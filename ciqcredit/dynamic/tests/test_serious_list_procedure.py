"""The serious-list procedure step by step, with each deadline: defence, answer, 20 days, monthly batch, HQ."""

import datetime as dt

import pytest

from ciqcredit.actors import Actor
from ciqcredit.dynamic.models import CaseKind, CaseStatus
from ciqcredit.dynamic.selectors import case_steps, overdue_steps
from ciqcredit.dynamic.services import (
    case_answer_defence,
    case_record_defence,
    case_record_no_defence,
    case_report_to_bureau,
    dynamic_recheck,
    hq_batch_approve,
    hq_batch_create,
    notice_deliver,
)
from ciqcredit.dynamic.tests.fixtures import SETUP, fixture_grade, fixture_record, proof
from ciqcredit.errors import DomainError
from ciqcredit.rating.services.grades import grade_on


def _listing_case(world):
    ent = world.cast.enterprise
    fixture_grade(ent, "A")
    for day in (dt.date(2025, 12, 1), dt.date(2026, 2, 20)):
        fixture_record(ent, world.items["serious"], day, user=world.cast.branch_a_user, penalised=True)
    cases = dynamic_recheck(enterprise=ent, trigger_record=None, actor=SETUP)
    [case] = [c for c in cases if c.kind == CaseKind.SERIOUS_LIST]
    assert (case.serious_points, case.rule, case.to_grade) == (36, "serious_list_points", "D")
    notice_deliver(
        notice=case.notice,
        method="post",
        delivered_on=dt.date(2026, 3, 2),
        recipient="王经理",
        proof_file=proof(),
        actor=Actor.of(world.cast.bureau_a_user),
    )
    case.refresh_from_db()
    return case


def _due(case, step):
    return {s.step: s for s in case_steps(case)}[step]


def test_procedure_with_every_deadline(world):
    officer = world.cast.bureau_a_user
    case = _listing_case(world)
    assert case.status == CaseStatus.DEFENCE_PERIOD
    assert _due(case, "dynamic.defence").due_on == dt.date(2026, 3, 12)  # 10 days from receipt
    assert _due(case, "dynamic.report_earliest").due_on == dt.date(2026, 3, 22)  # 20 days after the notice

    world.on(dt.date(2026, 3, 13))
    with pytest.raises(DomainError) as late:
        case_record_defence(case=case, received_on=dt.date(2026, 3, 13), text="迟到的申辩", actor=Actor.of(officer))
    assert late.value.code == "defence_period_over"
    case = case_record_defence(case=case, received_on=dt.date(2026, 3, 12), text="货物已整改", actor=Actor.of(officer))
    assert case.status == CaseStatus.DEFENCE_RECEIVED
    assert _due(case, "dynamic.defence").closed_on == dt.date(2026, 3, 12)
    assert _due(case, "dynamic.answer").due_on == dt.date(2026, 3, 22)  # 10 days from accepting it

    world.on(dt.date(2026, 3, 23))
    assert [row.step for row in overdue_steps(officer) if row.case_id == case.pk] == ["dynamic.answer"]
    assert list(overdue_steps(world.cast.bureau_b_user)) == []
    case = case_answer_defence(
        case=case, answered_on=dt.date(2026, 3, 23), answer="申辩理由不成立", upheld=False, actor=Actor.of(officer)
    )
    assert case.status == CaseStatus.ANSWERED and _due(case, "dynamic.answer").late

    world.on(dt.date(2026, 3, 21))  # pretend the branch tries to report early
    with pytest.raises(DomainError) as early:
        case_report_to_bureau(case=case, actor=Actor.of(officer))
    assert early.value.code == "too_early" and early.value.details["earliest"] == "2026-03-22"
    world.on(dt.date(2026, 3, 24))
    case = case_report_to_bureau(case=case, actor=Actor.of(officer))
    assert case.status == CaseStatus.REPORTED_TO_BUREAU
    assert _due(case, "dynamic.hq_report").due_on == dt.date(2026, 4, 9)  # before the 10th of the next month

    with pytest.raises(DomainError) as month_open:
        hq_batch_create(bureau=world.cast.bureau_a, month=dt.date(2026, 3, 1), actor=Actor.of(officer))
    assert month_open.value.code == "too_early"
    world.on(dt.date(2026, 4, 3))
    batch = hq_batch_create(bureau=world.cast.bureau_a, month=dt.date(2026, 3, 1), actor=Actor.of(officer))
    assert batch.number == "470000-YB-202603"
    case.refresh_from_db()
    assert case.status == CaseStatus.REPORTED_TO_HQ and case.batch == batch
    assert _due(case, "dynamic.hq_report").closed_on == dt.date(2026, 4, 3)
    assert grade_on(world.cast.enterprise, dt.date(2026, 4, 3)).grade != "D"

    world.on(dt.date(2026, 4, 8))
    hq_batch_approve(batch=batch, actor=Actor.of(world.cast.hq_admin))
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED and case.published_at is not None
    listed = grade_on(world.cast.enterprise, dt.date(2026, 4, 8))
    assert (listed.grade, listed.controlled, listed.cause) == ("D", True, "listing")
    assert grade_on(world.cast.enterprise, dt.date(2026, 4, 7)).grade != "D"
    assert [t.to_status for t in case.transitions.all()] == [
        "awaiting_notice",
        "notice_delivered",
        "defence_period",
        "defence_received",
        "answered",
        "reported_to_bureau",
        "reported_to_hq",
        "approved",
    ]


def test_no_defence_only_after_the_window(world):
    case = _listing_case(world)
    world.on(dt.date(2026, 3, 12))
    with pytest.raises(DomainError) as err:
        case_record_no_defence(case=case, actor=Actor.of(world.cast.bureau_a_user))
    assert err.value.code == "defence_window_open"
    world.on(dt.date(2026, 3, 13))
    assert case_record_no_defence(case=case, actor=Actor.of(world.cast.bureau_a_user)).status == CaseStatus.NO_DEFENCE


def test_a_defence_period_that_passes_is_nobodys_delay(world):
    """The defence period is the enterprise's: when it lets it pass, the office is not overdue on it."""
    from ciqcredit.oversight.figures import figures_for

    officer = world.cast.bureau_a_user
    case = _listing_case(world)
    world.on(dt.date(2026, 3, 20))  # past the defence period (03-12), before the earliest report date (03-22)
    step = _due(case, "dynamic.defence")
    assert (step.overdue, step.lapsed) == (False, True)
    assert [row.step for row in overdue_steps(officer) if row.case_id == case.pk] == []
    assert figures_for(world.cast.bureau_a, dt.date(2026, 1, 1), dt.date(2026, 3, 20))["dynamic"]["steps_overdue"] == 0
    world.on(dt.date(2026, 3, 23))
    case = case_report_to_bureau(case=case, actor=Actor.of(officer))
    page = world.cast.client_for(officer).get(f"/dynamic/cases/{case.pk}/").content.decode()
    assert "期限届满，企业未提出申辩" in page and "已逾期" not in page


def test_upheld_defence_cancels_the_case(world):
    case = _listing_case(world)
    world.on(dt.date(2026, 3, 5))
    case = case_record_defence(
        case=case, received_on=dt.date(2026, 3, 4), text="处罚已被复议撤销", actor=Actor.of(world.cast.bureau_a_user)
    )
    case = case_answer_defence(
        case=case,
        answered_on=dt.date(2026, 3, 5),
        answer="复议决定属实",
        upheld=True,
        actor=Actor.of(world.cast.bureau_a_user),
    )
    assert case.status == CaseStatus.CANCELLED
    assert all(not s.is_open for s in case_steps(case))


def test_batch_only_by_the_bureau_and_approval_only_by_hq(world):
    case = _listing_case(world)
    world.on(dt.date(2026, 3, 22))
    case_report_to_bureau(
        case=case, actor=Actor.of(world.cast.bureau_a_user)
    )  # reporting from the defence period lapses it
    world.on(dt.date(2026, 4, 1))
    with pytest.raises(DomainError) as branch:
        hq_batch_create(bureau=world.cast.branch_a, month=dt.date(2026, 3, 1), actor=Actor.of(world.cast.hq_admin))
    assert branch.value.code in {"forbidden", "not_a_bureau"}
    with pytest.raises(DomainError) as outsider:
        hq_batch_create(bureau=world.cast.bureau_a, month=dt.date(2026, 3, 1), actor=Actor.of(world.cast.bureau_b_user))
    assert outsider.value.code == "not_found"
    batch = hq_batch_create(
        bureau=world.cast.bureau_a, month=dt.date(2026, 3, 1), actor=Actor.of(world.cast.bureau_a_user)
    )
    with pytest.raises(DomainError) as not_hq:
        hq_batch_approve(batch=batch, actor=Actor.of(world.cast.bureau_a_user))
    assert not_hq.value.code == "forbidden"
