"""Dynamic management: immediate downgrade (with its floor) and the serious list, alone or together."""

import datetime as dt

import pytest

from ciqcredit.rules.grading import ACTION_RULE_LABELS, RecordFact, count_points, dynamic_actions
from ciqcredit.rules.params import ImmediateDowngrade, RuleSetParams, SeriousList

REF = RuleSetParams()
START, END = dt.date(2015, 10, 1), dt.date(2016, 9, 30)


def summary(*records: tuple[int, dict]):
    facts = [
        RecordFact(id=i, item_code=f"I{i}", points=p, occurred_on=START, **kw) for i, (p, kw) in enumerate(records, 1)
    ]
    return count_points(facts, START, END)


def actions(params=REF, *, grade="A", points=(), controlled=False, listed=False, downgraded=False):
    return dynamic_actions(
        params,
        current_grade=grade,
        summary=summary(*points),
        controlled=controlled,
        serious_listed=listed,
        downgraded_this_period=downgraded,
    )


def shape(result):
    return [(a.kind, a.rule, a.from_grade, a.to_grade, a.controlled) for a in result]


SERIOUS = {"serious": True, "penalised": True}


def test_below_the_threshold_nothing_happens():
    assert actions(points=[(23, {})]) == []


@pytest.mark.parametrize(("grade", "to"), [("AA", "A"), ("A", "B"), ("B", "C")])
def test_reaching_24_points_drops_one_grade_with_control(grade, to):
    result = actions(grade=grade, points=[(12, {}), (12, {})])
    assert shape(result) == [("downgrade", "immediate_downgrade", grade, to, True)]
    assert "24分" in result[0].detail and result[0].label == ACTION_RULE_LABELS["immediate_downgrade"]


@pytest.mark.parametrize("grade", ["C", "D"])
def test_at_or_below_the_floor_the_grade_stays_but_control_is_set(grade):
    assert shape(actions(grade=grade, points=[(24, {})])) == [("control", "floor_control", grade, grade, True)]


def test_at_the_floor_and_already_controlled_nothing_new_happens():
    assert actions(grade="C", points=[(24, {})], controlled=True) == []


def test_with_no_grade_yet_only_control_is_set():
    assert shape(actions(grade=None, points=[(24, {})])) == [("control", "floor_control", None, None, True)]


def test_an_already_controlled_enterprise_is_still_downgraded():
    assert shape(actions(grade="A", points=[(24, {})], controlled=True))[0][:4] == (
        "downgrade",
        "immediate_downgrade",
        "A",
        "B",
    )


def test_only_one_immediate_downgrade_per_period():
    assert actions(grade="B", points=[(30, {})], controlled=True, downgraded=True) == []


def test_steps_floor_and_control_come_from_the_params():
    params = RuleSetParams(immediate_downgrade=ImmediateDowngrade(threshold=20, steps=2, floor="D", controlled=False))
    assert shape(actions(params, grade="A", points=[(20, {})])) == [
        ("downgrade", "immediate_downgrade", "A", "C", False)
    ]
    assert shape(actions(params, grade="C", points=[(20, {})])) == [
        ("downgrade", "immediate_downgrade", "C", "D", False)
    ]
    # at the floor without control: nothing to do
    assert actions(params, grade="D", points=[(20, {})]) == []
    assert actions(params, grade="A", points=[(19, {})]) == []


def test_36_serious_penalised_points_list_the_enterprise_and_both_actions_fire():
    result = actions(grade="B", points=[(12, SERIOUS), (24, SERIOUS)])
    assert shape(result) == [
        ("downgrade", "immediate_downgrade", "B", "C", True),
        ("serious_list", "serious_list_points", "B", "D", True),
    ]


def test_35_serious_points_do_not_list():
    assert [a.kind for a in actions(grade="A", points=[(35, SERIOUS)])] == ["downgrade"]


def test_36_points_partly_unpenalised_or_not_serious_do_not_list():
    result = actions(grade="A", points=[(24, SERIOUS), (6, {"serious": True}), (6, {"penalised": True})])
    assert [a.kind for a in result] == ["downgrade"]


def test_when_not_restricted_to_serious_penalised_all_points_count_for_the_list():
    params = RuleSetParams(serious_list=SeriousList(serious_penalised_only=False))
    result = actions(params, grade="A", points=[(36, {})])
    assert [a.kind for a in result] == ["downgrade", "serious_list"]


def test_a_blacklist_item_lists_whatever_the_points():
    result = actions(grade="AA", points=[(0, {"enters_blacklist": True})])
    assert shape(result) == [("serious_list", "serious_list_blacklist", "AA", "D", True)]


def test_an_uncounted_blacklist_item_does_not_list():
    assert actions(points=[(0, {"enters_blacklist": True, "status": "revoked"})]) == []


def test_already_listed_enterprises_get_no_new_action():
    points = [(40, SERIOUS | {"enters_blacklist": True})]
    assert actions(grade="D", points=points, listed=True, controlled=True) == []


def test_a_listed_enterprise_is_not_downgraded_further():
    # A rule set whose list grade is above its downgrade floor: the listing, not the points, holds the grade.
    params = RuleSetParams(
        serious_list=SeriousList(grade="C"), immediate_downgrade=ImmediateDowngrade(floor="D", controlled=False)
    )
    assert actions(params, grade="C", points=[(30, {})], listed=True) == []
    assert [a.kind for a in actions(params, grade="C", points=[(30, {})])] == ["downgrade"]


def test_listing_fires_even_after_this_periods_downgrade():
    result = actions(grade="C", points=[(36, SERIOUS)], controlled=True, downgraded=True)
    assert shape(result) == [("serious_list", "serious_list_points", "C", "D", True)]


def test_serious_list_grade_threshold_and_control_come_from_the_params():
    params = RuleSetParams(serious_list=SeriousList(threshold=12, grade="D", controlled=False))
    result = actions(params, grade="A", points=[(12, SERIOUS)])
    assert shape(result) == [("serious_list", "serious_list_points", "A", "D", False)]


def test_unknown_grade_is_refused():
    with pytest.raises(ValueError):
        actions(grade="E")
