"""In a real browser, HQ approves a partner's sharing agreement, the partner's system reads a list under it, and
HQ then sees those reads in the access log."""

import pytest
from django.test import Client

from ciqcredit.application.tests.conftest import set_grade
from ciqcredit.partners.tests.fixtures import make_partners
from ciqcredit.sharing.services import agreement_request
from ciqcredit.sharing.tests.conftest import SYSTEM, TODAY

pytestmark = pytest.mark.browser


def test_hq_approves_then_sees_the_partner_s_reads(live_cast, open_page, live_server, settings, tmp_path):
    settings.CIQCREDIT_TODAY = TODAY
    partners = make_partners()
    set_grade(live_cast.enterprise, "AA")
    agreement = agreement_request(
        partner=partners.court,
        lists=["aa"],
        fields=["name", "grade"],
        purpose="失信联合惩戒与守信联合激励",
        valid_from=TODAY,
        valid_to=None,
        actor=SYSTEM,
    )
    partner_system = Client(headers={"Authorization": f"Bearer {partners.court_token}"})
    assert partner_system.get("/api/v1/sharing/lists/aa").json()["code"] == "no_agreement"  # not yet approved

    page = open_page("hq_admin")
    page.goto(f"{live_server.url}/sharing/")
    page.locator("#agreements").get_by_role("link", name=str(agreement.pk)).click()
    assert page.locator("#agreement-status").inner_text() == "待批准"
    page.get_by_role("button", name="批准", exact=True).click()
    page.wait_for_url(f"{live_server.url}/sharing/agreements/{agreement.pk}/")
    assert page.locator("#agreement-status").inner_text() == "已批准"
    assert "协议已批准" in page.locator(".messages").inner_text()

    read = partner_system.get("/api/v1/sharing/lists/aa")
    assert read.status_code == 200 and read.json()["items"][0]["name"] == live_cast.enterprise.name
    assert partner_system.get("/api/v1/sharing/lists/serious").status_code == 403

    page.get_by_role("link", name="访问日志").click()
    rows = page.locator("#access-log tbody tr")
    assert rows.count() == 3  # the refused read before approval, the read, the refused list
    texts = [rows.nth(i).inner_text() for i in range(3)]
    assert "准予" in texts[1] and "AA级企业名单" in texts[1] and "最高人民法院" in texts[1]
    assert "协议不含该名单" in texts[0] and "无有效共享协议" in texts[2]
    page.screenshot(path=str(tmp_path / "access-log.png"), full_page=True)
