"""In a real browser: a branch user finds an enterprise by name and by code and opens it; bureau B cannot."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ciqcredit.testing import make_enterprise

pytestmark = pytest.mark.browser

OTHER_NAMES = ["深圳市福田华信电子科技有限公司", "深圳市皇岗口岸餐饮管理有限公司", "深圳市鸿达国际物流有限公司"]


def test_branch_user_searches_and_opens_an_enterprise_bureau_b_cannot(live_cast, open_page, live_server, tmp_path):
    for n, name in enumerate(OTHER_NAMES, start=10):
        make_enterprise(n, live_cast.branch_a, name=name, types=("declaration_agent",))
    target = live_cast.enterprise
    list_url = live_server.url + reverse("enterprises:list")

    page = open_page("a_branch")
    page.goto(list_url)
    table = page.locator("#enterprise-table tbody tr")
    assert table.count() == 4

    page.fill("input[name=q]", "进出口贸易")  # part of the name; htmx refreshes the table as one types
    # Locator assertions, not wait_for_function: the Content-Security-Policy forbids evaluating strings.
    expect(page.locator("#enterprise-table tbody tr")).to_have_count(1)
    assert target.name in table.first.inner_text()
    assert "q=" in page.url  # the search is in the address bar, so it can be bookmarked

    page.fill("input[name=q]", target.credit_code)
    expect(page.locator("#results")).to_contain_text(target.credit_code)
    assert table.count() == 1
    page.screenshot(path=str(tmp_path / "enterprise-list.png"), full_page=True)

    page.click(f"text={target.name}")
    page.wait_for_url(re.compile(re.escape(target.credit_code)))
    body = page.locator("main").inner_text()
    assert target.name in body and "进口企业" in body and "出口企业（含跨境电商）" in body
    assert "皇岗出入境检验检疫局（475200）" in body
    page.screenshot(path=str(tmp_path / "enterprise-detail.png"), full_page=True)
    detail_url = page.url

    outsider = open_page("b_credit")
    outsider.goto(f"{list_url}?q={target.credit_code}")
    assert "没有符合条件的企业" in outsider.locator("#results").inner_text()
    response = outsider.goto(detail_url)
    assert response.status == 404
    assert "页面不存在" in outsider.locator("main").inner_text()
    assert target.name not in outsider.content()
