"""Concurrent rechecks on PostgreSQL: gap-free notice numbers, and one case per enterprise and condition.

SQLite serializes every writer (IMMEDIATE transactions), so these only need proving on PostgreSQL.
"""

import datetime as dt

import pytest

from ciqcredit.dynamic.models import DynamicCase
from ciqcredit.dynamic.services import case_confirm, dynamic_recheck
from ciqcredit.dynamic.tests.fixtures import SETUP, fixture_grade, fixture_record
from ciqcredit.testing import make_enterprise, require_postgres, run_together

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_concurrent_cases_get_consecutive_notice_numbers(world):
    require_postgres()
    enterprises = [make_enterprise(100 + i, world.cast.branch_a) for i in range(12)]
    for ent in enterprises:
        fixture_grade(ent, "A")
        for day in (dt.date(2025, 12, 1), dt.date(2026, 1, 1)):
            fixture_record(ent, world.items["ordinary"], day, user=world.cast.branch_a_user)
    jobs = [lambda ent=ent: dynamic_recheck(enterprise=ent, trigger_record=None, actor=SETUP) for ent in enterprises]
    opened = [case for cases in run_together(jobs) for case in cases]
    # The notices are drafted when the proposals are confirmed (§四(二)): confirmed at once, numbered gap-free.
    run_together([lambda case=case: case_confirm(case=case, actor=SETUP) for case in opened])
    numbers = sorted(case.notice.number for case in opened)
    assert numbers == [f"475200-XG-2026-{n:04d}" for n in range(1, 13)]


def test_concurrent_rechecks_of_one_enterprise_open_one_case(world):
    require_postgres()
    ent = world.cast.enterprise
    fixture_grade(ent, "A")
    for day in (dt.date(2025, 12, 1), dt.date(2026, 1, 1)):
        fixture_record(ent, world.items["ordinary"], day, user=world.cast.branch_a_user)
    run_together([lambda: dynamic_recheck(enterprise=ent, trigger_record=None, actor=SETUP)] * 6)
    assert DynamicCase.objects.filter(enterprise=ent).count() == 1
