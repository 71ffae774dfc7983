"""In a real browser, a bureau credit officer confirms one initial result and adjusts another."""

import datetime as dt
import re

import pytest

from ciqcredit.rating.models import EvaluationResult
from ciqcredit.rating.services.evaluation import evaluation_run
from ciqcredit.rating.tests.conftest import PERIOD_END, RATED_ON, SETUP, Records, activity, publish_ruleset
from ciqcredit.testing import make_enterprise

pytestmark = pytest.mark.browser


def test_officer_confirms_and_adjusts_in_the_worklist(live_cast, open_page, live_server, settings, tmp_path):
    settings.CIQCREDIT_TODAY = RATED_ON
    publish_ruleset()
    records = Records(live_cast)
    second = make_enterprise(150, live_cast.branch_a, name="深圳市福田食品进出口有限公司")
    for e in (live_cast.enterprise, second):
        activity(e, dt.date(2017, 5, 1))
    records.add(second, 3, dt.date(2017, 5, 2))
    run = evaluation_run(period_end=PERIOD_END, actor=SETUP)

    page = open_page("a_credit")
    page.goto(f"{live_server.url}/rating/runs/{run.pk}/worklist/")
    page.get_by_text("确认工作台").first.wait_for()
    # Confirming everything asks first: a script file does it, as the Content-Security-Policy forbids inline
    # handlers; dismissing the question submits nothing.
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name=re.compile("全部待确认结果")).click()
    assert len(asked) == 1 and "全部 2 家企业" in asked[0]
    first_row = page.locator(f"tr[data-code='{live_cast.enterprise.credit_code}']")
    first_row.locator("input[name=codes]").check()
    page.get_by_role("button", name="确认所选").click()
    page.get_by_text("已确认 1 家企业的评定结果").wait_for()

    row = page.locator(f"tr[data-code='{second.credit_code}']")
    row.locator("select[name=grade]").select_option("C")
    row.locator("input[name=reason]").fill("现场检查发现质量管理体系失效")
    row.get_by_role("button", name="调整").click()
    page.get_by_text(f"已调整 {second.credit_code} 的评定结果").wait_for()
    page.screenshot(path=str(tmp_path / "worklist.png"), full_page=True)

    results = {r.enterprise_id: r for r in EvaluationResult.objects.filter(run=run)}
    assert (results[live_cast.enterprise.pk].status, results[live_cast.enterprise.pk].final_grade) == ("confirmed", "A")
    assert (results[second.pk].status, results[second.pk].final_grade, results[second.pk].reason) == (
        "adjusted",
        "C",
        "现场检查发现质量管理体系失效",
    )
    # The row now reads as adjusted: the grade in effect, where it came from, and the form keeps it.
    assert "C" in row.locator("td").nth(9).inner_text() and "由 B 调整" in row.inner_text()
    assert row.locator("select[name=grade]").input_value() == "C"


def test_confirm_all_says_how_many_of_which_office(live_cast, open_page, live_server, settings):
    settings.CIQCREDIT_TODAY = RATED_ON
    publish_ruleset()
    for n in range(160, 163):
        activity(make_enterprise(n, live_cast.branch_a), dt.date(2017, 5, 1))
    activity(make_enterprise(170, live_cast.bureau_a), dt.date(2017, 5, 1))
    run = evaluation_run(period_end=PERIOD_END, actor=SETUP)

    page = open_page("a_credit")
    page.goto(f"{live_server.url}/rating/runs/{run.pk}/worklist/?org=475200")
    messages: list[str] = []
    page.on("dialog", lambda dialog: (messages.append(dialog.message), dialog.dismiss()))
    at_branch = EvaluationResult.objects.filter(run=run, organization=live_cast.branch_a).count()  # 3 + the cast's
    button = page.locator("button[name=confirm_all]")
    assert button.inner_text() == f"确认皇岗出入境检验检疫局（含下级机构）全部待确认结果（{at_branch} 家）"
    button.click()
    assert messages and "皇岗出入境检验检疫局" in messages[0] and f"{at_branch} 家" in messages[0]
    assert EvaluationResult.objects.filter(run=run, status="pending").count() == at_branch + 1  # dismissed
    # A status label stays on one line in its column, the longest (closed when the window ended) too.
    closed = EvaluationResult.objects.filter(run=run, organization=live_cast.bureau_a).get()
    EvaluationResult.objects.filter(pk=closed.pk).update(status="closed", final_grade="A", unconfirmed=True)  # fixture
    page.goto(f"{live_server.url}/rating/runs/{run.pk}/worklist/?status=closed")
    label = page.locator("td.result-status span.status").first
    assert label.inner_text() == "期满生效"
    assert label.evaluate("e => e.getClientRects().length") == 1
