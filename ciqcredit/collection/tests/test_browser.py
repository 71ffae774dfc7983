"""In a real browser: a branch collector collects a record; a 施检 reviewer confirms an e-CIQ record."""

import pytest

from ciqcredit.actors import Actor
from ciqcredit.catalogue.tests.fixtures import fixture_ruleset
from ciqcredit.collection.intake import eciq_intake
from ciqcredit.collection.models import CreditRecord
from ciqcredit.collection.tests.conftest import SETUP, TODAY, publish_catalogue
from ciqcredit.workdays.services import calendar_seed

pytestmark = pytest.mark.browser


@pytest.fixture
def ready(live_cast, settings):
    settings.CIQCREDIT_TODAY = TODAY
    calendar_seed(actor=SETUP)
    publish_catalogue()
    fixture_ruleset()
    return live_cast


def test_branch_collector_collects_and_inspection_reviewer_confirms(ready, open_page, live_server, tmp_path):
    cast = ready
    page = open_page("a_branch")
    page.goto(f"{live_server.url}/records/new/?route=supervision")
    page.fill("input[name=credit_code]", cast.enterprise.credit_code)
    page.select_option("select[name=item_code]", "S04")
    page.fill("input[name=association_no]", "4752002170001")
    page.fill("input[name=occurred_on]", "2017-10-09")
    page.fill("input[name=discovered_on]", "2017-10-10")
    page.fill("input[name=verified_on]", "2017-10-16")
    page.fill("textarea[name=description]", "报检单证与货物不符")
    page.click("button[name=submit]")
    page.wait_for_url(f"{live_server.url}/records/*/")
    body = page.locator("main").inner_text()
    assert "待审核确认" in body and "4752002170001" in body and "2017-10-23" in body
    page.screenshot(path=str(tmp_path / "collected.png"), full_page=True)
    collected = CreditRecord.objects.get(association_no="4752002170001")
    assert (collected.status, collected.organization.code) == ("awaiting_confirmation", "475200")

    result = eciq_intake(
        entries=[
            {
                "eciq_id": "ECIQ-B-1",
                "credit_code": cast.enterprise.credit_code,
                "item_code": "E03",
                "stage": "inspection",
                "association_no": "475200217000000099",
                "org_code": "475200",
                "occurred_on": "2017-10-16",
                "discovered_on": "2017-10-17",
                "verified_on": "2017-10-18",
                "description": "施检环节不合格",
            }
        ],
        actor=Actor.of(cast.api_client),
    )
    record_id = result.records[0]["id"]
    reviewer = open_page("a_branch_reviewer")
    reviewer.goto(f"{live_server.url}/records/queue/")
    queue = reviewer.locator("#to-confirm")
    assert "475200217000000099" in queue.inner_text()
    queue.locator("text=475200217000000099").click()
    reviewer.wait_for_url(f"{live_server.url}/records/{record_id}/")
    reviewer.click("button:has-text('审核确认')")
    reviewer.wait_for_selector("text=已生效")
    assert CreditRecord.objects.get(pk=record_id).status == "effective"
