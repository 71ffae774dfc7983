"""The home page of each staff role: to-do counts, key figures and charts, each chart with its table."""

import datetime as dt

from ciqcredit.oversight.dashboard import grade_distribution_chart, open_work, timeliness_by_quarter


def test_charts_count_what_the_data_holds(quarter):
    t = timeliness_by_quarter(quarter.bureau_a, dt.date(2018, 1, 8))
    q4 = t.categories.index("2017年第4季度")
    assert (t.series[0].values[q4], t.series[1].values[q4]) == (1, 1)
    g = grade_distribution_chart(quarter.bureau_a_user)
    assert g.categories == ("深圳局", "皇岗局")
    by = {s.label: s.values for s in g.series}
    # At the branch: A (confirmed), B (adjusted), A (closed unconfirmed), the dynamic case's enterprise after its
    # downgrade; no one unrated; nothing awaiting confirmation once the window closed.
    assert sum(v[1] for v in by.values()) == 4 and by["未评级"] == (0, 0) and by["待确认"] == (0, 0)
    hq = grade_distribution_chart(quarter.hq_admin)
    assert len(hq.categories) == 35 and "未评级" in {s.label for s in hq.series}
    w = open_work(quarter.bureau_a)
    assert {s.label: s.values for s in w.series} == {"未结案件": (0, 0), "未完成整改": (0, 0)}


def test_home_pages_by_role(quarter):
    sup = quarter.cast.client_for(quarter.supervisor_a).get("/").content.decode()
    assert "关键数据" in sup and "企业信用等级分布" in sup and sup.count("<svg") >= 2 and "待确认" in sup
    assert "/supervision/figures/collection.late/" in sup
    collector = quarter.cast.client_for(quarter.branch_a_user).get("/").content.decode()
    assert "关键数据" in collector and "/supervision/figures/" not in collector  # no drill-down for a collector
    enterprise = quarter.cast.client_for(quarter.enterprise_user).get("/", follow=True)
    assert enterprise.redirect_chain[-1][0].startswith("/portal/")  # an enterprise user's home is the portal
    assert enterprise.status_code == 200 and "关键数据" not in enterprise.content.decode()
