"""Periodic evaluation: the grade from the points, and the precedence of the special rules."""

import pytest

from ciqcredit.rules.grading import PERIODIC_RULE_LABELS, periodic_grade
from ciqcredit.rules.params import AAEligibility, NewEnterprise, NoBusiness, PointBand, RuleSetParams, SeriousList

REF = RuleSetParams()


def grade(params=REF, *, points=0, previous_grade="A", is_new=False, had_business=True, serious_listed=False):
    return periodic_grade(
        params,
        points=points,
        previous_grade=previous_grade,
        is_new=is_new,
        had_business=had_business,
        serious_listed=serious_listed,
    )


@pytest.mark.parametrize(
    ("points", "expected"),
    [(0, "A"), (1, "B"), (11, "B"), (12, "C"), (23, "C"), (24, "C"), (36, "C"), (500, "C")],
)
@pytest.mark.parametrize("previous", [None, "A", "B", "C", "D"])
def test_reference_bands(points, expected, previous):
    decision = grade(points=points, previous_grade=previous)
    assert (decision.grade, decision.rule) == (expected, "band")
    assert f"{points}分" in decision.detail and f"{expected}级" in decision.detail
    assert decision.label == PERIODIC_RULE_LABELS["band"]


def test_bands_come_from_the_params():
    params = RuleSetParams(
        bands=(
            PointBand(min_points=0, max_points=2, grade="A"),
            PointBand(min_points=3, max_points=15, grade="B"),
            PointBand(min_points=16, max_points=40, grade="C"),
            PointBand(min_points=41, grade="D"),
        )
    )
    assert [grade(params, points=p).grade for p in (0, 2, 3, 12, 15, 16, 40, 41)] == list("AABBBCCD")


@pytest.mark.parametrize(
    ("points", "expected"), [(0, ("AA", "aa_kept")), (1, ("B", "aa_lost")), (12, ("C", "aa_lost"))]
)
def test_aa_is_kept_only_while_clean(points, expected):
    decision = grade(points=points, previous_grade="AA")
    assert (decision.grade, decision.rule) == expected


def test_aa_keep_limit_comes_from_the_params():
    params = RuleSetParams(aa=AAEligibility(keep_max_points=3))
    assert grade(params, points=3, previous_grade="AA").grade == "AA"
    assert grade(params, points=4, previous_grade="AA").rule == "aa_lost"


def test_an_a_grade_is_never_promoted_to_aa_by_points():
    assert grade(points=0, previous_grade="A").grade == "A"


def test_new_enterprise_gets_the_new_enterprise_grade_whatever_the_points():
    assert (grade(points=30, previous_grade=None, is_new=True).grade, grade(is_new=True).rule) == (
        "B",
        "new_enterprise",
    )
    params = RuleSetParams(new_enterprise=NewEnterprise(grade="C"))
    assert grade(params, is_new=True).grade == "C"


@pytest.mark.parametrize("previous", ["AA", "A", "B", "C", "D"])
def test_no_business_and_no_points_keeps_the_previous_grade(previous):
    decision = grade(points=0, previous_grade=previous, had_business=False)
    assert (decision.grade, decision.rule) == (previous, "no_business_keep")


@pytest.mark.parametrize(("points", "expected"), [(1, "B"), (20, "C")])
def test_no_business_with_points_is_graded_by_its_points(points, expected):
    decision = grade(points=points, previous_grade="A", had_business=False)
    assert (decision.grade, decision.rule) == (expected, "band")


def test_no_business_without_previous_grade_takes_the_fallback():
    assert (lambda d: (d.grade, d.rule))(grade(previous_grade=None, had_business=False)) == (
        "B",
        "no_business_fallback",
    )
    params = RuleSetParams(no_business=NoBusiness(fallback_grade="C"))
    assert grade(params, previous_grade=None, had_business=False).grade == "C"


def test_no_business_with_a_fixed_grade():
    params = RuleSetParams(no_business=NoBusiness(action="fixed_grade", fallback_grade="C"))
    decision = grade(params, previous_grade="A", had_business=False)
    assert (decision.grade, decision.rule) == ("C", "no_business_fixed")


@pytest.mark.parametrize(
    ("kw", "rule"),
    [
        ({"serious_listed": True, "is_new": True, "had_business": False, "previous_grade": "AA"}, "serious_list"),
        ({"is_new": True, "had_business": False, "previous_grade": "AA"}, "new_enterprise"),
        ({"had_business": False, "previous_grade": "AA", "points": 0}, "no_business_keep"),
        ({"had_business": False, "previous_grade": "AA", "points": 12}, "aa_lost"),
        ({"previous_grade": "AA", "points": 0}, "aa_kept"),
        ({"previous_grade": "AA", "points": 1}, "aa_lost"),
        ({"previous_grade": "B", "points": 1}, "band"),
    ],
)
def test_precedence(kw, rule):
    assert grade(**kw).rule == rule


def test_serious_list_grade_comes_from_the_params():
    assert grade(serious_listed=True).grade == "D"
    assert grade(RuleSetParams(serious_list=SeriousList(grade="C")), serious_listed=True).grade == "C"


@pytest.mark.parametrize(("kw", "error"), [({"points": -1}, ValueError), ({"previous_grade": "E"}, ValueError)])
def test_bad_inputs_are_refused(kw, error):
    with pytest.raises(error):
        grade(**kw)


def test_every_rule_has_a_chinese_label():
    assert set(PERIODIC_RULE_LABELS) == {
        "serious_list",
        "new_enterprise",
        "no_business_keep",
        "no_business_fallback",
        "no_business_fixed",
        "aa_kept",
        "aa_lost",
        "band",
    }
