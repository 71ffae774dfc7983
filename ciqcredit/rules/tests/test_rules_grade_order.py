"""Grade ordering helpers: downgrade by steps with a floor, and the worse of two grades."""

import pytest

from ciqcredit.rules.grading import downgrade, worse_grade


@pytest.mark.parametrize(
    ("grade", "steps", "floor", "expected"),
    [
        ("AA", 1, "C", "A"),
        ("A", 1, "C", "B"),
        ("B", 1, "C", "C"),
        ("C", 1, "C", "C"),  # at the floor
        ("D", 1, "C", "D"),  # below the floor: never raised
        ("A", 3, "C", "C"),  # stops at the floor
        ("A", 3, "D", "D"),
        ("AA", 2, "D", "B"),
        ("B", 0, "D", "B"),
    ],
)
def test_downgrade(grade, steps, floor, expected):
    assert downgrade(grade, steps, floor) == expected


@pytest.mark.parametrize(
    ("args", "error"), [(("E", 1, "C"), ValueError), (("A", 1, "X"), ValueError), (("A", -1, "C"), ValueError)]
)
def test_bad_downgrade_arguments(args, error):
    with pytest.raises(error):
        downgrade(*args)


@pytest.mark.parametrize(("a", "b", "worse"), [("AA", "A", "A"), ("D", "B", "D"), ("C", "C", "C")])
def test_worse_grade(a, b, worse):
    assert worse_grade(a, b) == worse_grade(b, a) == worse
