"""Counting points: which records count in a period, why the others do not, and the one-act rule."""

import datetime as dt

import pytest

from ciqcredit.rules.grading import REASON_LABELS, REASON_PRECEDENCE, RecordFact, count_points

START, END = dt.date(2015, 10, 1), dt.date(2016, 9, 30)
INSIDE = dt.date(2016, 3, 1)


def fact(id: int, points: int, **kw) -> RecordFact:
    kw.setdefault("occurred_on", INSIDE)
    return RecordFact(id=id, item_code=f"I{id}", points=points, **kw)


def test_effective_responsible_records_in_the_period_are_summed():
    summary = count_points([fact(1, 3), fact(2, 12), fact(3, 0)], START, END)
    assert summary.total == 15
    assert [o.counted for o in summary.outcomes] == [True, True, True]
    assert {o.reason for o in summary.outcomes} == {"counted"}
    assert summary.counted == tuple(o.record for o in summary.outcomes)


def test_no_records_no_points():
    summary = count_points([], START, END)
    assert (summary.total, summary.serious_penalised_points, summary.blacklist_hit, summary.outcomes) == (
        0,
        0,
        False,
        (),
    )


@pytest.mark.parametrize(
    ("kw", "reason"),
    [
        ({"status": "superseded"}, "superseded"),
        ({"status": "revoked"}, "revoked"),
        ({"status": "corrected"}, "corrected"),
        ({"status": "draft"}, "not_effective"),
        ({"status": "awaiting_confirmation"}, "not_effective"),
        ({"responsible": False}, "not_responsible"),
        ({"occurred_on": START - dt.timedelta(days=1)}, "outside_period"),
        ({"occurred_on": END + dt.timedelta(days=1)}, "outside_period"),
    ],
)
def test_each_reason_a_record_does_not_count(kw, reason):
    summary = count_points([fact(1, 12, **kw), fact(2, 1)], START, END)
    assert summary.total == 1
    outcome = summary.outcome_for(1)
    assert (outcome.counted, outcome.reason) == (False, reason)
    assert outcome.label == REASON_LABELS[reason]


@pytest.mark.parametrize("day", [START, END])
def test_first_and_last_day_of_the_period_count(day):
    assert count_points([fact(1, 5, occurred_on=day)], START, END).total == 5


def test_the_first_applicable_reason_is_reported():
    # Revoked, outside the period and not responsible: the status comes first.
    outside = START - dt.timedelta(days=1)
    summary = count_points(
        [
            fact(1, 5, status="revoked", occurred_on=outside, responsible=False),
            fact(2, 5, occurred_on=outside, responsible=False),
            fact(3, 5, status="draft", responsible=False),
        ],
        START,
        END,
    )
    assert [o.reason for o in summary.outcomes] == ["revoked", "outside_period", "not_effective"]
    assert list(REASON_PRECEDENCE) == [
        "superseded",
        "revoked",
        "corrected",
        "not_effective",
        "outside_period",
        "not_responsible",
        "same_act_lower",
    ]
    assert set(REASON_PRECEDENCE) | {"counted"} == set(REASON_LABELS)


def test_one_act_counts_only_its_highest_record():
    summary = count_points(
        [fact(1, 3, act_ref="a"), fact(2, 12, act_ref="a"), fact(3, 6, act_ref="a"), fact(4, 5, act_ref="b")],
        START,
        END,
    )
    assert summary.total == 17
    assert [o.reason for o in summary.outcomes] == ["same_act_lower", "counted", "same_act_lower", "counted"]


def test_one_act_tie_keeps_the_lowest_id_whatever_the_order():
    summary = count_points([fact(9, 5, act_ref="a"), fact(4, 5, act_ref="a"), fact(7, 5, act_ref="a")], START, END)
    assert summary.total == 5
    assert summary.outcome_for(4).counted
    assert summary.outcome_for(9).reason == summary.outcome_for(7).reason == "same_act_lower"


def test_records_without_an_act_are_each_their_own_act():
    summary = count_points([fact(1, 5, act_ref=None), fact(2, 5, act_ref=""), fact(3, 5)], START, END)
    assert summary.total == 15


def test_one_act_only_weighs_records_that_otherwise_count():
    # The higher record of the act is revoked or outside: the lower one counts, with its own reason kept.
    summary = count_points(
        [
            fact(1, 12, act_ref="a", status="revoked"),
            fact(2, 10, act_ref="a", occurred_on=END + dt.timedelta(days=1)),
            fact(3, 3, act_ref="a"),
        ],
        START,
        END,
    )
    assert summary.total == 3
    assert [o.reason for o in summary.outcomes] == ["revoked", "outside_period", "counted"]


def test_serious_points_need_both_serious_and_penalised():
    summary = count_points(
        [
            fact(1, 12, serious=True, penalised=True),
            fact(2, 12, serious=True, penalised=False),
            fact(3, 12, serious=False, penalised=True),
            fact(4, 12, serious=True, penalised=True, status="revoked"),
        ],
        START,
        END,
    )
    assert (summary.total, summary.serious_penalised_points) == (36, 12)


def test_serious_points_follow_the_one_act_winner():
    summary = count_points(
        [fact(1, 12, act_ref="a"), fact(2, 10, act_ref="a", serious=True, penalised=True)], START, END
    )
    assert (summary.total, summary.serious_penalised_points) == (12, 0)


@pytest.mark.parametrize(("kw", "hit"), [({}, True), ({"status": "revoked"}, False), ({"responsible": False}, False)])
def test_blacklist_hit_only_from_a_counted_record(kw, hit):
    summary = count_points([fact(1, 0, enters_blacklist=True, **kw)], START, END)
    assert summary.blacklist_hit is hit


@pytest.mark.parametrize(
    ("kw", "match"),
    [({"points": -1}, "非负整数"), ({"points": True}, "非负整数"), ({"status": "deleted"}, "状态")],
)
def test_a_malformed_record_is_refused(kw, match):
    base = {"id": 1, "item_code": "I", "points": 1, "occurred_on": INSIDE} | kw
    with pytest.raises(ValueError, match=match):
        RecordFact(**base)


def test_duplicate_ids_and_reversed_periods_are_refused():
    with pytest.raises(ValueError, match="重复"):
        count_points([fact(1, 1), fact(1, 2)], START, END)
    with pytest.raises(ValueError, match="早于"):
        count_points([], END, START)
