"""Bulk confirmation of a filter, and the close job: leftovers take effect as computed, flagged, once."""

import datetime as dt
import io

from django.core.management import call_command

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.rating.models import CurrentGrade, EvaluationResult, GradeChange
from ciqcredit.rating.services.confirmation import evaluations_close, results_confirm
from ciqcredit.rating.services.evaluation import evaluation_run
from ciqcredit.rating.tests.conftest import PERIOD_END, SETUP, activity
from ciqcredit.testing import make_enterprise


def _population(world):
    branch = [world.cast.enterprise] + [make_enterprise(n, world.cast.branch_a) for n in range(20, 25)]
    bureau = [make_enterprise(n, world.cast.bureau_a) for n in range(30, 33)]
    other = [make_enterprise(n, world.cast.bureau_b) for n in range(40, 44)]
    for e in branch + bureau + other:
        activity(e, dt.date(2017, 6, 1))
    for e in branch[:2]:
        world.records.add(e, 3, dt.date(2017, 6, 2))
    return branch, bureau, other


def test_bulk_confirm_of_an_organization_then_close(world, settings):
    branch, bureau, other = _population(world)
    run = evaluation_run(period_end=PERIOD_END, actor=SETUP)
    # The bureau's officer confirms all B results of the branch only.
    n = results_confirm(
        run=run, actor=Actor.of(world.cast.bureau_a_user), organization=world.cast.branch_a, initial_grade="B"
    )
    assert n == 2
    # Then everything pending in the bureau's subtree.
    assert results_confirm(run=run, actor=Actor.of(world.cast.bureau_a_user), organization=world.cast.bureau_a) == 7
    assert EvaluationResult.objects.filter(run=run, status="confirmed").count() == 9
    assert GradeChange.objects.filter(cause="periodic").count() == 9
    assert AuditEntry.objects.filter(action="rating.grade.changed").count() == 9
    # Bureau B did nothing: after the window its results close as computed, from the day after the window.
    settings.CIQCREDIT_TODAY = run.confirm_until
    assert evaluations_close(actor=SETUP) == {}
    settings.CIQCREDIT_TODAY = run.confirm_until + dt.timedelta(days=1)
    out = io.StringIO()
    call_command("close_evaluations", stdout=out)
    assert "4" in out.getvalue()
    closed = EvaluationResult.objects.filter(run=run, status="closed")
    assert closed.count() == 4 and all(r.unconfirmed for r in closed)
    assert {r.enterprise_id for r in closed} == {e.pk for e in other}
    for e in other:
        current = CurrentGrade.objects.get(enterprise=e)
        assert (current.grade, current.effective_from, current.cause) == (
            "A",
            run.confirm_until + dt.timedelta(days=1),
            "periodic",
        )
    # Idempotent.
    assert evaluations_close(actor=SETUP) == {}
    assert GradeChange.objects.count() == 13
