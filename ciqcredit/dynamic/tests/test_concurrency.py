"""Concurrent rechecks on PostgreSQL: gap-free notice numbers, and one case per enterprise and condition.

SQLite serializes every writer (IMMEDIATE transactions), so these only need proving on PostgreSQL.
"""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from ciqcredit.dynamic.models import DynamicCase
from ciqcredit.dynamic.services import dynamic_recheck
from ciqcredit.dynamic.tests.fixtures import SETUP, fixture_grade, fixture_record
from ciqcredit.testing import make_enterprise

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _require_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL row locks; SQLite serializes every writer")


def _together(jobs):
    barrier, errors = threading.Barrier(len(jobs)), []
    results = [None] * len(jobs)

    def worker(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except BaseException as exc:  # re-raised below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return results


def test_concurrent_cases_get_consecutive_notice_numbers(world):
    _require_postgres()
    enterprises = [make_enterprise(100 + i, world.cast.branch_a) for i in range(12)]
    for ent in enterprises:
        fixture_grade(ent, "A")
        for day in (dt.date(2025, 12, 1), dt.date(2026, 1, 1)):
            fixture_record(ent, world.items["ordinary"], day, user=world.cast.branch_a_user)
    jobs = [lambda ent=ent: dynamic_recheck(enterprise=ent, trigger_record=None, actor=SETUP) for ent in enterprises]
    opened = [case for cases in _together(jobs) for case in cases]
    numbers = sorted(case.notice.number for case in opened)
    assert numbers == [f"475200-XG-2026-{n:04d}" for n in range(1, 13)]


def test_concurrent_rechecks_of_one_enterprise_open_one_case(world):
    _require_postgres()
    ent = world.cast.enterprise
    fixture_grade(ent, "A")
    for day in (dt.date(2025, 12, 1), dt.date(2026, 1, 1)):
        fixture_record(ent, world.items["ordinary"], day, user=world.cast.branch_a_user)
    _together([lambda: dynamic_recheck(enterprise=ent, trigger_record=None, actor=SETUP)] * 6)
    assert DynamicCase.objects.filter(enterprise=ent).count() == 1
