"""In a real browser: the branch answers an item, the bureau forwards it, the HQ department closes it."""

import pytest

from ciqcredit.catalogue.selectors import cache_clear
from ciqcredit.tracking.models import ItemStatus, TrackingItem
from ciqcredit.tracking.tests.conftest import TODAY, build_track

pytestmark = pytest.mark.browser


def test_branch_answers_bureau_forwards_hq_department_closes(live_cast, open_page, live_server, settings, tmp_path):
    settings.CIQCREDIT_TODAY = TODAY
    cache_clear()
    track = build_track(live_cast)
    decision = track.decision(no="440300126000001", inspect=True)
    track.send([track.report(decision, inspected=False, outcome="released")])
    track.check()
    item = TrackingItem.objects.get()

    branch = open_page("a_branch_credit")
    branch.goto(f"{live_server.url}/records/queue/")
    branch.locator("#tracking-items").get_by_role("link", name="办理").click()
    assert "440300126000001" in branch.locator("#deviations").inner_text()
    branch.get_by_label("原因（必填）：").fill("系统切换期间人工放行，未执行抽中查验")
    branch.get_by_label("整改措施（必填）：").fill("恢复抽批校验，对放行人员进行培训")
    branch.get_by_role("button", name="提交直属局审核").click()
    assert branch.locator("#status").inner_text() == "待直属局审核"

    bureau = open_page("a_credit")
    bureau.goto(f"{live_server.url}/tracking/?mine=on")
    bureau.locator("#items").get_by_role("link", name="查看").click()
    assert "恢复抽批校验" in bureau.inner_text("body")
    bureau.get_by_label("意见（退回时必填）：").fill("情况属实，整改措施可行")
    bureau.get_by_role("button", name="审核通过，反馈总局").click()
    assert bureau.locator("#status").inner_text() == "已反馈总局"

    hq = open_page("hq_customs")
    hq.goto(f"{live_server.url}/tracking/items/{item.pk}/")
    hq.get_by_role("button", name="确认并关闭").click()
    assert hq.locator("#status").inner_text() == "已关闭"
    history = hq.locator("#history").inner_text()
    assert "钱分局" in history and "张信用" in history and "孙通关" in history
    hq.screenshot(path=str(tmp_path / "tracking-item.png"), full_page=True)
    assert TrackingItem.objects.get().status == ItemStatus.CLOSED
