"""§三(四) one act, one item: the decision as a plain function (the database behaviour is in test_one_act.py)."""

import pytest

from ciqcredit.collection.rules import BECOMES_EFFECTIVE, REPLACES_CURRENT, SUPERSEDED_AT_ONCE, one_act_outcome


@pytest.mark.parametrize(
    ("new", "current", "expected"),
    [
        (3, None, BECOMES_EFFECTIVE),
        (6, 3, REPLACES_CURRENT),
        (3, 3, SUPERSEDED_AT_ONCE),
        (1, 3, SUPERSEDED_AT_ONCE),
    ],
)
def test_highest_points_wins_and_ties_keep_the_first(new, current, expected):
    assert one_act_outcome(new, current) == expected
