"""Each figure on the constructed quarter (conftest.py), where the right answer is known by hand."""

import datetime as dt

from ciqcredit.oversight.figures import figures_for
from ciqcredit.oversight.tests.conftest import Q_END, Q_START


def test_bureau_a_figures_known_by_hand(quarter):
    f = figures_for(quarter.bureau_a, Q_START, Q_END)
    assert f["organization"] == {"code": "470000", "name": quarter.bureau_a.name}
    s = f["staffing"]
    assert (s["people"], s["trained"], s["share_trained"]) == (3, 2, 0.6667)
    assert {d["label"]: (d["people"], d["trained"]) for d in s["by_department"]} == {
        "检务部门": (2, 1),
        "信用管理（综合）部门": (1, 1),
    }
    c = f["collection"]
    # Late by one working day across National Day: due Sat 30 Sep (a make-up workday), entered Mon 9 Oct.
    assert (c["collected"], c["within_deadline"], c["late"], c["share_late"]) == (2, 1, 1, 0.5)
    assert (c["median_delay_days"], c["p90_delay_days"]) == (1, 1)
    assert c["by_route"] == [
        {"route": "supervision", "label": "检验检疫日常监管信息（发现部门）", "collected": 2, "late": 1}
    ]
    assert [(d["organization"], d["collected"], d["late"]) for d in c["by_department"]] == [("475200", 2, 1)]
    assert f["review"] == {"reviewed": 2, "within_deadline": 1, "late": 1, "returned": 1}
    # Adjusted on 10-16, after the confirmation window that ended 10-14; one result closed unconfirmed.
    assert f["adjustment"] == {
        "results": 3,
        "confirmed_in_window": 1,
        "adjusted": 1,
        "adjusted_with_reason": 1,
        "adjusted_outside_window": 1,
        "unconfirmed": 1,
    }
    # The notice was due 10-27 and delivered 10-31.
    assert f["dynamic"] == {
        "triggered": 1,
        "notices_delivered": 1,
        "notices_within_deadline": 0,
        "notices_late": 1,
        "steps_overdue": 1,
        "carried_out": 1,
    }
    assert f["measures"] == {
        "decisions": 0,
        "executions": 0,
        "deviations": 0,
        "items_open": 0,
        "items_overdue": 0,
        "items_closed": 0,
    }
    assert f["rectification"] == {"open": 0, "overdue": 0}


def test_scope_bureau_b_and_hq(quarter):
    b = figures_for(quarter.bureau_b, Q_START, Q_END)
    assert (b["collection"]["collected"], b["collection"]["late"]) == (1, 0)
    assert b["adjustment"]["results"] == 1 and b["dynamic"]["triggered"] == 0
    assert b["staffing"]["people"] == 0
    everything = figures_for(quarter.hq, Q_START, Q_END)
    assert everything["collection"]["collected"] == 3
    assert everything["adjustment"]["results"] == 4
    assert everything["review"]["reviewed"] == 3
    branch = figures_for(quarter.branch_a, Q_START, Q_END)
    assert branch["staffing"]["people"] == 2  # the bureau's own officer is not the branch's


def test_a_period_outside_counts_nothing(quarter):
    f = figures_for(quarter.bureau_a, dt.date(2018, 1, 1), dt.date(2018, 3, 31))
    assert f["collection"]["collected"] == 0 and f["adjustment"]["results"] == 0 and f["dynamic"]["triggered"] == 0


def test_figures_stored_before_tracking_was_counted_keep_chinese_labels():
    from ciqcredit.oversight.views import figure_sections

    stored = {"measures": {"decisions": 3, "executions": 0, "deviations_open": 0, "deviations_overdue": 0}}
    [measures] = [s for s in figure_sections(stored) if s["key"] == "measures"]
    labels = [r["label"] for r in measures["rows"]]
    assert labels == ["措施决定（放行决定）", "已报送执行情况", "未处理偏差", "逾期偏差"]
