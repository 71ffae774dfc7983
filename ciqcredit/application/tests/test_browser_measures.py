"""In a real browser, a bureau credit officer opens an enterprise and sees the measures in force by area."""

import pytest

from ciqcredit.application.tests.conftest import TODAY, publish_measures, set_grade
from ciqcredit.catalogue.selectors import cache_clear

pytestmark = pytest.mark.browser


def test_officer_sees_the_measures_of_an_enterprise_by_area(live_cast, open_page, live_server, settings, tmp_path):
    settings.CIQCREDIT_TODAY = TODAY
    cache_clear()
    publish_measures()
    set_grade(live_cast.enterprise, "C", controlled=True, cause="dynamic_downgrade")

    page = open_page("a_credit")
    page.goto(f"{live_server.url}/enterprises/")
    page.get_by_role("link", name=live_cast.enterprise.name).click()
    section = page.locator("#measures")
    section.wait_for()  # loaded into the page after it opened
    assert "适用的差异化措施" in section.inner_text()
    rows = section.locator("table.measures-by-area tbody tr")
    assert rows.count() == 4
    by_area = {rows.nth(i).locator("th").inner_text(): rows.nth(i).inner_text() for i in range(4)}
    assert set(by_area) == {"审批许可", "申报放行", "检验检疫", "日常监管"}
    assert "不适用便利措施、加严审单" in by_area["申报放行"] and "布控拦截" in by_area["申报放行"]
    assert "抽批比例 100%" in by_area["检验检疫"]
    assert "现场检查 12次/年" in by_area["日常监管"]
    assert section.locator(".badge", has_text="布控").count() == 1
    page.screenshot(path=str(tmp_path / "measures.png"), full_page=True)
