"""The daily check reads only what is new since its last run (its `CheckMark`), and a run that fails leaves
the mark where it was, so the next run reads the same again.

Reports arrive during a day and the check runs after it: each test sends on the day before the run (a run
reads again the reports of the few minutes before the previous run, `REPORT_SETTLE`, in case one was still
being committed)."""

import datetime as dt

import pytest

from ciqcredit.tracking import check as check_module
from ciqcredit.tracking.models import CellFlag, CheckMark, Deviation, Execution, TrackingItem
from ciqcredit.tracking.tests.conftest import TODAY

NEXT_DAY = TODAY + dt.timedelta(days=1)
DAY_BEFORE = TODAY - dt.timedelta(days=1)


def _run_on(track, settings, day: dt.date):
    settings.CIQCREDIT_TODAY = day
    return track.check(day)


def _send_on(track, settings, day: dt.date, items: list[dict]) -> None:
    settings.CIQCREDIT_TODAY = day
    assert track.send(items).status_code == 200


def _mark() -> tuple:
    return tuple(
        CheckMark.objects.values_list("executions_until", "decision_id", "report_cutoff", "cells_before").get()
    )


def test_the_next_run_reads_only_new_reports_and_newly_due_decisions(track, settings):
    faithful = track.decision(no="OK")
    wrong = track.decision(no="REL", inspect=True)
    track.decision(no="OLD", on=dt.date(2026, 3, 6))  # unreported, past its deadline on 16 March
    track.decision(no="NEW", on=dt.date(2026, 3, 9))  # unreported, due on 16 March: past it from 17 March
    _send_on(
        track, settings, DAY_BEFORE, [track.report(faithful), track.report(wrong, inspected=False, outcome="released")]
    )
    first = _run_on(track, settings, TODAY)
    assert (first.executions_read, first.decisions_read) == (2, 3)  # the decisions up to 8 March
    assert (first.deviations, first.not_reported) == (1, 1)

    # Changed behind the check's back (no new report): a run that re-read old reports would find a deviation.
    Execution.objects.filter(pk=faithful.pk).update(inspected=True)
    second = _run_on(track, settings, NEXT_DAY)
    assert (second.executions_read, second.decisions_read) == (0, 1)  # only NEW, whose deadline just passed
    assert (second.deviations, second.not_reported) == (0, 1)
    assert not Deviation.objects.filter(decision=faithful).exists()

    late = track.decision(no="LATE", on=dt.date(2026, 3, 17), priority=True)
    _send_on(track, settings, NEXT_DAY, [track.report(late, priority_given=False)])
    third = _run_on(track, settings, NEXT_DAY + dt.timedelta(days=1))
    assert (third.executions_read, third.decisions_read, third.deviations) == (1, 0, 1)


def test_a_run_that_fails_midway_leaves_the_mark_and_writes_nothing(track, settings, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("数据库连接中断")

    first_report = track.decision(no="A", inspect=True)
    _send_on(track, settings, DAY_BEFORE, [track.report(first_report, inspected=False, outcome="released")])
    with monkeypatch.context() as patched:
        patched.setattr(check_module, "_raise_items", crash)
        with pytest.raises(RuntimeError):
            _run_on(track, settings, TODAY)
    assert not CheckMark.objects.exists() and not Deviation.objects.exists()

    _run_on(track, settings, TODAY)
    before = _mark()
    new = track.decision(no="B", priority=True)
    _send_on(track, settings, TODAY, [track.report(new, priority_given=False)])
    with monkeypatch.context() as patched:
        patched.setattr(check_module, "_raise_items", crash)
        with pytest.raises(RuntimeError):
            _run_on(track, settings, NEXT_DAY)
    assert _mark() == before
    assert not Deviation.objects.filter(decision=new).exists()

    again = _run_on(track, settings, NEXT_DAY)  # reads the same again and finds it
    assert (again.executions_read, again.deviations) == (1, 1)
    assert _mark() != before
    assert TrackingItem.objects.get().deviations.count() == 2


def test_a_changed_report_of_a_judged_month_judges_that_month_again(track, settings):
    february = [track.decision(no=f"F{i}", on=dt.date(2026, 2, 2 + i % 20)) for i in range(30)]
    # None inspected, 3 expected at 10 %: within the tolerance.
    _send_on(track, settings, DAY_BEFORE, [track.report(d) for d in february])
    assert _run_on(track, settings, TODAY).cells_flagged == 0
    corrected = [track.report(d, inspected=True, outcome="passed") for d in february[:10]]
    _send_on(track, settings, TODAY, corrected)
    second = _run_on(track, settings, NEXT_DAY)
    assert (second.executions_read, second.cells_flagged) == (10, 1)
    assert CellFlag.objects.get().month == dt.date(2026, 2, 1)
