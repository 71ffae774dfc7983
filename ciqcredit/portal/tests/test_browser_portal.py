"""In a real browser: an enterprise user reads the notice sent to its account (which delivers it) and files its
defence with an evidence file within the period; the office sees it in its to-dos."""

import datetime as dt

import pytest

from ciqcredit.catalogue.tests.fixtures import fixture_ruleset
from ciqcredit.conftest import PASSWORD
from ciqcredit.dynamic.models import CaseStatus, DynamicCase, Notice
from ciqcredit.dynamic.tests.conftest import TODAY
from ciqcredit.dynamic.tests.fixtures import fixture_items
from ciqcredit.portal.tests.fixtures import listing_case_sent

pytestmark = pytest.mark.browser


class _World:
    def __init__(self, cast, items, settings):
        self.cast, self.items, self.settings = cast, items, settings

    def on(self, day: dt.date) -> None:
        self.settings.CIQCREDIT_TODAY = day


def test_enterprise_reads_its_notice_and_files_a_defence(live_cast, chromium, live_server, settings, tmp_path):
    settings.CIQCREDIT_TODAY = TODAY
    settings.MEDIA_ROOT = tmp_path / "media"
    fixture_ruleset()
    case = listing_case_sent(_World(live_cast, fixture_items(), settings))
    number = case.notice.number

    context = chromium.new_context(locale="zh-CN", viewport={"width": 1366, "height": 860})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "ent_user")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/portal/")
    assert f"书面告知书{number}待查阅" in page.locator("#todos").inner_text()

    page.click(f"text=书面告知书{number}待查阅")
    page.wait_for_url(f"**/portal/notices/{number}/")
    text = page.locator("main").inner_text()
    assert "列入严重失信企业名单" in text and "电子送达，送达日期 2026年3月2日" in text
    assert Notice.objects.get(number=number).delivered_on == TODAY

    page.click("text=查看案件与陈述申辩")
    assert "2026年3月12日" in page.locator("#defence").inner_text()
    page.fill("textarea[name=statement]", "涉案两批货物均已退运，责任人员已处理，请求不予列入。")
    evidence = tmp_path / "退运证明.pdf"
    evidence.write_bytes(b"%PDF-1.4 return proof")
    page.set_input_files("input[name=files]", str(evidence))
    page.click('button:has-text("提交陈述申辩")')
    page.wait_for_selector("text=陈述申辩已提交")
    main = page.locator("main").inner_text()
    assert "退运证明.pdf" in main and "等待办理机构答复" in main
    case = DynamicCase.objects.get(pk=case.pk)
    assert case.status == CaseStatus.DEFENCE_RECEIVED and case.defence_online
    assert "张信用" not in main and "a_credit" not in main
    context.close()
