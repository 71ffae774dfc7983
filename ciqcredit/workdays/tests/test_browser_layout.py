"""The calendar page fits a 1280-pixel screen for HQ's administrator, whose sidebar carries the upload form with
the files' formats (a JSON example kept on one line made the page 1482 pixels wide)."""

from ciqcredit.workdays.services import calendar_seed
from ciqcredit.workdays.tests.conftest import SETUP


def test_the_calendar_page_fits_a_1280_pixel_screen(live_cast, open_page, live_server):
    calendar_seed(actor=SETUP)
    page = open_page("hq_admin")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/workdays/")
    assert "装载官方节假日安排" in page.inner_text("body")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
