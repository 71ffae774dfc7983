"""The monthly cell's share inspected against its prescribed rate, within a binomial tolerance."""

import datetime as dt
from decimal import Decimal

from ciqcredit.rules.tracking import judge_cell, z_two_sided
from ciqcredit.tracking.models import CellFlag, TrackingItem


def test_the_tolerance_follows_the_confidence_level():
    assert round(z_two_sided(Decimal("0.95")), 3) == 1.96
    narrow = judge_cell(decisions=100, inspected=18, rate_sum=10, variance=9, confidence=Decimal("0.95"))
    wide = judge_cell(decisions=100, inspected=18, rate_sum=10, variance=9, confidence=Decimal("0.999"))
    assert narrow.outside and not wide.outside  # 8 over: beyond 1.96·3+½, within 3.29·3+½


def _cell(track, n: int, inspected: int, *, grade="B", org=None):
    decisions = [
        track.decision(no=f"{grade}{i}", on=dt.date(2026, 2, 2 + i % 20), grade=grade, inspect=False) for i in range(n)
    ]
    reports = [
        track.report(
            d,
            inspected=i < inspected,
            outcome="passed" if i < inspected else "released",
            **({"org_code": org} if org else {}),
        )
        for i, d in enumerate(decisions)
    ]
    track.send(reports)


def test_a_cell_inside_tolerance_raises_nothing(track):
    # 100 declarations at 10 %: 10 expected, 3.9·… tolerance at 99 %; 13 inspected is inside.
    _cell(track, 100, 13)
    result = track.check()
    assert result.cells_flagged == 0
    assert not CellFlag.objects.exists()


def test_a_cell_outside_tolerance_raises_one_item(track):
    _cell(track, 100, 30)
    first = track.check()
    assert first.cells_flagged == 1
    flag = CellFlag.objects.get()
    assert (flag.grade, flag.month, flag.decisions, flag.inspected, flag.expected) == (
        "B",
        dt.date(2026, 2, 1),
        100,
        30,
        10.0,
    )
    item = TrackingItem.objects.get()
    assert flag.item == item and item.month == dt.date(2026, 2, 1)
    assert track.check().cells_flagged == 0
    assert CellFlag.objects.count() == 1 and TrackingItem.objects.count() == 1


def test_the_current_month_is_not_judged_before_its_reports_are_due(track):
    decisions = [track.decision(no=f"M{i}", on=dt.date(2026, 3, 2)) for i in range(40)]
    track.send([track.report(d, inspected=True, outcome="passed") for d in decisions])
    assert track.check().cells_flagged == 0
