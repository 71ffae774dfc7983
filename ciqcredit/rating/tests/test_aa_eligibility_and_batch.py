"""AA: the eligibility check shows which conditions hold; HQ's numbered batch grants AA through the history."""

import datetime as dt

import pytest

from ciqcredit.actors import Actor
from ciqcredit.errors import DomainError
from ciqcredit.rating.models import GradeChange
from ciqcredit.rating.services.aa import aa_apply, aa_batch_approve, aa_batch_create, months_at_a, months_between
from ciqcredit.rating.services.grades import grade_on
from ciqcredit.rating.tests.conftest import activity, give_grade


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (dt.date(2016, 10, 8), dt.date(2017, 10, 7), 11),
        (dt.date(2016, 10, 8), dt.date(2017, 10, 8), 12),
        (dt.date(2017, 1, 31), dt.date(2017, 2, 28), 0),
    ],
)
def test_months_between(start, end, months):
    assert months_between(start, end) == months


def _good_history(e):
    give_grade(e, "B", dt.date(2014, 10, 8))
    give_grade(e, "A", dt.date(2015, 10, 8))
    give_grade(e, "A", dt.date(2016, 10, 10))
    for month in range(1, 13):
        activity(e, dt.date(2016, month, 1), declarations=100, errors=0)


def test_eligible_application_becomes_aa_in_a_numbered_batch(world):
    e = world.cast.enterprise
    _good_history(e)
    assert months_at_a(e, dt.date(2017, 10, 9)) == 24
    application = aa_apply(
        enterprise=e, clean_years_ok=True, other_regulators_clean_months=24, actor=Actor.of(world.cast.bureau_a_user)
    )
    assert application.eligible and all(c["holds"] for c in application.conditions)
    batch = aa_batch_create(applications=[application], actor=Actor.of(world.cast.hq_admin))
    assert batch.number == "2017年第1批"
    aa_batch_approve(batch=batch, actor=Actor.of(world.cast.hq_admin))
    change = GradeChange.objects.get(cause="aa_batch")
    assert (change.grade, change.source_type, change.source_id) == ("AA", "rating.aabatch", str(batch.pk))
    assert grade_on(e, dt.date(2017, 10, 9)).grade == "AA"


def test_ineligible_application_shows_failing_conditions(world):
    e = world.cast.enterprise
    give_grade(e, "B", dt.date(2015, 10, 8))
    give_grade(e, "A", dt.date(2017, 2, 1))  # only 8 months at A
    activity(e, dt.date(2016, 5, 1), declarations=100, errors=2)  # 2 % errors
    application = aa_apply(
        enterprise=e, clean_years_ok=False, other_regulators_clean_months=3, actor=Actor.of(world.cast.bureau_a_user)
    )
    holds = {c["code"]: c["holds"] for c in application.conditions}
    assert holds == {
        "current_grade_a": True,
        "months_at_a": False,
        "clean_years": False,
        "declaration_error_rate": False,
        "other_regulators_clean": False,
        "not_serious_listed": True,
    }
    with pytest.raises(DomainError) as exc:
        aa_batch_create(applications=[application], actor=Actor.of(world.cast.hq_admin))
    assert exc.value.code == "aa_not_batchable"
    with pytest.raises(DomainError) as exc:
        aa_apply(
            enterprise=e,
            clean_years_ok=True,
            other_regulators_clean_months=12,
            actor=Actor.of(world.cast.bureau_a_user),
        )
    assert exc.value.code == "aa_application_open"


def test_only_hq_approves_and_only_officers_apply(world):
    e = world.cast.enterprise
    _good_history(e)
    with pytest.raises(DomainError):
        aa_apply(
            enterprise=e,
            clean_years_ok=True,
            other_regulators_clean_months=24,
            actor=Actor.of(world.cast.branch_a_user),
        )
    application = aa_apply(
        enterprise=e, clean_years_ok=True, other_regulators_clean_months=24, actor=Actor.of(world.cast.bureau_a_user)
    )
    with pytest.raises(DomainError):
        aa_batch_create(applications=[application], actor=Actor.of(world.cast.bureau_a_user))
