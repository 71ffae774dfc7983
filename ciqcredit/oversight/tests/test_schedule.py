"""`ciqcredit supervision open_plans` opens what the published schedule calls for, once, and the offices see it."""

import datetime as dt
import json
from io import StringIO

from django.core.management import call_command

from ciqcredit.actors import Actor
from ciqcredit.oversight.models import InspectionPlan
from ciqcredit.oversight.queue import oversight_section
from ciqcredit.oversight.services import last_period, plans_open_scheduled

D = dt.date


def test_last_period_of_each_kind():
    assert last_period("quarterly", D(2018, 1, 8)) == (D(2017, 10, 1), D(2017, 12, 31))
    assert last_period("quarterly", D(2018, 5, 20)) == (D(2018, 1, 1), D(2018, 3, 31))
    assert last_period("half_year", D(2018, 1, 8)) == (D(2017, 7, 1), D(2017, 12, 31))
    assert last_period("half_year", D(2018, 9, 1)) == (D(2018, 1, 1), D(2018, 6, 30))
    assert last_period("annual", D(2018, 1, 8)) == (D(2017, 1, 1), D(2017, 12, 31))


def test_open_plans_is_idempotent(quarter):
    out = StringIO()
    call_command("supervision", "open_plans", "--json", stdout=out)
    opened = json.loads(out.getvalue())["opened"]
    # 2018-01-08: the bureaus' quarterly inspection of Q4 2017 is due (5 days after); only bureau A has branches.
    assert len(opened) == 1
    plan = InspectionPlan.objects.get()
    assert (plan.organization, plan.kind, plan.mode) == (quarter.bureau_a, "quarterly", "inspection")
    assert (plan.period_start, plan.period_end) == (D(2017, 10, 1), D(2017, 12, 31))
    assert list(plan.offices.all()) == [quarter.branch_a]
    assert plans_open_scheduled(actor=Actor.job("test")) == []
    call_command("supervision", "open_plans", stdout=StringIO())
    assert InspectionPlan.objects.count() == 1
    # The bureau's supervisor finds the sheet in the to-dos.
    [section] = oversight_section(quarter.supervisor_a, 10)["sections"]
    assert section["title"] == "待填写的督查检查表" and section["rows"][0].office == quarter.branch_a
    assert oversight_section(quarter.bureau_b_user, 10)["sections"] == []


def test_later_kinds_open_when_their_day_comes(quarter):
    quarter.on(D(2018, 1, 12))
    opened = plans_open_scheduled(actor=Actor.job("test"))
    kinds = sorted((p.kind, p.mode, p.organization.code) for p in opened)
    assert ("half_year", "inspection", "000000") in kinds
    assert ("annual", "self", "475200") in kinds
    hq_plan = next(p for p in opened if p.kind == "half_year")
    assert hq_plan.sheets.count() == hq_plan.offices.count() == 35
    assert plans_open_scheduled(actor=Actor.job("test")) == []


def test_figures_command_prints_one_json_object(quarter):
    out = StringIO()
    call_command(
        "supervision", "figures", "--org", "470000", "--from", "2017-10-01", "--to", "2017-12-31", "--json", stdout=out
    )
    figures = json.loads(out.getvalue().strip().splitlines()[-1])
    assert set(figures) >= {"staffing", "collection", "review", "adjustment", "dynamic", "measures"}
    assert figures["collection"]["late"] == 1
