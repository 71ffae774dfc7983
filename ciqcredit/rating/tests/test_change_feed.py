"""The change feed: every grade change, 布控, serious-list and AA event, from both write paths, in commit order."""

import datetime as dt
import threading
import time

import pytest
from django.db import transaction

from ciqcredit.actors import Actor
from ciqcredit.rating.feed import feed_after
from ciqcredit.rating.models import ChangeFeedEntry
from ciqcredit.rating.services.confirmation import results_confirm
from ciqcredit.rating.services.evaluation import evaluation_run
from ciqcredit.rating.tests.conftest import PERIOD_END, SETUP, activity, give_grade
from ciqcredit.testing import make_enterprise, require_postgres, run_together


def _events(after: int = 0) -> list[tuple[str, str]]:
    return [(row.credit_code, row.kind) for row in feed_after(after=after, limit=1000)]


def test_single_changes_write_their_events(world):
    e = make_enterprise(10, world.cast.branch_a)
    code = e.credit_code
    give_grade(e, "A", dt.date(2017, 1, 1))
    give_grade(e, "AA", dt.date(2017, 2, 1), cause="aa_batch")
    give_grade(e, "C", dt.date(2017, 3, 1), cause="dynamic_downgrade", controlled=True)
    give_grade(e, "D", dt.date(2017, 4, 1), cause="listing", controlled=True)
    give_grade(e, "C", dt.date(2017, 5, 1), cause="removal")
    give_grade(e, "C", dt.date(2017, 6, 1), cause="periodic")  # same grade, no 布控 change: no event
    assert _events() == [
        (code, "grade_changed"),
        (code, "grade_changed"),
        (code, "aa_granted"),
        (code, "grade_changed"),
        (code, "control_set"),
        (code, "aa_lost"),
        (code, "grade_changed"),
        (code, "serious_listed"),
        (code, "grade_changed"),
        (code, "control_cleared"),
        (code, "serious_removed"),
    ]
    listing = ChangeFeedEntry.objects.get(kind="serious_listed")
    assert (listing.grade, listing.previous_grade, listing.controlled, listing.cause) == ("D", "C", True, "listing")
    assert listing.effective_from == dt.date(2017, 4, 1)
    cursor = ChangeFeedEntry.objects.get(kind="aa_granted").pk
    assert _events(cursor)[0] == (code, "grade_changed") and len(_events(cursor)) == 8
    assert feed_after(after=0, limit=2, kinds=["serious_listed", "serious_removed"])[1].kind == "serious_removed"


def test_the_set_based_path_writes_the_same_events(world):
    was_aa = make_enterprise(20, world.cast.branch_a)
    was_controlled = make_enterprise(21, world.cast.branch_a)
    unchanged = make_enterprise(22, world.cast.branch_a)
    give_grade(was_aa, "AA", dt.date(2016, 1, 1), cause="aa_batch")
    give_grade(was_controlled, "A", dt.date(2016, 1, 1), controlled=True)
    give_grade(unchanged, "A", dt.date(2016, 1, 1))
    for e in (was_aa, was_controlled, unchanged):
        activity(e, dt.date(2017, 6, 1))
    world.records.add(was_aa, 3, dt.date(2017, 6, 2))
    before = ChangeFeedEntry.objects.order_by("-id").first().pk
    run = evaluation_run(period_end=PERIOD_END, actor=SETUP)
    assert results_confirm(run=run, actor=Actor.of(world.cast.bureau_a_user), organization=world.cast.branch_a) == 4
    assert sorted(_events(before)) == sorted(
        [
            (world.cast.enterprise.credit_code, "grade_changed"),  # its first grade
            (was_aa.credit_code, "grade_changed"),
            (was_aa.credit_code, "aa_lost"),
            (was_controlled.credit_code, "control_cleared"),
        ]
    )
    rows = feed_after(after=before, limit=10)
    assert [r.pk for r in rows] == sorted(r.pk for r in rows)
    assert {r.cause for r in rows} == {"periodic"}
    assert {(r.credit_code, r.grade, r.previous_grade) for r in rows if r.kind == "aa_lost"} == {
        (was_aa.credit_code, "B", "AA")
    }


@pytest.mark.django_db(transaction=True)
def test_a_reader_following_the_cursor_misses_nothing_under_out_of_order_commits(world):
    """Transaction A writes its feed row first but commits late; B writes and commits meanwhile. A reader that
    polls all along must still see both rows exactly once (with ids in commit order, B waits for A)."""
    require_postgres()
    first, second = make_enterprise(30, world.cast.branch_a), make_enterprise(31, world.cast.branch_a)
    a_written, done = threading.Event(), threading.Event()
    seen: list[int] = []

    def slow_writer():
        with transaction.atomic():
            give_grade(first, "C", dt.date(2017, 1, 1))
            a_written.set()
            time.sleep(0.6)

    def fast_writer():
        a_written.wait(5)
        give_grade(second, "C", dt.date(2017, 1, 1))

    def reader():
        a_written.wait(5)
        cursor = 0
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            rows = feed_after(after=cursor, limit=100)
            seen.extend(r.pk for r in rows)
            cursor = rows[-1].pk if rows else cursor
            if done.is_set() and not rows:
                break
            time.sleep(0.02)

    def writers():
        run_together([slow_writer, fast_writer])
        done.set()

    run_together([writers, reader])
    all_ids = list(ChangeFeedEntry.objects.order_by("id").values_list("id", flat=True))
    assert len(all_ids) == 2
    assert seen == all_ids  # each once, in order: nothing skipped
