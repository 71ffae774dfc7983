"""The set-based pre-filter keeps every enterprise a re-check could act on, and only those."""

import datetime as dt

from ciqcredit.dynamic.candidates import recheck_candidates
from ciqcredit.dynamic.tests.conftest import TODAY
from ciqcredit.dynamic.tests.fixtures import fixture_record
from ciqcredit.testing import make_enterprise

IN_PERIOD = dt.date(2025, 11, 3)
BEFORE_PERIOD = dt.date(2025, 9, 30)


def test_candidates_are_the_enterprises_that_could_reach_a_condition(world):
    user, items = world.cast.branch_a_user, world.items
    ordinary, blacklist = items["ordinary"], items["blacklist"]
    at = {n: make_enterprise(100 + n, world.cast.branch_a) for n in range(5)}
    for _ in range(2):  # 2 × 12 = 24: the immediate-downgrade threshold
        fixture_record(at[0], ordinary, IN_PERIOD, user=user)
    fixture_record(at[1], ordinary, IN_PERIOD, user=user)  # 12: below every threshold
    fixture_record(at[2], blacklist, IN_PERIOD, user=user)  # a blacklist item, whatever its points
    fixture_record(at[3], ordinary, IN_PERIOD, user=user)
    fixture_record(at[3], ordinary, BEFORE_PERIOD, user=user)  # the earlier period does not count
    fixture_record(at[4], ordinary, IN_PERIOD, user=user)
    fixture_record(at[4], ordinary, IN_PERIOD, user=user, status="revoked")  # only effective records count
    assert recheck_candidates([e.pk for e in at.values()], TODAY) == {at[0].pk, at[2].pk}


def test_no_rule_set_means_no_candidates(cast, settings):
    settings.CIQCREDIT_TODAY = TODAY
    assert recheck_candidates([cast.enterprise.pk], TODAY) == set()
