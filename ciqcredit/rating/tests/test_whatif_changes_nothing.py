"""What-if computes the migration matrix for a draft rule set and leaves every table as it was."""

import datetime as dt

import pytest
from django.apps import apps
from django.db import connection

from ciqcredit.errors import DomainError
from ciqcredit.rating.tests.conftest import activity, give_grade, publish_ruleset
from ciqcredit.rating.whatif import whatif_cell, whatif_matrix
from ciqcredit.rules.params import PointBand, RuleSetParams
from ciqcredit.testing import make_enterprise


def _counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def test_whatif_matrix_and_cells_change_nothing(world):
    strict = RuleSetParams(
        bands=(
            PointBand(min_points=0, max_points=0, grade="A"),
            PointBand(min_points=1, max_points=5, grade="B"),
            PointBand(min_points=6, max_points=None, grade="C"),
        )
    )
    draft = publish_ruleset(strict, number=2, status="draft")
    enterprises = [world.cast.enterprise] + [make_enterprise(n, world.cast.branch_a) for n in range(70, 74)]
    for e, points in zip(enterprises, [0, 3, 6, 9, 12], strict=True):
        activity(e, dt.date(2017, 4, 1))
        give_grade(e, "B", dt.date(2016, 10, 9))
        if points:
            world.records.add(e, points, dt.date(2017, 4, 2))
    before = _counts()
    result = whatif_matrix(ruleset=draft, user=world.cast.hq_rules)
    assert (result.period_start, result.period_end) == (dt.date(2016, 10, 1), dt.date(2017, 9, 30))
    # Current B for all; under the draft: 0 → A, 3 → B, 6/9/12 → C.
    assert result.matrix == {"B": {"A": 1, "B": 1, "C": 3}}
    assert result.total == 5 and result.moved == 4
    cell = whatif_cell(ruleset=draft, user=world.cast.hq_rules, current="B", new="C")
    assert sorted(r["points"] for r in cell) == [6, 9, 12]
    assert _counts() == before


def test_whatif_is_for_hq_rule_people_only(world):
    draft = publish_ruleset(number=2, status="draft")
    with pytest.raises(DomainError) as exc:
        whatif_matrix(ruleset=draft, user=world.cast.bureau_a_user)
    assert exc.value.status == 403
