"""Confirmation within 5 days and adjustment within 10 days of the initial rating: inside, at the edge, after."""

import datetime as dt

import pytest

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.errors import DomainError
from ciqcredit.rating.models import CurrentGrade, EvaluationResult, GradeChange
from ciqcredit.rating.services.confirmation import result_adjust, results_confirm
from ciqcredit.rating.services.evaluation import evaluation_run
from ciqcredit.rating.services.grades import grade_on
from ciqcredit.rating.tests.conftest import PERIOD_END, SETUP, activity, give_grade, publish_ruleset
from ciqcredit.rules.params import DayPeriod, RuleSetParams

RATED = dt.date(2017, 10, 9)


@pytest.fixture
def run(world):
    activity(world.cast.enterprise, dt.date(2017, 3, 1))
    give_grade(world.cast.enterprise, "C", dt.date(2016, 10, 10))
    return evaluation_run(period_end=PERIOD_END, actor=SETUP)


@pytest.mark.parametrize(
    ("today", "allowed"),
    [(RATED, True), (dt.date(2017, 10, 14), True), (dt.date(2017, 10, 15), False)],
)
def test_confirmation_window(world, run, settings, today, allowed):
    settings.CIQCREDIT_TODAY = today
    code = world.cast.enterprise.credit_code
    if not allowed:
        with pytest.raises(DomainError) as exc:
            results_confirm(run=run, actor=Actor.of(world.cast.bureau_a_user), credit_codes=[code])
        assert exc.value.code == "window_closed"
        assert not GradeChange.objects.filter(source_type="rating.evaluationresult").exists()
        return
    assert results_confirm(run=run, actor=Actor.of(world.cast.bureau_a_user), credit_codes=[code]) == 1
    result = EvaluationResult.objects.get(run=run)
    assert (result.status, result.final_grade, result.effective_from) == ("confirmed", "A", today)
    change = GradeChange.objects.get(source_type="rating.evaluationresult")
    assert (change.grade, change.previous_grade, change.effective_from, change.ruleset_version) == ("A", "C", today, 1)
    assert (change.source_type, change.source_id) == ("rating.evaluationresult", str(result.pk))
    assert CurrentGrade.objects.get(enterprise=world.cast.enterprise).grade == "A"
    # Until the decision date the previous grade applies.
    assert grade_on(world.cast.enterprise, today - dt.timedelta(days=1)).grade == "C"
    audit = AuditEntry.objects.get(action="rating.grade.changed", new__status="confirmed")
    assert audit.old["grade"] == "C" and audit.new["grade"] == "A" and audit.actor == world.cast.bureau_a_user


@pytest.mark.parametrize(
    ("today", "allowed"),
    [(dt.date(2017, 10, 15), True), (dt.date(2017, 10, 19), True), (dt.date(2017, 10, 20), False)],
)
def test_adjustment_window(world, run, settings, today, allowed):
    settings.CIQCREDIT_TODAY = today
    code = world.cast.enterprise.credit_code
    if not allowed:
        with pytest.raises(DomainError) as exc:
            result_adjust(run=run, credit_code=code, grade="B", reason="复核", actor=Actor.of(world.cast.bureau_a_user))
        assert exc.value.code == "window_closed"
        return
    result = result_adjust(
        run=run, credit_code=code, grade="B", reason="现场核查发现管理问题", actor=Actor.of(world.cast.bureau_a_user)
    )
    assert (result.status, result.final_grade, result.reason) == ("adjusted", "B", "现场核查发现管理问题")
    change = GradeChange.objects.get(cause="adjustment")
    assert (change.grade, change.effective_from, change.reason) == ("B", today, "现场核查发现管理问题")


def test_adjustment_needs_a_reason_and_never_gives_aa(world, run):
    code = world.cast.enterprise.credit_code
    for grade, reason, error in (
        ("B", "  ", "missing_reason"),
        ("AA", "理由", "aa_by_batch_only"),
        ("E", "x", "unknown_grade"),
    ):
        with pytest.raises(DomainError) as exc:
            result_adjust(
                run=run, credit_code=code, grade=grade, reason=reason, actor=Actor.of(world.cast.bureau_a_user)
            )
        assert exc.value.code == error
    assert not GradeChange.objects.filter(cause="adjustment").exists()


def test_working_day_windows_from_the_rule_set(world, settings):
    from ciqcredit.workdays.services import calendar_seed

    calendar_seed(actor=SETUP)
    params = RuleSetParams(
        confirmation_window=DayPeriod(days=5, unit="working"), adjustment_window=DayPeriod(days=10, unit="working")
    )
    publish_ruleset(params, number=2, effective_from=dt.date(2017, 1, 1))
    settings.CIQCREDIT_TODAY = dt.date(2017, 9, 29) + dt.timedelta(days=3)  # Monday 2 Oct, inside National Day
    run = evaluation_run(period_end=PERIOD_END, actor=SETUP)
    assert run.ruleset_version == 2
    # 10-02 + 5 working days: holidays to 10-08 (Sunday 10-08 is not a make-up day in 2017? the calendar decides)
    from ciqcredit.workdays.calendar import add_days

    assert run.confirm_until == add_days(dt.date(2017, 10, 2), 5, "working").date
    assert run.confirm_until > dt.date(2017, 10, 7) + dt.timedelta(days=5)


def test_second_confirmation_is_refused_and_outsiders_get_404(world, run):
    code = world.cast.enterprise.credit_code
    results_confirm(run=run, actor=Actor.of(world.cast.bureau_a_user), credit_codes=[code])
    with pytest.raises(DomainError) as exc:
        results_confirm(run=run, actor=Actor.of(world.cast.bureau_a_user), credit_codes=[code])
    assert exc.value.code == "not_pending"
    with pytest.raises(DomainError) as exc:
        results_confirm(run=run, actor=Actor.of(world.cast.bureau_b_user), credit_codes=[code])
    assert exc.value.status == 404
    with pytest.raises(DomainError) as exc:
        results_confirm(run=run, actor=Actor.of(world.cast.branch_a_user), credit_codes=[code])  # a collector
    assert exc.value.status == 403
    assert GradeChange.objects.filter(source_type="rating.evaluationresult").count() == 1
