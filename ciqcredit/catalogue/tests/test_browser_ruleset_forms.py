"""In a real browser (issue 15, item 11): HQ edits a rule-set draft through forms. A dynamic case shows only
its own fields, a record row is added without leaving the page (htmx) and the case is saved; an adjustment
rule is added as a row. No YAML box anywhere."""

import datetime as dt

import pytest

from ciqcredit.actors import Actor
from ciqcredit.catalogue.models import RuleSetVersion
from ciqcredit.catalogue.reference import reference_rules_load
from ciqcredit.rules.cases import parse_cases

pytestmark = pytest.mark.browser


def test_hq_edits_a_case_and_an_adjustment_rule_through_forms(live_cast, settings, open_page, live_server):
    settings.CIQCREDIT_TODAY = dt.date(2017, 6, 15)
    reference_rules_load(actor=Actor.job("test"))
    page = open_page("hq_admin")
    page.goto(f"{live_server.url}/rules/ruleset/")
    page.click("button:has-text('新建草稿')")
    page.wait_for_url(f"{live_server.url}/rules/ruleset/2/")
    page.goto(f"{live_server.url}/rules/ruleset/2/params/")
    assert page.locator("textarea").count() == 0
    count = len(parse_cases(RuleSetVersion.objects.get(number=2).cases_yaml))

    page.click("text=新增用例")
    page.wait_for_url(f"{live_server.url}/rules/ruleset/2/cases/new/")
    assert page.is_visible("select[name=previous_grade]") and not page.is_visible("select[name=current_grade]")
    page.select_option("select[name=kind]", "dynamic")
    assert page.is_visible("select[name=current_grade]") and not page.is_visible("select[name=previous_grade]")
    page.fill("input[name=name]", "B级企业计分25分降为C级并布控")
    page.select_option("select[name=current_grade]", "B")
    page.fill("input[name='records-0-points']", "20")
    page.click("text=增加一条信用信息")
    page.wait_for_selector("input[name='records-1-points']")
    assert page.input_value("input[name=name]") == "B级企业计分25分降为C级并布控"  # nothing typed is lost
    assert page.url.endswith("/cases/new/")  # the row came without leaving the page
    page.fill("input[name='records-1-points']", "5")
    page.select_option("select[name=expect_grade]", "C")
    page.select_option("select[name=expect_controlled]", "true")
    page.click("text=保存用例")
    page.wait_for_url(f"{live_server.url}/rules/ruleset/2/params/")
    assert "用例已保存" in page.locator("main").inner_text()
    cases = parse_cases(RuleSetVersion.objects.get(number=2).cases_yaml)
    assert len(cases) == count + 1 and [r.points for r in cases[-1].records] == [20, 5]

    page.click("text=再增加一条调整规则")
    page.wait_for_selector("input[name=adj_2_steps]")
    page.check("input[name=adj_1_from][value=C]")
    page.check("input[name=adj_1_to][value=B]")
    page.fill("input[name=adj_1_steps]", "1")
    page.check("input[name=adj_1_kinds][value=business]")
    page.click("text=保存评定参数")
    page.wait_for_url(f"{live_server.url}/rules/ruleset/2/")
    assert "C级可调整为B级，最多1级，由业务部门调整" in page.locator("main").inner_text()
