"""In a real browser: a bureau credit officer opens a downgrade case and downloads its written notice as PDF."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from ciqcredit.actors import Actor
from ciqcredit.catalogue.tests.fixtures import fixture_ruleset
from ciqcredit.dynamic.models import DynamicCase
from ciqcredit.dynamic.services import dynamic_recheck
from ciqcredit.dynamic.tests.conftest import TODAY
from ciqcredit.dynamic.tests.fixtures import fixture_items, fixture_record

pytestmark = pytest.mark.browser


def test_officer_downloads_the_notice_pdf(live_cast, open_page, live_server, settings, tmp_path):
    settings.CIQCREDIT_TODAY = TODAY
    settings.MEDIA_ROOT = tmp_path / "media"
    fixture_ruleset()
    ordinary = fixture_items()["ordinary"]
    for day in (dt.date(2025, 11, 3), dt.date(2026, 1, 5)):  # 2 × 12 points: the immediate-downgrade threshold
        fixture_record(live_cast.enterprise, ordinary, day, user=live_cast.branch_a_user)
    dynamic_recheck(enterprise=live_cast.enterprise, trigger_record=None, actor=Actor.of(live_cast.bureau_a_user))
    case = DynamicCase.objects.get(enterprise=live_cast.enterprise)

    page = open_page("a_credit")
    page.goto(f"{live_server.url}/dynamic/cases/{case.pk}/")
    assert case.notice.number in page.locator("main").inner_text()
    with page.expect_download() as info:
        page.click(f"a[href$='/notices/{case.notice.pk}.pdf']")
    path = tmp_path / "notice.pdf"
    info.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert case.notice.number in text and live_cast.enterprise.name in text
