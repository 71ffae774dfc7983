"""Supervision (§六) counts what tracking records: execution reports, deviations and tracking items, each in
the supervised organization's subtree and period, through the `application.execution` hook."""

import datetime as dt

from ciqcredit.actors import Actor
from ciqcredit.oversight.figures import figures_for
from ciqcredit.tracking.models import TrackingItem
from ciqcredit.tracking.services import item_answer, item_close, item_forward

MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def _close(track, item):
    item_answer(item=item, cause="人工放行", rectification="恢复抽批校验", actor=Actor.of(track.branch_credit))
    item_forward(item=item, note="属实", actor=Actor.of(track.cast.bureau_a_user))
    item_close(item=item, note="已知悉", actor=Actor.of(track.hq_customs))


def test_supervision_counts_reports_deviations_and_items(track, settings):
    released = track.decision(no="REL", inspect=True)  # drawn for inspection, released: a deviation
    faithful = track.decision(no="OK")  # reported as prescribed
    track.decision(no="MISSING", on=dt.date(2026, 3, 3))  # never reported: deviates once its deadline passes
    ok = track.decision(no="OK2", area="approval")
    wrong = track.decision(no="PRI", priority=True, area="approval")
    track.send([track.report(released, inspected=False, outcome="released"), track.report(ok), track.report(faithful)])
    track.send([track.report(wrong, priority_given=False)])
    track.check()
    track.send([track.report(track.decision(no="LATE", on=dt.date(2026, 4, 1)))])  # outside the period
    assert TrackingItem.objects.count() == 2  # declaration release (2 deviations) and approval (1)
    _close(track, TrackingItem.objects.get(area="approval"))

    measures = figures_for(track.cast.bureau_a, *MARCH)["measures"]
    assert measures == {
        "decisions": 5,
        "executions": 4,
        "deviations": 3,
        "items_open": 1,
        "items_overdue": 0,
        "items_closed": 1,
    }
    assert figures_for(track.cast.bureau_b, *MARCH)["measures"]["executions"] == 0
    assert figures_for(track.cast.branch_a, *MARCH)["measures"]["deviations"] == 3
    assert figures_for(track.cast.bureau_a, dt.date(2026, 4, 1), dt.date(2026, 4, 30))["measures"] == {
        "decisions": 1,
        "executions": 1,
        "deviations": 0,
        "items_open": 0,
        "items_overdue": 0,
        "items_closed": 0,
    }

    # The open item's answer is due 10 working days after 16 March (30 March): overdue once that has passed,
    # judged on the period's end or today, whichever is earlier.
    assert TrackingItem.objects.get(area="declaration_release").due_on == dt.date(2026, 3, 30)
    settings.CIQCREDIT_TODAY = dt.date(2026, 3, 30)
    assert figures_for(track.cast.bureau_a, *MARCH)["measures"]["items_overdue"] == 0
    settings.CIQCREDIT_TODAY = dt.date(2026, 4, 2)
    assert figures_for(track.cast.bureau_a, *MARCH)["measures"]["items_overdue"] == 1
    assert figures_for(track.cast.bureau_a, dt.date(2026, 3, 1), dt.date(2026, 3, 20))["measures"]["items_overdue"] == 0


def test_the_supervision_page_shows_the_tracking_figures_without_the_old_note(track):
    d = track.decision(no="REL", inspect=True)
    track.send([track.report(d, inspected=False, outcome="released")])
    track.check()
    html = (
        track.cast.client_for(track.cast.hq_admin)
        .get("/supervision/", {"org": "470000", "start": "2026-03-01", "end": "2026-03-31"})
        .content.decode()
    )
    assert "尚未上线" not in html
    assert "<dt>已报送执行情况</dt><dd>1</dd>" in html
    assert "<dt>执行偏差</dt><dd>1</dd>" in html
    assert "<dt>执行不到位事项（未关闭）</dt><dd>1</dd>" in html
