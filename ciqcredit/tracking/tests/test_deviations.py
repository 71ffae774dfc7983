"""Prescribed against executed: each kind of deviation, unreported decisions, one item per organization ×
area × month, and a job that can run twice."""

import datetime as dt

import pytest

from ciqcredit.audit.models import AuditEntry
from ciqcredit.tracking.models import Deviation, ItemStatus, ItemTransition, TrackingItem
from ciqcredit.tracking.tests.conftest import TODAY

CASES = [
    ("inspected_not_drawn", {"inspect": False}, {"inspected": True, "outcome": "passed"}),
    ("released_not_inspected", {"inspect": True}, {"inspected": False, "outcome": "released"}),
    ("review_stricter", {"review": "simplified"}, {"document_review": "full"}),
    ("review_looser", {"review": "full"}, {"document_review": "standard"}),
    ("priority_not_given", {"priority": True}, {"priority_given": False}),
]


@pytest.mark.parametrize("kind,prescribed,executed", CASES, ids=[c[0] for c in CASES])
def test_each_kind_of_deviation(track, kind, prescribed, executed):
    faithful = track.decision(no="OK", **prescribed)
    deviating = track.decision(no="DEV", **prescribed)
    track.send([track.report(faithful), track.report(deviating, **executed)])
    result = track.check()
    assert result.deviations == 1
    assert list(Deviation.objects.values_list("decision_id", "kind")) == [(deviating.pk, kind)]


def test_a_report_as_prescribed_deviates_in_nothing(track):
    d = track.decision(inspect=True, priority=True, review="full")
    track.send([track.report(d)])
    assert track.check().deviations == 0


def test_unreported_decisions_deviate_once_their_deadline_has_passed(track):
    due = track.decision(no="OLD", on=dt.date(2026, 3, 6))  # Friday: 5 working days end Friday 13 March
    track.decision(no="NEW", on=dt.date(2026, 3, 9))  # Monday: due Monday 16 March, today, not yet passed
    reported = track.decision(no="REP", on=dt.date(2026, 3, 2))
    track.send([track.report(reported)])
    result = track.check()
    assert result.report_cutoff == "2026-03-08"  # a Sunday decision counts from Monday 9: due Friday 13
    assert list(Deviation.objects.filter(kind="not_reported").values_list("decision_id", flat=True)) == [due.pk]


def test_deviations_of_one_month_and_area_make_one_item_and_a_second_run_doubles_nothing(track):
    decisions = [track.decision(no=f"D{i}", inspect=True) for i in range(5)]
    track.send([track.report(d, inspected=False, outcome="released") for d in decisions])
    first = track.check()
    assert (first.deviations, first.items_raised) == (5, 1)
    item = TrackingItem.objects.get()
    assert (item.organization, item.area, item.month, item.status) == (
        track.cast.branch_a,
        "declaration_release",
        dt.date(2026, 3, 1),
        ItemStatus.OPEN,
    )
    assert item.department == "通关业务司"
    assert item.due_on == dt.date(2026, 3, 30)  # 10 working days after Monday 16 March
    assert item.deviations.count() == 5
    second = track.check()
    assert (second.deviations, second.not_reported, second.cells_flagged, second.items_raised) == (0, 0, 0, 0)
    assert TrackingItem.objects.count() == 1 and Deviation.objects.count() == 5
    assert ItemTransition.objects.filter(item=item).count() == 1
    assert AuditEntry.objects.filter(action="tracking.item.raised", target_id=str(item.pk)).count() == 1


def test_a_new_deviation_joins_the_month_s_open_item(track):
    a = track.decision(no="A", inspect=True)
    track.send([track.report(a, inspected=False, outcome="released")])
    track.check()
    b = track.decision(no="B", priority=True)
    track.send([track.report(b, priority_given=False)])
    assert track.check().items_raised == 0
    assert TrackingItem.objects.get().deviations.count() == 2


def test_other_months_and_areas_are_other_items(track):
    feb = track.decision(no="F", on=dt.date(2026, 2, 20), inspect=True)
    mar = track.decision(no="M", inspect=True)
    insp = track.decision(no="I", inspect=True, area="inspection")
    track.send([track.report(d, inspected=False, outcome="released") for d in (feb, mar, insp)])
    assert track.check(TODAY).items_raised == 3
    assert set(TrackingItem.objects.values_list("department", flat=True)) == {"通关业务司", "检验监管司"}
