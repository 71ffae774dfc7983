"""Every figure opens as the rows behind it, in scope, as many as the figure counts."""

import pytest

from ciqcredit.errors import DomainError
from ciqcredit.oversight.figures import FIGURES, figure_rows, figures_for
from ciqcredit.oversight.tests.conftest import Q_END, Q_START


def test_each_drilldown_has_as_many_rows_as_its_figure(quarter):
    for org in (quarter.hq, quarter.bureau_a, quarter.branch_a, quarter.bureau_b):
        figures = figures_for(org, Q_START, Q_END)
        for key in FIGURES:
            section, name = key.split(".")
            _, rows = figure_rows(org, Q_START, Q_END, key)
            assert rows.count() == figures[section][name], (org.code, key)


def test_drilldown_rows_are_the_right_ones(quarter):
    _, late = figure_rows(quarter.bureau_a, Q_START, Q_END, "collection.late")
    assert list(late) == [quarter.late_record]
    _, outside = figure_rows(quarter.bureau_a, Q_START, Q_END, "adjustment.adjusted_outside_window")
    assert [r.reason for r in outside] == ["现场检查发现管理薄弱"]
    _, notices = figure_rows(quarter.bureau_a, Q_START, Q_END, "dynamic.notices_late")
    assert [n.case_id for n in notices] == [quarter.case.pk]
    _, b_late = figure_rows(quarter.bureau_b, Q_START, Q_END, "collection.late")
    assert not b_late.exists()


def test_unknown_figure_is_refused(quarter):
    with pytest.raises(DomainError) as exc:
        figure_rows(quarter.bureau_a, Q_START, Q_END, "collection.nothing")
    assert exc.value.code == "unknown_figure"
