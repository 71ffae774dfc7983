"""Records on the first and last day of the period count; the day before and the day after do not."""

import datetime as dt

import pytest

from ciqcredit.rating.models import EvaluationResult
from ciqcredit.rating.services.evaluation import evaluation_run
from ciqcredit.rating.tests.conftest import PERIOD_END, PERIOD_START, SETUP, activity

DAY = dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("occurred_on", "counted"),
    [(PERIOD_START - DAY, False), (PERIOD_START, True), (PERIOD_END, True), (PERIOD_END + DAY, False)],
)
def test_period_boundaries(world, occurred_on, counted):
    e = world.cast.enterprise
    activity(e, dt.date(2017, 1, 1))
    world.records.add(e, 12, occurred_on)
    run = evaluation_run(period_end=PERIOD_END, actor=SETUP)
    result = EvaluationResult.objects.get(run=run, enterprise=e)
    assert (result.points, result.initial_grade) == ((12, "C") if counted else (0, "A"))


def test_new_and_dormant_enterprises(world):
    from ciqcredit.rating.tests.conftest import give_grade
    from ciqcredit.testing import make_enterprise

    new = make_enterprise(10, world.cast.branch_a, registered_on=PERIOD_START + DAY)
    on_first_day = make_enterprise(11, world.cast.branch_a, registered_on=PERIOD_START)
    too_late = make_enterprise(12, world.cast.branch_a, registered_on=PERIOD_END + DAY)
    dormant = world.cast.enterprise  # no activity at all
    give_grade(dormant, "C", dt.date(2015, 10, 8))
    dormant_no_grade = make_enterprise(13, world.cast.bureau_b)
    dormant_with_points = make_enterprise(14, world.cast.bureau_b)
    world.records.add(dormant_with_points, 1, dt.date(2017, 2, 2))
    run = evaluation_run(period_end=PERIOD_END, actor=SETUP)
    got = {r.enterprise_id: (r.rule, r.initial_grade) for r in EvaluationResult.objects.filter(run=run)}
    assert got[new.pk] == ("new_enterprise", "B")
    assert got[on_first_day.pk] == ("no_business_fallback", "B")  # a full period, but no business
    assert too_late.pk not in got
    assert got[dormant.pk] == ("no_business_keep", "C")
    assert got[dormant_no_grade.pk] == ("no_business_fallback", "B")
    assert got[dormant_with_points.pk] == ("band", "B")
