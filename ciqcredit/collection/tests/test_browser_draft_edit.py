"""In a real browser (issue 15, item 8): a collector edits a record the reviewer returned, keeping the stored
dates, attaches evidence from the record's page, and submits it again; the page shows both versions."""

import pytest

from ciqcredit.actors import Actor
from ciqcredit.catalogue.tests.fixtures import fixture_ruleset
from ciqcredit.collection.models import CreditRecord
from ciqcredit.collection.services import record_create, record_return
from ciqcredit.collection.tests.conftest import SETUP, TODAY, publish_catalogue, supervision_args
from ciqcredit.workdays.services import calendar_seed

pytestmark = pytest.mark.browser


def test_collector_edits_a_returned_record_and_attaches_evidence(live_cast, settings, open_page, live_server, tmp_path):
    settings.CIQCREDIT_TODAY = TODAY
    settings.MEDIA_ROOT = tmp_path / "media"
    calendar_seed(actor=SETUP)
    publish_catalogue()
    fixture_ruleset()
    cast = live_cast
    record = record_create(actor=Actor.of(cast.branch_a_user), submit=True, **supervision_args(cast))
    record_return(record=record, reason="请补充货物批次号", actor=Actor.of(cast.branch_a_reviewer))

    page = open_page("a_branch")
    page.goto(f"{live_server.url}/records/{record.pk}/")
    page.click("#draft-actions a.button")
    page.wait_for_url(f"{live_server.url}/records/{record.pk}/edit/")
    assert page.input_value("input[name=occurred_on]") == "2017-10-09"  # the stored date, not an empty field
    page.fill("textarea[name=description]", "报检单证与货物不符，批次 2017-118")
    page.click("text=保存修改")
    page.wait_for_url(f"{live_server.url}/records/{record.pk}/")
    evidence = tmp_path / "现场照片.jpg"
    evidence.write_bytes(b"\xff\xd8photo")
    page.set_input_files("input[name=file]", str(evidence))
    page.click("#evidence button[type=submit]")
    page.wait_for_selector("text=已上传证据文件")
    page.click("button:has-text('提交审核')")
    page.wait_for_selector("text=现为“待审核确认”")
    body = page.locator("main").inner_text()
    assert "历史版本（2）" in body and "批次 2017-118" in body and "现场照片.jpg" in body
    page.screenshot(path=str(tmp_path / "edited.png"), full_page=True)
    record.refresh_from_db()
    assert (record.status, record.description) == ("awaiting_confirmation", "报检单证与货物不符，批次 2017-118")
    assert (settings.MEDIA_ROOT / record.attachments.get().file.name).read_bytes() == b"\xff\xd8photo"
    assert CreditRecord.objects.count() == 1
