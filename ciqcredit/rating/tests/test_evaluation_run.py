"""The periodic evaluation: one result per active enterprise, stored with its inputs; refused twice; atomic."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.errors import DomainError
from ciqcredit.rating.models import EvaluationResult, EvaluationRun, GradeChange
from ciqcredit.rating.services.evaluation import evaluation_run
from ciqcredit.rating.tests.conftest import PERIOD_END, PERIOD_START, SETUP, activity, give_grade
from ciqcredit.testing import make_enterprise


def test_run_stores_one_result_per_active_enterprise(world):
    e = world.cast.enterprise
    activity(e, dt.date(2017, 5, 1))
    world.records.add(e, 3, PERIOD_START)
    world.records.add(e, 2, PERIOD_END)
    world.records.add(e, 6, PERIOD_END + dt.timedelta(days=1))  # next period
    make_enterprise(50, world.cast.bureau_b, status="cancelled")
    phases = []
    run = evaluation_run(
        period_end=PERIOD_END, actor=Actor.of(world.cast.hq_admin), progress=lambda p, e: phases.append(p)
    )
    assert (run.period_start, run.period_end, run.ruleset_version) == (PERIOD_START, PERIOD_END, 1)
    assert phases == ["prepare", "results", "indexes", "summary", "audit"]
    assert run.enterprises == 1 and run.by_grade == {"AA": 0, "A": 0, "B": 1, "C": 0, "D": 0}
    result = EvaluationResult.objects.get(run=run)
    assert (result.points, result.records_counted, result.rule, result.initial_grade, result.status) == (
        5,
        2,
        "band",
        "B",
        "pending",
    )
    assert result.organization == world.cast.branch_a
    # Windows from the rule set: 5 and 10 calendar days from the initial rating.
    assert (run.rated_on, run.confirm_until, run.adjust_until) == (
        dt.date(2017, 10, 9),
        dt.date(2017, 10, 14),
        dt.date(2017, 10, 19),
    )
    # An initial result changes no grade.
    assert not GradeChange.objects.exists()
    assert AuditEntry.objects.filter(action="rating.evaluation.completed", target_id=str(run.pk)).count() == 1


def test_second_run_for_the_same_period_is_refused(world):
    evaluation_run(period_end=PERIOD_END, actor=SETUP)
    with pytest.raises(DomainError) as exc:
        evaluation_run(period_end=PERIOD_END, actor=SETUP)
    assert exc.value.code == "evaluation_exists"
    assert EvaluationRun.objects.count() == 1


def test_failed_run_leaves_nothing_and_may_be_repeated(world, monkeypatch):
    from ciqcredit.rating.services import evaluation

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(evaluation, "audit_log", broken)
    with pytest.raises(RuntimeError):
        evaluation_run(period_end=PERIOD_END, actor=SETUP)
    assert not EvaluationRun.objects.exists() and not EvaluationResult.objects.exists()
    monkeypatch.undo()
    assert evaluation_run(period_end=PERIOD_END, actor=SETUP).enterprises == 1


@pytest.mark.parametrize(
    ("period_end", "code"),
    [(dt.date(2017, 9, 29), "invalid_period_end"), (dt.date(2018, 9, 30), "period_not_ended")],
)
def test_bad_period_end_is_refused(world, period_end, code):
    with pytest.raises(DomainError) as exc:
        evaluation_run(period_end=period_end, actor=SETUP)
    assert exc.value.code == code


def test_only_hq_admins_start_a_run(world):
    with pytest.raises(DomainError) as exc:
        evaluation_run(period_end=PERIOD_END, actor=Actor.of(world.cast.bureau_a_user))
    assert exc.value.status == 403


def test_no_ruleset_in_force(world):
    with pytest.raises(DomainError) as exc:
        evaluation_run(period_end=dt.date(2013, 9, 30), actor=SETUP)
    assert exc.value.code == "no_ruleset"


def test_command_prints_the_contract_json(world):
    give_grade(world.cast.enterprise, "A", dt.date(2016, 10, 8))
    out = io.StringIO()
    call_command("evaluate", "--period-end", "2017-09-30", "--json", stdout=out, stderr=io.StringIO())
    data = json.loads(out.getvalue())
    assert set(data) >= {"run_id", "period_start", "period_end", "enterprises", "by_grade", "seconds"}
    assert data["period_start"] == "2016-10-01" and data["period_end"] == "2017-09-30"
    assert data["enterprises"] == 1 and data["by_grade"] == {"AA": 0, "A": 0, "B": 0, "C": 0, "D": 0} | {"A": 1}


def test_an_enterprise_listed_since_the_period_ended_is_rated_d_and_stays_listed(world):
    """A listing approved between the period's end and the run: the result is D (on the list), so deciding the
    result never lifts the listing; an enterprise listed after the run is not affected by it."""
    from ciqcredit.rating.services.confirmation import results_confirm
    from ciqcredit.rating.services.grades import grade_on

    listed = world.cast.enterprise
    activity(listed, dt.date(2017, 6, 1))
    give_grade(listed, "B", PERIOD_START)
    give_grade(listed, "D", PERIOD_END + dt.timedelta(days=5), cause="listing", controlled=True)
    run = evaluation_run(period_end=PERIOD_END, actor=SETUP)
    result = EvaluationResult.objects.get(run=run, enterprise=listed)
    assert (result.serious_listed, result.rule, result.initial_grade) == (True, "serious_list", "D")
    results_confirm(run=run, actor=Actor.of(world.cast.bureau_a_user), organization=world.cast.bureau_a)
    now = grade_on(listed, PERIOD_END + dt.timedelta(days=9))
    assert (now.grade, now.controlled) == ("D", True)
