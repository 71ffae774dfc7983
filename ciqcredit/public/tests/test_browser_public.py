"""In a real browser, with no login: the public serious list shows a listed enterprise, and a certificate's code
typed into the check page says whether the certificate is valid."""

import pytest

from ciqcredit.actors import Actor
from ciqcredit.catalogue.selectors import cache_clear
from ciqcredit.catalogue.tests.fixtures import fixture_ruleset
from ciqcredit.certificates.services import certificate_issue
from ciqcredit.dynamic.tests.conftest import TODAY, World
from ciqcredit.dynamic.tests.fixtures import fixture_grade, fixture_items, listed_case
from ciqcredit.testing import make_enterprise

pytestmark = pytest.mark.browser


def test_the_public_list_and_a_certificate_check_need_no_login(live_cast, chromium, live_server, settings, tmp_path):
    settings.CIQCREDIT_TODAY = TODAY
    settings.MEDIA_ROOT = tmp_path / "media"
    cache_clear()
    fixture_ruleset()
    world = World(cast=live_cast, items=fixture_items(), settings=settings)
    listed_case(world)
    holder = make_enterprise(8, live_cast.branch_a, name="深圳市守信进出口有限公司")
    fixture_grade(holder, "A")
    certificate = certificate_issue(enterprise=holder, actor=Actor.of(live_cast.bureau_a_user))

    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/public/")
    page.click("text=严重失信企业名单 >> nth=0")
    table = page.locator("#serious-list")
    assert live_cast.enterprise.name in table.inner_text() and live_cast.enterprise.credit_code in table.inner_text()
    assert "2026-04-08" in table.inner_text()
    assert context.cookies() == []  # nothing was logged in, nothing was set

    page.click("nav >> text=信用等级证明核验")
    page.fill("input[name=code]", certificate.display_code.lower())
    page.click("button[type=submit]")
    page.wait_for_url(f"**/public/certificates/{certificate.code}")
    result = page.locator("#certificate-result").inner_text()
    assert "证明有效" in result and holder.name in result and "A级" in result
    context.close()
