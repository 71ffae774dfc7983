"""In a real browser: the top bar of the role with the most areas (HQ's administrator) keeps every entry and the
account area (修改密码, 退出) inside the window; the entries wrap onto a second row instead."""

import pytest

pytestmark = pytest.mark.browser


def test_every_entry_and_the_account_area_stay_inside_the_window(live_cast, open_page):
    page = open_page("hq_admin")
    width = page.viewport_size["width"]
    entries = page.locator(".mainnav a")
    assert entries.count() >= 12  # HQ sees every area
    for box in (entries.nth(i).bounding_box() for i in range(entries.count())):
        assert box is not None and box["x"] + box["width"] <= width
    logout = page.locator(".who").get_by_text("退出")
    box = logout.bounding_box()
    assert box is not None and 0 <= box["x"] and box["x"] + box["width"] <= width
